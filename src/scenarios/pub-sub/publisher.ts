import type { Behaviour, NodeContext, NodeEvent, NodeSummary } from '../../engine/types.ts';
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
import type { PublisherMessage, PublishNackMessage } from './protocol.ts';
import { countSeqs } from './ranges.ts';
import { brokerId, msParamUs } from './roster.ts';

/**
 * The pattern's publisher: a client of the broker's publish protocol (protocol.ts [1]). It sends
 * the head of its outbox, waits for the broker's PublishAck, and only then sends the next one.
 * No answer: send the same message again after the publish timeout. Refused because a queue is
 * full: back off (exponential, full jitter) and retry. Numbered notes [n] are at the end.
 */

export interface PublisherState extends Workload {
  /** The broker epoch last heard of (0: none yet). */
  readonly epoch: number;
  /** Sends of the head message so far. */
  readonly headSends: number;
  /** Refusals in a row (for the back-off), 0 once a publish is accepted. */
  readonly refusals: number;
}

type Context = NodeContext<PublisherMessage, PublisherDurable>;

const retryTimer = 'retry';
/** The back-off doubles with each refusal in a row up to this multiple of the base. */
const backoffMultipleMax = 16;

export const publisherBehaviour: Behaviour<PublisherState, PublisherMessage, PublisherDurable> = {
  initialDurable: initialPublisherDurable,

  init(ctx: Context): PublisherState {
    scheduleProduce(ctx);
    return { outbox: [], isPublishing: true, epoch: 0, headSends: 0, refusals: 0 };
  },

  receive(state: PublisherState, event: NodeEvent<PublisherMessage>, ctx: Context): PublisherState {
    const produced = onWorkloadEvent(state, event, ctx, withOutbox);
    if (produced !== null) return state.outbox.length === 0 ? sendHead(produced, ctx) : produced;
    switch (event.kind) {
      case 'message':
        return onReply(state, event.message, ctx);
      case 'timer':
        return event.name === retryTimer ? sendHead(state, ctx) : state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: PublisherState, durable: PublisherDurable): NodeSummary {
    const label = state.refusals > 0 ? 'refused' : state.isPublishing ? 'publishing' : 'stopped';
    const isBacklogged = state.outbox.length * 2 > outboxMax;
    return {
      label,
      badge: workloadBadge(countSeqs(durable.acked), state.outbox.length),
      health: state.refusals > 0 || isBacklogged ? 'warn' : 'ok',
    };
  },
};

/** [1] Sends (or sends again) the head of the outbox and waits for the answer. */
function sendHead(state: PublisherState, ctx: Context): PublisherState {
  const head = state.outbox[0];
  if (head === undefined) return state;
  if (state.headSends > 0) ctx.metric('publish-retries', 1);
  ctx.send(brokerId, {
    type: 'Publish',
    topic: head.topic,
    seq: head.seq,
    createdUs: head.createdUs,
    epoch: state.epoch,
  });
  ctx.setTimer(retryTimer, msParamUs(ctx, 'publishTimeoutMs'));
  return publisherState(state, state.outbox, state.epoch, state.headSends + 1, state.refusals);
}

function onReply(state: PublisherState, message: PublisherMessage, ctx: Context): PublisherState {
  const head = state.outbox[0];
  if (message.type === 'Publish' || head?.seq !== message.seq) return state; // stale answer
  if (message.type === 'PublishNack') return onRefused(state, message, ctx);
  // [1] Accepted: the broker owns the message now. On to the next one.
  ctx.cancelTimer(retryTimer);
  noteAcked(head, ctx);
  const epoch = Math.max(state.epoch, message.epoch);
  return sendHead(publisherState(state, state.outbox.slice(1), epoch, 0, 0), ctx);
}

/** [2] [3] A refusal: adopt a newer epoch and retry now, or back off from a full queue. */
function onRefused(
  state: PublisherState,
  message: PublishNackMessage,
  ctx: Context,
): PublisherState {
  if (message.reason === 'epoch') {
    if (message.epoch <= state.epoch) return state; // from an older broker incarnation
    // The handshake with a (re)started broker: not a retry, so the count starts afresh.
    return sendHead({ ...state, epoch: message.epoch, headSends: 0 }, ctx);
  }
  ctx.metric('publish-refused', 1);
  const refusals = state.refusals + 1;
  const ceilingUs =
    msParamUs(ctx, 'publishBackoffMs') *
    Math.min(backoffMultipleMax, 1 << Math.min(refusals - 1, 4));
  ctx.setTimer(retryTimer, Math.round(ctx.random.float() * ceilingUs));
  return { ...state, refusals, epoch: Math.max(state.epoch, message.epoch) };
}

/**
 * The state with new publishing fields: whole literals, which V8 builds several times faster
 * than `{ ...state, field }` (the publisher changes state on nearly every event).
 */
function publisherState(
  state: PublisherState,
  outbox: readonly OutboxItem[],
  epoch: number,
  headSends: number,
  refusals: number,
): PublisherState {
  return { outbox, isPublishing: state.isPublishing, epoch, headSends, refusals };
}

function withOutbox(state: PublisherState, outbox: readonly OutboxItem[]): PublisherState {
  return publisherState(state, outbox, state.epoch, state.headSends, state.refusals);
}

/*
 * Notes
 *
 * [1] Stop-and-wait. One message in flight per publisher keeps its messages in sequence order at
 *     the broker, whatever the network does (a retry is the same message, which the broker
 *     deduplicates). A PublishAck answers the head only; any other answer is stale and ignored.
 *
 * [2] Epochs. A publisher starts knowing no broker epoch; its first publish is refused with the
 *     current one, which it adopts and retries at once (a connection handshake, in effect). After
 *     a broker restart the same happens again. A refusal naming an epoch no newer than the one it
 *     knows comes from an old incarnation and is ignored.
 *
 * [3] Back-pressure. A "full" refusal means some subscription of the topic is at its bound and
 *     the broker blocks publishers rather than drop messages. The publisher keeps the message,
 *     waits a random time up to the back-off ceiling (base × 2^(refusals−1), at most 16 × base:
 *     "full jitter", so publishers do not retry in lockstep) and tries again. Meanwhile the
 *     application keeps creating messages into the outbox; when that fills up too, it cannot
 *     publish at all (publish-blocked).
 */
