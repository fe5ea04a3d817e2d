import type { Simulation } from '../../engine/simulation.ts';
import type { Behaviour, NodeId, ScenarioModel, WorldView } from '../../engine/types.ts';
import {
  metricOf,
  paramsWithDefaults,
  runFor,
  type RunSpec,
  runUntilMet,
  samplesOf,
  startRun,
  withWrappedRole,
} from '../testing/runKit.ts';
import { pubSub } from './model.ts';
import { pubSubParams } from './params.ts';
import type { ProcessedRecord, SubscriberCommon, SubscriberDurable } from './processing.ts';
import { messageKey, publisherRole, subscriberRole } from './protocol.ts';
import { forEachSeqAbove } from './ranges.ts';
import { isOwed, publisherIds, subscriberProfiles } from './roster.ts';
import {
  brokerOf,
  heldQueue,
  isPublisherIdle,
  isUp,
  publisherStore,
  subscriberStore,
} from './world.ts';

export {
  invariantOf as invariant,
  metricOf as metric,
  reproduction,
  runFor,
  violatedSafetyInvariants as safetyViolations,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until something
 * happens, quiesce it, and recount deliveries, duplicates and losses independently of the
 * scenario's own bookkeeping, from the trace and the publishers' acknowledged sets.
 */

export interface RunOptions extends RunSpec {
  /** Records what each subscriber received and processed (see `tapped`). */
  readonly tap?: Tap;
  /** A model to run instead of the scenario (e.g. one with a deliberately broken behaviour). */
  readonly model?: ScenarioModel;
}

/** Trace events kept in tapped runs: enough for every event of the runs the tests make. */
export const tappedTraceWindowMax = 150_000;

export function start(seed: number, options: RunOptions = {}): Simulation {
  const tap = options.tap;
  const base = options.model ?? pubSub;
  const model = tap === undefined ? base : tapped(base, tap);
  const sim = startRun(model, seed, {
    ...options,
    scenario: pubSub,
    ...(tap === undefined ? {} : { traceWindowMax: tappedTraceWindowMax }),
  });
  if (tap !== undefined) tap.sim = sim;
  return sim;
}

export const sliceUs = 50_000;

/** Runs in slices until `isMet` or `limitMs` passes; whether it was met. */
export function runUntil(sim: Simulation, isMet: (world: WorldView) => boolean, limitMs: number) {
  return runUntilMet(sim, isMet, limitMs, sliceUs);
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(pubSubParams, params);
}

/** Values of every sample of a metric recorded after `sinceUs`, read from the trace. */
export function samples(sim: Simulation, name: string, sinceUs = 0): number[] {
  return samplesOf(sim, name, sinceUs);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0
  );
}

// ---- Quiescence ------------------------------------------------------------------------------

