import type { Message, NodeContext, NodeEvent, NodeId } from '../../engine/types.ts';
import { addSeq, hasSeq, type SeqRanges } from './ranges.ts';
import { paramOf, type SubscriberProfile } from './roster.ts';
import { storylineFaultArgs, storylineTimer } from './storyline.ts';

/**
 * What every subscriber does with a message, whoever delivered it (the broker in the pattern,
 * the publisher itself in the baseline): apply it to its own store, record exactly which message
 * it processed, and measure it. Also the two subscriber faults, which both variants honour.
 */

/**
 * Durable: the subscriber's store. `processed` records exactly which messages it has applied,
 * per publisher; it is what duplicates, loss and order are judged by, and it survives crashes
 * (it is the subscriber's database).
 */
export interface SubscriberDurable {
  /** Connections opened so far (the pattern's subscriber opens one per start). */
  readonly session: number;
  readonly processed: Readonly<Record<NodeId, SeqRanges>>;
  /** Every processing, repeats included. */
  readonly processedCount: number;
  /** Processings of a message this subscriber had already processed. */
  readonly duplicateCount: number;
}

/** The last message a subscriber processed (read by the safety invariants). */
export interface ProcessedRecord {
  readonly publisher: NodeId;
  readonly seq: number;
  readonly topic: string;
  readonly isRepeat: boolean;
}

/** The part of a subscriber's volatile state the faults and the summary need. */
export interface SubscriberCommon {
  readonly profile: SubscriberProfile;
  /** Processing time multiplier while the "slow subscriber" fault lasts (1 otherwise). */
  readonly slowFactor: number;
  /** While the "lose acks" fault lasts, the subscriber processes but never acks. */
  readonly isLosingAcks: boolean;
  readonly last: ProcessedRecord | null;
}

type Context = Pick<
  NodeContext<Message, SubscriberDurable>,
  'self' | 'params' | 'localTimeUs' | 'durable' | 'persist' | 'metric' | 'setTimer' | 'annotate'
>;

export const slowOverTimer = 'slow-over';
export const acksOverTimer = 'acks-over';

export function initialSubscriberDurable(): SubscriberDurable {
  return { session: 0, processed: {}, processedCount: 0, duplicateCount: 0 };
}

/**
 * Applies message `(publisher, seq)`: records it in the durable store and samples the metrics
 * (`delivered` or `duplicates`; end-to-end latency on a first delivery only). Returns the record
 * of what was processed.
 */
export function processMessage(
  publisher: NodeId,
  seq: number,
  topic: string,
  createdUs: number,
  ctx: Context,
): ProcessedRecord {
  const store = ctx.durable;
  const isRepeat = hasSeq(store.processed[publisher], seq);
  let processed = store.processed;
  if (!isRepeat) {
    const next: Record<NodeId, SeqRanges> = { ...processed };
    next[publisher] = addSeq(processed[publisher], seq);
    processed = next;
  }
  // A whole literal: V8 builds `{ ...store, field }` several times slower, on every message.
  ctx.persist({
    session: store.session,
    processed,
    processedCount: store.processedCount + 1,
    duplicateCount: store.duplicateCount + (isRepeat ? 1 : 0),
  });
  if (isRepeat) {
    ctx.metric('duplicates', 1);
  } else {
    const latencyMs = (ctx.localTimeUs - createdUs) / 1000;
    ctx.metric('delivered', 1);
    ctx.metric('latency', latencyMs);
    ctx.metric('latency-p99', latencyMs);
    ctx.metric(latencyMetricOf(ctx.self), latencyMs);
  }
  return { publisher, seq, topic, isRepeat };
}

/** Per-subscriber latency metric names, built once per subscriber rather than per message. */
const latencyMetrics = new Map<NodeId, string>();

function latencyMetricOf(subscriber: NodeId): string {
  let name = latencyMetrics.get(subscriber);
  if (name === undefined) {
    name = `latency-${subscriber}`;
    latencyMetrics.set(subscriber, name);
  }
  return name;
}

/** How long the subscriber is busy with one message now, in microseconds. */
export function processingUs(common: SubscriberCommon, ctx: Pick<Context, 'params'>): number {
  const key = common.profile.isSlow ? 'slowProcessingMs' : 'fastProcessingMs';
  return Math.round(paramOf(ctx, key) * 1000 * common.slowFactor);
}

/**
 * The two subscriber faults and their end timers, and the storyline's start (storyline.ts), which
 * applies the "slow subscriber" fault; null when the event is none of them.
 */
export function onSubscriberFault<S extends SubscriberCommon>(
  state: S,
  event: NodeEvent,
  ctx: Pick<Context, 'params' | 'setTimer' | 'annotate'>,
): S | null {
  if (event.kind === 'timer') {
    if (event.name === slowOverTimer) return { ...state, slowFactor: 1 };
    if (event.name === acksOverTimer) return { ...state, isLosingAcks: false };
    if (event.name === storylineTimer) return slowDown(state, storylineFaultArgs(ctx.params), ctx);
    return null;
  }
  if (event.kind !== 'fault') return null;
  if (event.fault === 'slow-subscriber') return slowDown(state, event.args, ctx);
  const durationUs = Math.round((event.args.durationMs ?? 5000) * 1000);
  if (event.fault === 'lose-acks') {
    ctx.setTimer(acksOverTimer, durationUs);
    ctx.annotate(`loses its acks for ${durationUs / 1000} ms`);
    return { ...state, isLosingAcks: true };
  }
  return state;
}

/** The "slow subscriber" fault: processing × `factor` until its end timer. */
function slowDown<S extends SubscriberCommon>(
  state: S,
  args: Readonly<Record<string, number>>,
  ctx: Pick<Context, 'setTimer' | 'annotate'>,
): S {
  const durationUs = Math.round((args.durationMs ?? 5000) * 1000);
  const factor = Math.max(1, args.factor ?? 5);
  ctx.setTimer(slowOverTimer, durationUs);
  ctx.annotate(`slowed ×${factor} for ${durationUs / 1000} ms`);
  return { ...state, slowFactor: factor };
}

/** The summary label a subscriber shows (view.ts colours by it). */
export function subscriberLabel(common: SubscriberCommon): string {
  if (common.isLosingAcks) return 'losing acks';
  if (common.slowFactor > 1) return 'slowed';
  if (common.profile.isSlow) return 'slow';
  return common.profile.isDurable ? 'durable' : 'in-memory';
}

export function subscriberBadge(store: SubscriberDurable): string {
  const first = store.processedCount - store.duplicateCount;
  return `${first} got · ${store.duplicateCount} dup`;
}
