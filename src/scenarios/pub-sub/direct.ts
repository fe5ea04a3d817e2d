import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  initialPublisherDurable,
  noteAcked,
  onWorkloadEvent,
  type OutboxItem,
  outboxMax,
  type PublisherDurable,
  scheduleProduce,
  type Workload,
  workloadBadge,
} from './outbox.ts';
import {
  initialSubscriberDurable,
  onSubscriberFault,
  processingUs,
  processMessage,
  type SubscriberCommon,
  type SubscriberDurable,
  subscriberBadge,
  subscriberLabel,
} from './processing.ts';
import type { DirectMessage, NotifyMessage } from './protocol.ts';
import { countSeqs, hasSeq, maxSeq } from './ranges.ts';
import { isOwed, paramOf, profileOf, subscriberProfiles, msParamUs } from './roster.ts';
import { armStoryline } from './storyline.ts';

/**
 * The baseline, without a broker: each publisher calls every interested subscriber itself, the
 * way services call each other's webhooks. Same workload, same subscribers and processing times,
 * same faults. Numbered notes [n] are at the end of the file.
 */

// ---- Publisher -------------------------------------------------------------------------------

/** The message being fanned out: which subscribers have not answered yet, and calls made. */
export interface Fanout {
  readonly seq: number;
  readonly callsBySubscriber: Readonly<Record<NodeId, number>>;
}

export interface DirectPublisherState extends Workload {
  readonly fanout: Fanout | null;
}

type PublisherContext = NodeContext<DirectMessage, PublisherDurable>;

const callPrefix = 'call:';

export const directPublisherBehaviour: Behaviour<
  DirectPublisherState,
  DirectMessage,
  PublisherDurable
> = {
  initialDurable: initialPublisherDurable,

  init(ctx: PublisherContext): DirectPublisherState {
    scheduleProduce(ctx);
    return { outbox: [], isPublishing: true, fanout: null };
  },

  receive(
    state: DirectPublisherState,
    event: NodeEvent<DirectMessage>,
    ctx: PublisherContext,
  ): DirectPublisherState {
    const produced = onWorkloadEvent(state, event, ctx, withOutbox);
    if (produced !== null) return produced.fanout === null ? startFanout(produced, ctx) : produced;
    if (event.kind === 'message' && event.message.type === 'NotifyAck') {
      return settle(state, event.from, event.message.seq, ctx);
    }
    if (event.kind === 'timer' && event.name.startsWith(callPrefix)) {
      return onCallTimeout(state, event.name.slice(callPrefix.length), ctx);
    }
    return state;
  },

  summarize(state: DirectPublisherState, durable: PublisherDurable): NodeSummary {
    const calls = state.fanout?.callsBySubscriber ?? {};
    let isRetrying = false;
    for (const id in calls) isRetrying ||= (calls[id] as number) > 1;
    const label = isRetrying ? 'retrying' : state.isPublishing ? 'publishing' : 'stopped';
    return {
      label,
      badge: workloadBadge(countSeqs(durable.acked), state.outbox.length),
      health: isRetrying || state.outbox.length * 2 > outboxMax ? 'warn' : 'ok',
    };
  },
};

/** [1] Calls every subscriber of the head message's topic at once. */
function startFanout(state: DirectPublisherState, ctx: PublisherContext): DirectPublisherState {
  const head = state.outbox[0];
  if (head === undefined) return state;
  const callsBySubscriber: Record<NodeId, number> = {};
  for (const profile of subscriberProfiles(ctx.params)) {
    if (!isOwed(profile, head.seq, ctx.params)) continue;
    callsBySubscriber[profile.id] = 1;
    call(profile.id, 1, state, ctx);
  }
  return settleIfDone(withFanout(state, { seq: head.seq, callsBySubscriber }), ctx);
}

function call(subscriber: NodeId, attempt: number, state: Workload, ctx: PublisherContext): void {
  const head = state.outbox[0];
  if (head === undefined) return;
  if (attempt > 1) ctx.metric('publish-retries', 1);
  const { seq, topic, createdUs } = head;
  ctx.send(subscriber, { type: 'Notify', seq, topic, createdUs, attempt });
  ctx.setTimer(callPrefix + subscriber, msParamUs(ctx, 'callTimeoutMs'));
}

