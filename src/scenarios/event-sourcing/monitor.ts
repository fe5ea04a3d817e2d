import type { MetricSpec, Monitor, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { createHistoryMemory, type EventSourcingHistoryMemory, recordHistory } from './history.ts';
import { createEventSourcingSeen, type EventSourcingSeen, observeMoments } from './moments.ts';
import { clientsOf, eventStoreOf, logHeadOf, projectionLagOf, storeQueueOf } from './world.ts';

/**
 * The scenario's metrics. Behaviours record what only they know (a command's outcome and
 * latency, a conflict, a retry, how many events a load replayed, a snapshot saved, a rebuild);
 * the monitor samples what needs a global view (throughput, the log's size, how far the
 * projections are behind its head, the store's queue). Metrics that need a log (log size,
 * projection lag, replay length, snapshots, rebuilds) are never recorded in the baseline, which
 * has none: they report nothing there.
 */
export const eventSourcingMetrics: readonly MetricSpec[] = [
  {
    name: 'commands-per-second',
    unit: 'cmd/s',
    description: 'Commands decided (accepted or rejected by a business rule) per second',
    aggregate: 'mean',
  },
  {
    name: 'command-success',
    unit: 'ratio',
    description:
      'Share of commands decided (accepted or rejected) rather than failed (conflicts exhausted, store unavailable, timed out)',
    aggregate: 'mean',
  },
  {
    name: 'command-latency-p50',
    unit: 'ms',
    description: 'Time from a client sending a command to its answer (or its timeout), median',
    aggregate: 'p50',
  },
  {
    name: 'command-latency-p99',
    unit: 'ms',
    description:
      'Time from a client sending a command to its answer (or its timeout), 99th percentile',
    aggregate: 'p99',
  },
  {
    name: 'rejections',
    unit: 'commands',
    description: 'Commands refused by a business rule (no overdraft)',
    aggregate: 'sum',
  },
  {
    name: 'conflicts',
    unit: 'appends',
    description:
      'Appends refused because another writer had moved the stream on (expected version stale)',
    aggregate: 'sum',
  },
  {
    name: 'retries',
    unit: 'retries',
    description: 'Reload-and-retry rounds after a conflict',
    aggregate: 'sum',
  },
  {
    name: 'conflicts-exhausted',
    unit: 'commands',
    description: 'Commands that lost every race, retries included',
    aggregate: 'sum',
  },
  {
    name: 'log-events',
    unit: 'events',
    description: 'Events in the log (pattern only)',
    aggregate: 'last',
  },
  {
    name: 'projection-lag',
    unit: 'events',
    description:
      'Events between the log head and the projection furthest behind, sampled; worst case (pattern only)',
    aggregate: 'max',
  },
  {
    name: 'replay-length',
    unit: 'events',
    description:
      'Events read to load an aggregate (after its snapshot, or the whole stream), mean (pattern only)',
    aggregate: 'mean',
  },
  {
    name: 'snapshots',
    unit: 'snapshots',
    description: 'Snapshots the store saved (pattern only)',
    aggregate: 'sum',
  },
  {
    name: 'projection-rebuilds',
    unit: 'rebuilds',
    description:
      'Projections replayed from position 0: restarts without a checkpoint, rebuilds, corruptions (pattern only)',
    aggregate: 'sum',
  },
  {
    name: 'store-queue',
    unit: 'requests',
    description: 'Requests waiting at the store, sampled',
    aggregate: 'mean',
  },
];

/** How often the monitor samples (the engine also checks liveness on this tick). */
export const sampleIntervalUs = 250_000;

export interface EventSourcingMonitorMemory {
  /** Decided commands per client as last seen, to turn counters into rates. */
  readonly lastDecided: Map<NodeId, number>;
  /** What the moments compare with (moments.ts). */
  readonly seen: EventSourcingSeen;
  /** The clients' commands, for the consistency checkers (history.ts). */
  readonly history: EventSourcingHistoryMemory;
}

export const eventSourcingMonitor: Monitor<EventSourcingMonitorMemory> = {
  sampleIntervalUs,
  createMemory: () => ({
    lastDecided: new Map(),
    seen: createEventSourcingSeen(),
    history: createHistoryMemory(),
  }),

  observe(
    world: WorldView,
    node: NodeView | undefined,
    memory: EventSourcingMonitorMemory,
    moment,
  ) {
    recordHistory(world, node, memory.history);
    observeMoments(world, node, memory.seen, moment);
  },

  sample(world: WorldView, memory: EventSourcingMonitorMemory, record): void {
    let decided = 0;
    for (const client of clientsOf(world)) {
      const count = client.state === null ? null : client.state.accepted + client.state.rejected;
      decided += increase(memory, client.node.id, count);
    }
    record('commands-per-second', decided / (sampleIntervalUs / 1_000_000));
    record('store-queue', storeQueueOf(world));
    if (eventStoreOf(world) === null) return;
    record('log-events', logHeadOf(world));
    record('projection-lag', projectionLagOf(world));
  },
};

/**
 * How much a node's counter grew since the last sample. A restarted node counts from zero again,
 * so a counter below the last one seen is all new; a node that is down adds nothing.
 */
function increase(memory: EventSourcingMonitorMemory, id: NodeId, count: number | null): number {
  if (count === null) {
    memory.lastDecided.set(id, 0);
    return 0;
  }
  const last = memory.lastDecided.get(id) ?? 0;
  memory.lastDecided.set(id, count);
  return count >= last ? count - last : count;
}
