import type { Behaviour, NodeContext, NodeEvent, NodeSummary } from '../../engine/types.ts';
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
import type { DeliverMessage, SubscriptionMessage } from './protocol.ts';
import { brokerId, paramOf, profileOf, msParamUs } from './roster.ts';
import { armStoryline } from './storyline.ts';

/**
 * The pattern's subscriber: a client of the broker's subscription protocol (protocol.ts [2],
 * [3]). It keeps one pull outstanding, takes a delivery only if it answers that pull, processes
 * it, acks it (at-least-once), and pulls again. Numbered notes [n] are at the end of the file.
 */

/** Volatile state: a restart opens a new session and forgets the pull in progress. */
export interface SubscriberState extends SubscriberCommon {
  /** The current pull of this session. */
  readonly pull: number;
  /** `waiting` for the answer to `pull`, or `busy` processing a message. */
  readonly phase: 'waiting' | 'busy';
  /** The message being processed, to ack when done. */
  readonly current: { readonly publisher: string; readonly seq: number } | null;
}

type Context = NodeContext<SubscriptionMessage, SubscriberDurable>;

const pullTimer = 'pull';
const workTimer = 'work';

export const subscriberBehaviour: Behaviour<
  SubscriberState,
  SubscriptionMessage,
  SubscriberDurable
> = {
  initialDurable: initialSubscriberDurable,

  init(ctx: Context): SubscriberState {
    // [1] Every start is a new connection: a new session number, pulls counted from 1.
    ctx.persist({ ...ctx.durable, session: ctx.durable.session + 1 });
    const state: SubscriberState = {
      profile: profileOf(ctx.self, ctx.params),
      slowFactor: 1,
      isLosingAcks: false,
      last: null,
      pull: 1,
      phase: 'waiting',
      current: null,
    };
    sendPull(state, ctx);
    armStoryline(ctx);
    return state;
  },

  receive(
    state: SubscriberState,
    event: NodeEvent<SubscriptionMessage>,
    ctx: Context,
  ): SubscriberState {
    const faulted = onSubscriberFault(state, event, ctx);
    if (faulted !== null) return faulted;
    switch (event.kind) {
      case 'message':
        return event.message.type === 'Deliver' ? onDeliver(state, event.message, ctx) : state;
      case 'timer':
        if (event.name === workTimer) return onWorkDone(state, ctx);
        if (event.name === pullTimer && state.phase === 'waiting') {
          return pullAgain(state, state.current, ctx);
        }
        return state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: SubscriberState, durable: SubscriberDurable): NodeSummary {
    const isFaulted = state.slowFactor > 1 || state.isLosingAcks;
    return {
      label: subscriberLabel(state),
      badge: subscriberBadge(durable),
      health: isFaulted ? 'warn' : 'ok',
    };
  },
};

/** [2] Only the answer to the current pull of the current session is taken. */
function onDeliver(state: SubscriberState, message: DeliverMessage, ctx: Context): SubscriberState {
  const isCurrent =
    state.phase === 'waiting' &&
    message.session === ctx.durable.session &&
    message.pull === state.pull;
  if (!isCurrent) return state;
  ctx.cancelTimer(pullTimer);
  const last = processMessage(
    message.publisher,
    message.seq,
    message.topic,
    message.createdUs,
    ctx,
  );
  ctx.setTimer(workTimer, processingUs(state, ctx));
  const current = { publisher: message.publisher, seq: message.seq };
  return subscriberState(state, last, state.pull, 'busy', current);
}

/** [3] Done with the message: ack it (at-least-once, unless acks are being lost), pull again. */
function onWorkDone(state: SubscriberState, ctx: Context): SubscriberState {
  const current = state.current;
  if (current !== null && paramOf(ctx, 'deliveryMode') === 1 && !state.isLosingAcks) {
    ctx.send(brokerId, { type: 'Ack', publisher: current.publisher, seq: current.seq });
  }
  return pullAgain(state, null, ctx);
}

/** [2] A new pull supersedes the old one: any late answer to the old one will be discarded. */
function pullAgain(
  state: SubscriberState,
  current: SubscriberState['current'],
  ctx: Context,
): SubscriberState {
  const next = subscriberState(state, state.last, state.pull + 1, 'waiting', current);
  sendPull(next, ctx);
  return next;
}

/**
 * The state with a new pull position, phase and current message: a whole literal, since V8
 * builds `{ ...state, field }` several times slower and this runs on nearly every event.
 */
function subscriberState(
  state: SubscriberState,
  last: SubscriberState['last'],
  pull: number,
  phase: SubscriberState['phase'],
  current: SubscriberState['current'],
): SubscriberState {
  return {
    profile: state.profile,
    slowFactor: state.slowFactor,
    isLosingAcks: state.isLosingAcks,
    last,
    pull,
    phase,
    current,
  };
}

function sendPull(state: SubscriberState, ctx: Context): void {
  ctx.send(brokerId, {
    type: 'Pull',
    session: ctx.durable.session,
    pull: state.pull,
    topics: state.profile.topics,
    isDurable: state.profile.isDurable,
  });
  ctx.setTimer(pullTimer, msParamUs(ctx, 'pullTimeoutMs'));
}

/*
 * Notes
 *
 * [1] Sessions. The session number is durable so that it grows across restarts; the broker uses
 *     it to tell a new connection from an old one (protocol.ts [2], broker.ts [7]).
 *
 * [2] One pull at a time, and only its answer counts. The subscriber takes a Deliver only while
 *     it is waiting, and only when the Deliver names its current session and pull. When the pull
 *     timeout passes it sends the next pull, which makes the old one dead: an answer to it that
 *     arrives later (after a partition, a pause, a slow link) is dropped unread. In at-least-once
 *     mode the broker still holds that message and delivers it again after its ack deadline; in
 *     at-most-once mode it is gone, and the loss is certain the moment the pull is superseded.
 *
 * [3] Processing. The message is applied to the subscriber's durable store when it is taken (so a
 *     crash during the processing time loses the ack, not the effect: the broker will deliver it
 *     again and it is processed twice). The subscriber stays busy for its processing time, then
 *     acks and pulls again. The ack and the next pull travel separately, so a lost ack alone
 *     makes a duplicate: the broker redelivers once the ack deadline passes.
 */