/** [1] A subscriber answered for the head message. */
function settle(
  state: DirectPublisherState,
  subscriber: NodeId,
  seq: number,
  ctx: PublisherContext,
): DirectPublisherState {
  const fanout = state.fanout;
  if (fanout?.seq !== seq || !(subscriber in fanout.callsBySubscriber)) return state;
  ctx.cancelTimer(callPrefix + subscriber);
  return settleIfDone(withFanout(state, withoutSubscriber(fanout, subscriber)), ctx);
}

/** [2] No answer in time: call again, or give up on this subscriber for this message. */
function onCallTimeout(
  state: DirectPublisherState,
  subscriber: NodeId,
  ctx: PublisherContext,
): DirectPublisherState {
  const fanout = state.fanout;
  const calls = fanout?.callsBySubscriber[subscriber];
  if (fanout === null || calls === undefined) return state;
  if (calls < paramOf(ctx, 'callTriesMax')) {
    call(subscriber, calls + 1, state, ctx);
    const callsBySubscriber = { ...fanout.callsBySubscriber, [subscriber]: calls + 1 };
    return { ...state, fanout: { ...fanout, callsBySubscriber } };
  }
  ctx.annotate(`gives up on ${subscriber} for message ${fanout.seq} after ${calls} calls`);
  return settleIfDone(withFanout(state, withoutSubscriber(fanout, subscriber)), ctx);
}

/** [1] Everyone answered or was given up on: the message counts as published; next one. */
function settleIfDone(state: DirectPublisherState, ctx: PublisherContext): DirectPublisherState {
  const fanout = state.fanout;
  const head = state.outbox[0];
  if (fanout === null || head === undefined || !isEmpty(fanout.callsBySubscriber)) return state;
  noteAcked(head, ctx);
  const next = { outbox: state.outbox.slice(1), isPublishing: state.isPublishing, fanout: null };
  return startFanout(next, ctx);
}