/** Whether nothing is left to move: publishers idle, queues empty, nobody busy. */
export function isQuiet(world: WorldView): boolean {
  const broker = brokerOf(world);
  if (broker !== undefined && !isUp(broker)) return false;
  for (const publisher of publisherIds(world.params)) {
    if (!isUp(world.node(publisher)) || !isPublisherIdle(world, publisher)) return false;
  }
  for (const profile of subscriberProfiles(world.params)) {
    const node = world.node(profile.id);
    if (!isUp(node)) return false;
    if ((heldQueue(world, profile.id)?.length ?? 0) > 0) return false;
    const state = node.state as { phase?: string; waiting?: unknown[]; busy?: unknown };
    if (
      state.phase === 'busy' ||
      (state.waiting?.length ?? 0) > 0 ||
      (state.busy ?? null) !== null
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Stops every publisher, runs until the system is quiet, then long enough for any answer still
 * on the wire to land or be given up on (a pull timeout) and for the monitor to sample twice.
 * Returns whether it got quiet within `limitMs`.
 */
export function quiesce(sim: Simulation, limitMs = 60_000): boolean {
  for (const publisher of publisherIds(sim.params)) {
    if (isUp(sim.node(publisher))) {
      sim.apply({
        type: 'scenario.fault',
        fault: 'set-publishing',
        node: publisher,
        args: { enabled: 0 },
      });
    }
  }
  const isQuietNow = runUntil(sim, isQuiet, limitMs);
  runFor(sim, (sim.params.pullTimeoutMs ?? 1000) + 500);
  return isQuietNow && isQuiet(sim);
}

// ---- The tap and the independent recount -----------------------------------------------------

/** A message received by a subscriber: a Deliver (pattern) or Notify (baseline) in the trace. */
export interface Received {
  readonly traceIndex: number;
  readonly subscriber: NodeId;
  readonly publisher: NodeId;
  readonly seq: number;
}

/** A processing, as the subscriber's own event made it. */
export interface Processing {
  readonly subscriber: NodeId;
  readonly publisher: NodeId;
  readonly seq: number;
  /** Trace index of the delivery event that caused it, when it was a delivery. */
  readonly traceIndex: number | null;
}

export interface Tap {
  sim: Simulation | null;
  readonly received: Received[];
  readonly processings: Processing[];
}

export function newTap(): Tap {
  return { sim: null, received: [], processings: [] };
}

/**
 * The scenario with every subscriber wrapped: before the subscriber sees a delivered message,
 * the wrapper notes its payload against the trace event that delivered it; after any event, if
 * the subscriber's processed count grew, it notes which message (from the subscriber's `last`).
 * The wrapper changes nothing the subscriber does.
 */
function tapped(model: ScenarioModel, tap: Tap): ScenarioModel {
  return withWrappedRole(model, subscriberRole, (behaviour) => wrap(behaviour, tap));
}

function wrap(inner: Behaviour, tap: Tap): Behaviour {
  return {
    initialDurable: (id) => inner.initialDurable(id),
    init: (ctx) => inner.init(ctx),
    summarize: (state, durable) => inner.summarize(state, durable),
    receive(state, event, ctx) {
      let traceIndex: number | null = null;
      if (event.kind === 'message') {
        const message = event.message as { type: string; seq?: number; publisher?: NodeId };
        if (message.type === 'Deliver' || message.type === 'Notify') {
          traceIndex = (tap.sim?.traceCount ?? 0) - 1;
          tap.received.push({
            traceIndex,
            subscriber: ctx.self,
            publisher: message.publisher ?? event.from,
            seq: message.seq ?? -1,
          });
        }
      }
      const before = (ctx.durable as SubscriberDurable).processedCount;
      const next = inner.receive(state, event, ctx);
      if ((ctx.durable as SubscriberDurable).processedCount > before) {
        const last = (next as SubscriberCommon).last as ProcessedRecord;
        tap.processings.push({
          subscriber: ctx.self,
          publisher: last.publisher,
          seq: last.seq,
          traceIndex,
        });
      }
      return next;
    },
  };
}

/** Counts per subscriber, from the recount or from the run's own bookkeeping. */
export interface Counts {
  readonly delivered: number;
  readonly duplicates: number;
  readonly lost: number;
}

/**
 * The independent recount, after the run quiesced: which messages each subscriber processed,
 * from the trace's delivery events (the tap supplies their payloads) and the processings the
 * tap saw; which messages it was owed, from the publishers' acknowledged sets. Delivered =
 * distinct messages processed; duplicates = processings beyond the first; lost = owed messages
 * never processed. Also returns any message processed that was never published.
 */
export function recount(
  sim: Simulation,
  tap: Tap,
): { readonly bySubscriber: Record<NodeId, Counts>; readonly invented: string[] } {
  const params = sim.params;
  if (sim.traceCount > tappedTraceWindowMax) throw new Error('the trace window lost events');
  const tapped = new Map(tap.received.map((each) => [each.traceIndex, each]));
  const deliveries = new Map<number, Received>();
  for (const event of sim.traceEvents(0)) {
    if (
      event.type !== 'message.delivered' ||
      (event.label !== 'Deliver' && event.label !== 'Notify')
    ) {
      continue;
    }
    const received = tapped.get(event.index);
    if (received === undefined || received.subscriber !== sim.nodes[event.node]?.id) {
      throw new Error(`no payload for trace event ${event.index}`);
    }
    deliveries.set(event.index, received);
  }
  if (deliveries.size !== tap.received.length) {
    throw new Error(`${tap.received.length} tapped deliveries, ${deliveries.size} in the trace`);
  }
  const bySubscriber: Record<NodeId, Counts> = {};
  const invented: string[] = [];
  for (const profile of subscriberProfiles(params)) {
    const taken = tap.processings.filter((each) => each.subscriber === profile.id);
    const distinct = new Set<string>();
    for (const each of taken) {
      // In the pattern each processing is the taking of a delivery seen in the trace.
      if (each.traceIndex !== null) {
        const delivery = deliveries.get(each.traceIndex);
        if (delivery?.publisher !== each.publisher || delivery.seq !== each.seq) {
          throw new Error(`processing of ${messageKey(each.publisher, each.seq)} has no delivery`);
        }
      }
      const key = messageKey(each.publisher, each.seq);
      distinct.add(key);
      const publisher = sim.nodes.find((node) => node.id === each.publisher);
      const isPublished =
        publisher?.role === publisherRole && each.seq < publisherStore(sim, each.publisher).nextSeq;
      if (!isPublished) invented.push(`${profile.id}:${key}`);
    }
    let lost = 0;
    for (const publisher of publisherIds(params)) {
      forEachSeqAbove(publisherStore(sim, publisher).acked, 0, (seq) => {
        if (isOwed(profile, seq, params) && !distinct.has(messageKey(publisher, seq))) lost++;
        return true;
      });
    }
    bySubscriber[profile.id] = {
      delivered: distinct.size,
      duplicates: taken.length - distinct.size,
      lost,
    };
  }
  return { bySubscriber, invented };
}

/** The run's own counts per subscriber: subscribers' stores and the monitor's loss metrics. */
export function ownCounts(sim: Simulation): Record<NodeId, Counts> {
  const counts: Record<NodeId, Counts> = {};
  for (const profile of subscriberProfiles(sim.params)) {
    const store = subscriberStore(sim, profile.id);
    counts[profile.id] = {
      delivered: store.processedCount - store.duplicateCount,
      duplicates: store.duplicateCount,
      lost: metricOf(sim, `lost-${profile.id}`),
    };
  }
  return counts;
}

export function totals(counts: Record<NodeId, Counts>): Counts {
  let delivered = 0;
  let duplicates = 0;
  let lost = 0;
  for (const each of Object.values(counts)) {
    delivered += each.delivered;
    duplicates += each.duplicates;
    lost += each.lost;
  }
  return { delivered, duplicates, lost };
}

/** The run's metric totals for the same counts. */
export function metricTotals(sim: Simulation): Counts {
  return {
    delivered: metricOf(sim, 'delivered'),
    duplicates: metricOf(sim, 'duplicates'),
    lost: metricOf(sim, 'lost'),
  };
}
