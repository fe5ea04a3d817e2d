import { exponential } from '../../engine/distributions.ts';
import type { Message, NodeContext, NodeEvent } from '../../engine/types.ts';
import { addSeq, type SeqRanges } from './ranges.ts';
import { paramOf, topicOfSeq } from './roster.ts';

/**
 * The workload, the same in both variants: each publisher's application creates messages at
 * random (Poisson arrivals at the publish interval) into a bounded outbox, from which the
 * publisher sends them one at a time, in order. Operators can pause and resume publishing and
 * fire a burst. What differs between the variants is only how the head of the outbox gets out:
 * to the broker (publisher.ts) or to every subscriber directly (direct.ts).
 */

/** Messages an outbox holds; when it is full the application cannot publish (publish-blocked). */
export const outboxMax = 500;
/** Largest burst the operator control may ask for at once. */
export const burstMax = 200;

/**
 * Durable: the publisher's numbering and its record of what was acknowledged. `nextSeq` is
 * written before a number is used, so a restarted publisher never reuses one; `acked` is what
 * the loss accounting and the tests count as "published and acknowledged".
 */
export interface PublisherDurable {
  readonly nextSeq: number;
  readonly acked: SeqRanges;
}

/** A message waiting to go out. */
export interface OutboxItem {
  readonly seq: number;
  readonly topic: string;
  /** Publisher-local creation time, where end-to-end latency starts. */
  readonly createdUs: number;
}

/** The part of a publisher's volatile state the workload owns. */
export interface Workload {
  readonly outbox: readonly OutboxItem[];
  readonly isPublishing: boolean;
}

type Context = NodeContext<Message, PublisherDurable>;

export const produceTimer = 'produce';

export function initialPublisherDurable(): PublisherDurable {
  return { nextSeq: 1, acked: [] };
}

/** Draws the wait until the application's next message. */
export function scheduleProduce(ctx: Context): void {
  const meanUs = Math.max(1, paramOf(ctx, 'publishIntervalMs') * 1000);
  ctx.setTimer(produceTimer, Math.round(exponential(ctx.random, meanUs)));
}

/** Creates one message at the back of the outbox, numbering it durably; null when full. */
function createMessage(outbox: readonly OutboxItem[], ctx: Context): readonly OutboxItem[] | null {
  if (outbox.length >= outboxMax) {
    ctx.metric('publish-blocked', 1);
    return null;
  }
  const seq = ctx.durable.nextSeq;
  ctx.persist({ nextSeq: seq + 1, acked: ctx.durable.acked });
  const next = outbox.slice();
  next.push({ seq, topic: topicOfSeq(seq, ctx.params), createdUs: ctx.localTimeUs });
  return next;
}

/**
 * The workload's events: the produce timer and the operator controls `set-publishing` and
 * `burst`. Returns the new workload, or null when the event is not the workload's.
 * `withOutbox` rebuilds the caller's state around a new outbox (a whole literal is several
 * times faster in V8 than `{ ...state, outbox }`, and a message is produced every few events).
 */
export function onWorkloadEvent<S extends Workload>(
  state: S,
  event: NodeEvent,
  ctx: Context,
  withOutbox: (state: S, outbox: readonly OutboxItem[]) => S,
): S | null {
  if (event.kind === 'timer' && event.name === produceTimer) {
    scheduleProduce(ctx);
    if (!state.isPublishing) return state;
    const outbox = createMessage(state.outbox, ctx);
    return outbox === null ? state : withOutbox(state, outbox);
  }
  if (event.kind !== 'fault') return null;
  if (event.fault === 'set-publishing') {
    const isPublishing = (event.args.enabled ?? 1) !== 0;
    ctx.annotate(isPublishing ? 'resumes publishing' : 'stops publishing');
    return { ...state, isPublishing };
  }
  if (event.fault === 'burst') {
    const count = Math.min(burstMax, Math.max(1, Math.round(event.args.count ?? 20)));
    let outbox = state.outbox;
    for (let i = 0; i < count; i++) outbox = createMessage(outbox, ctx) ?? outbox;
    ctx.annotate(`publishes a burst of ${count}`);
    return withOutbox(state, outbox);
  }
  return null;
}

/** Records that `item` is published and acknowledged: durably, and in the metrics. */
export function noteAcked(item: OutboxItem, ctx: Context): void {
  ctx.persist({ nextSeq: ctx.durable.nextSeq, acked: addSeq(ctx.durable.acked, item.seq) });
  ctx.metric('published', 1);
  ctx.metric('publish-latency', (ctx.localTimeUs - item.createdUs) / 1000);
}

export function workloadBadge(acked: number, waiting: number): string {
  return `${acked} acked · ${waiting} waiting`;
}