function isEmpty(record: Readonly<Record<string, unknown>>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

function withoutSubscriber(fanout: Fanout, subscriber: NodeId): Fanout {
  const callsBySubscriber: Record<NodeId, number> = {};
  const calls = fanout.callsBySubscriber;
  for (const id in calls) if (id !== subscriber) callsBySubscriber[id] = calls[id] as number;
  return { seq: fanout.seq, callsBySubscriber };
}

// Whole literals, in one field order, rather than `{ ...state, field }`: V8 builds a spread
// with overrides several times slower, and these states change on nearly every event.

function withFanout(state: DirectPublisherState, fanout: Fanout | null): DirectPublisherState {
  return { outbox: state.outbox, isPublishing: state.isPublishing, fanout };
}

function withOutbox(state: DirectPublisherState, outbox: readonly OutboxItem[]) {
  return { outbox, isPublishing: state.isPublishing, fanout: state.fanout };
}

// ---- Subscriber ------------------------------------------------------------------------------

interface Waiting {
  readonly publisher: NodeId;
  readonly seq: number;
  readonly topic: string;
  readonly createdUs: number;
}

export interface DirectSubscriberState extends SubscriberCommon {
  /** Calls taken and waiting for processing (an in-process queue: lost on a crash). */
  readonly waiting: readonly Waiting[];
  /** The message being processed, to answer when done. */
  readonly busy: Waiting | null;
  /** Highest sequence number taken from each publisher. */
  readonly highestTaken: Readonly<Record<NodeId, number>>;
}

type SubscriberContext = NodeContext<DirectMessage, SubscriberDurable>;

const workTimer = 'work';

export const directSubscriberBehaviour: Behaviour<
  DirectSubscriberState,
  DirectMessage,
  SubscriberDurable
> = {
  initialDurable: initialSubscriberDurable,

  init(ctx: SubscriberContext): DirectSubscriberState {
    // [3] After a restart it takes up where its store says it was.
    const highestTaken: Record<NodeId, number> = {};
    for (const [publisher, ranges] of Object.entries(ctx.durable.processed)) {
      highestTaken[publisher] = maxSeq(ranges);
    }
    armStoryline(ctx);
    return {
      profile: profileOf(ctx.self, ctx.params),
      slowFactor: 1,
      isLosingAcks: false,
      last: null,
      waiting: [],
      busy: null,
      highestTaken,
    };
  },

  receive(
    state: DirectSubscriberState,
    event: NodeEvent<DirectMessage>,
    ctx: SubscriberContext,
  ): DirectSubscriberState {
    const faulted = onSubscriberFault(state, event, ctx);
    if (faulted !== null) return faulted;
    if (event.kind === 'message' && event.message.type === 'Notify') {
      return onNotify(state, event.from, event.message, ctx);
    }
    if (event.kind === 'timer' && event.name === workTimer) return onWorkDone(state, ctx);
    return state;
  },

  summarize(state: DirectSubscriberState, durable: SubscriberDurable): NodeSummary {
    const isFaulted = state.slowFactor > 1 || state.isLosingAcks;
    return {
      label: subscriberLabel(state),
      badge: subscriberBadge(durable),
      health: isFaulted ? 'warn' : 'ok',
    };
  },
};

/** [3] Takes a call that is newer than anything taken from that publisher; answers old ones. */
function onNotify(
  state: DirectSubscriberState,
  from: NodeId,
  message: NotifyMessage,
  ctx: SubscriberContext,
): DirectSubscriberState {
  if (message.seq <= (state.highestTaken[from] ?? 0)) {
    if (hasSeq(ctx.durable.processed[from], message.seq)) answer(from, message.seq, state, ctx);
    return state;
  }
  if (state.waiting.length >= paramOf(ctx, 'queueCapacity')) return state; // [4] no room: no answer
  const item: Waiting = {
    publisher: from,
    seq: message.seq,
    topic: message.topic,
    createdUs: message.createdUs,
  };
  const waiting = state.waiting.slice();
  waiting.push(item);
  const highestTaken: Record<NodeId, number> = { ...state.highestTaken };
  highestTaken[from] = message.seq;
  const next = subscriberState(state, state.last, waiting, state.busy, highestTaken);
  return next.busy === null ? startNext(next, ctx) : next;
}

function startNext(state: DirectSubscriberState, ctx: SubscriberContext): DirectSubscriberState {
  const item = state.waiting[0];
  if (item === undefined) return state;
  const last = processMessage(item.publisher, item.seq, item.topic, item.createdUs, ctx);
  ctx.setTimer(workTimer, processingUs(state, ctx));
  return subscriberState(state, last, state.waiting.slice(1), item, state.highestTaken);
}

function onWorkDone(state: DirectSubscriberState, ctx: SubscriberContext): DirectSubscriberState {
  if (state.busy !== null) answer(state.busy.publisher, state.busy.seq, state, ctx);
  const idle = subscriberState(state, state.last, state.waiting, null, state.highestTaken);
  return startNext(idle, ctx);
}

/** A whole literal, in one field order (see `withFanout`). */
function subscriberState(
  state: DirectSubscriberState,
  last: DirectSubscriberState['last'],
  waiting: readonly Waiting[],
  busy: Waiting | null,
  highestTaken: Readonly<Record<NodeId, number>>,
): DirectSubscriberState {
  const { profile, slowFactor, isLosingAcks } = state;
  return { profile, slowFactor, isLosingAcks, last, waiting, busy, highestTaken };
}

function answer(
  publisher: NodeId,
  seq: number,
  state: DirectSubscriberState,
  ctx: SubscriberContext,
): void {
  if (!state.isLosingAcks) ctx.send(publisher, { type: 'NotifyAck', seq });
}

/*
 * Notes
 *
 * [1] Fan-out by hand. The publisher sends the head of its outbox to every subscriber of its topic
 *     and waits until all have answered before the next message. So it runs at the pace of its
 *     slowest subscriber: a slow one delays every message for everyone (coupling in time), and
 *     the publisher must know every subscriber (coupling in space). "Published" here means the
 *     fan-out is over: answered by every subscriber, or given up on.
 *
 * [2] No buffer for the absent. A subscriber that does not answer is called again after the call
 *     timeout, up to `callTriesMax` calls, then given up on: that subscriber never gets the
 *     message (nothing stores it for later), and meanwhile every other subscriber waited.
 *
 * [3] The subscriber takes calls in order: only a message newer than anything it took from that
 *     publisher. An older one is a repeat (answered again if it was processed) or one it has moved
 *     past. That makes repeats harmless and makes a given-up message certainly lost once a later
 *     one from the same publisher was taken.
 *
 * [4] Its in-process queue is bounded by the same queue bound as the broker's; a call that finds
 *     it full is not answered, so the publisher calls again later.
 */
