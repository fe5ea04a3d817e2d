import { createHistoryMemory, recordHistory, type ShardingHistoryMemory } from './history.ts';
import type {
  MetricSpec,
  MomentSink,
  Monitor,
  NodeId,
  NodeView,
  WorldView,
} from '../../engine/types.ts';
import type { ClientState } from './client.ts';
import { createMomentMemory, type MomentMemory, noticeMoments } from './moments.ts';
import { shardingParams } from './params.ts';
import { shardId } from './placement.ts';
import { clientRole } from './protocol.ts';
import type { ShardState } from './shardState.ts';
import { shardDurableOf } from './store.ts';
import { routerTable, shardNodes } from './world.ts';

/**
 * The scenario's metrics. Behaviours record what only they know (a request finished, a key
 * arrived, a rebalance completed); the monitor samples what needs a global view: keys, load and
 * time in shard per shard (the bar charts), throughput, and how evenly load and keys spread.
 */

/** Shards the pool can have: per-shard metrics are declared for each. */
export const poolSizeMax = shardingParams.shardPoolSize.max;
export const poolShardIds: readonly NodeId[] = Array.from({ length: poolSizeMax }, (_, index) =>
  shardId(index + 1),
);

const perShardMetrics: MetricSpec[] = poolShardIds.flatMap((id) => [
  {
    name: `keys-${id}`,
    unit: 'keys',
    description: `Keys ${id} is custodian of (owned or being handed off)`,
    aggregate: 'last' as const,
  },
  {
    name: `load-${id}`,
    unit: 'req/s',
    description: `Requests for ${id}'s keys per second (served or rejected), over the last second`,
    aggregate: 'last' as const,
  },
  {
    name: `latency-${id}`,
    unit: 'ms',
    description: `Mean time a request spends in ${id} (queue and service), over the last second`,
    aggregate: 'last' as const,
  },
]);

export const shardingMetrics: readonly MetricSpec[] = [
  ...perShardMetrics,
  {
    name: 'throughput',
    unit: 'req/s',
    description: 'Requests answered successfully per second, all clients, over the last second',
    aggregate: 'mean',
  },
  {
    name: 'success-rate',
    unit: 'ratio',
    description: 'Share of requests answered successfully (1) rather than failed or timed out (0)',
    aggregate: 'mean',
  },
  {
    name: 'latency-p50',
    unit: 'ms',
    description: 'Client-side latency of successful requests, retries and forwards included',
    aggregate: 'p50',
  },
  {
    name: 'latency-p99',
    unit: 'ms',
    description: 'The same latency, 99th percentile',
    aggregate: 'p99',
  },
  {
    name: 'moved-keys',
    unit: 'ratio',
    description: 'Share of all keys the last rebalance moved to another shard',
    aggregate: 'last',
  },
  {
    name: 'load-spread',
    unit: 'ratio',
    description:
      'Busiest active shard’s load over the mean, over the last 10 s (1 is perfectly even)',
    aggregate: 'mean',
  },
  {
    name: 'key-spread',
    unit: 'ratio',
    description: 'Most keys on one active shard over the mean (1 is perfectly even)',
    aggregate: 'last',
  },
  {
    name: 'rebalances',
    unit: 'rebalances',
    description: 'Rebalances completed',
    aggregate: 'sum',
  },
  {
    name: 'rebalance-ms',
    unit: 'ms',
    description: 'Duration of the last rebalance, from the new table to the last shard’s report',
    aggregate: 'last',
  },
  {
    name: 'transfers',
    unit: 'keys',
    description: 'Keys taken over by a new owner (duplicates not counted)',
    aggregate: 'sum',
  },
  {
    name: 'forwards',
    unit: 'requests',
    description: 'Requests a shard sent on because it did not hold the key',
    aggregate: 'sum',
  },
  {
    name: 'rejected',
    unit: 'requests',
    description: 'Requests rejected by a shard whose queue was full',
    aggregate: 'sum',
  },
  {
    name: 'replica-reads',
    unit: 'requests',
    description: 'Reads served from a replica because the owner was down',
    aggregate: 'sum',
  },
];

/** How often the monitor samples (the engine also checks liveness on this tick). */
export const sampleIntervalUs = 500_000;
/** Samples in the short window (per-shard load and latency, throughput) and the long one. */
const shortWindowSamples = 2;
const longWindowSamples = 20;

/** A node counter followed across restarts (which reset it) as a running total. */
interface Track {
  startedUs: number;
  last: number;
  total: number;
}

interface Snapshot {
  readonly timeUs: number;
  readonly arrivals: readonly number[];
  readonly served: readonly number[];
  readonly timeInShardUs: readonly number[];
  readonly succeeded: number;
}

export interface ShardingMonitorMemory {
  readonly tracks: Map<string, Track>;
  /** The last `longWindowSamples + 1` snapshots of running totals, oldest first. */
  readonly history: Snapshot[];
  /** What the moments last reported (moments.ts). */
  readonly moments: MomentMemory;
  /** The clients' operations, for the consistency checkers (history.ts). */
  readonly operations: ShardingHistoryMemory;
}

export const shardingMonitor: Monitor<ShardingMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): ShardingMonitorMemory {
    return {
      tracks: new Map(),
      history: [],
      moments: createMomentMemory(),
      operations: createHistoryMemory(),
    };
  },

  observe(
    world: WorldView,
    node: NodeView | undefined,
    memory: ShardingMonitorMemory,
    moment: MomentSink,
  ): void {
    noticeMoments(world, node, memory.moments, moment);
    recordHistory(world, node, memory.operations);
  },

  sample(world: WorldView, memory: ShardingMonitorMemory, record): void {
    const shards = shardNodes(world);
    const snapshot = takeSnapshot(world, shards, memory);
    memory.history.push(snapshot);
    if (memory.history.length > longWindowSamples + 1) memory.history.shift();
    const short = windowStart(memory.history, shortWindowSamples);
    const seconds = Math.max(1e-6, (snapshot.timeUs - short.timeUs) / 1_000_000);
    shards.forEach((node, index) => {
      const arrivals = (snapshot.arrivals[index] ?? 0) - (short.arrivals[index] ?? 0);
      const served = (snapshot.served[index] ?? 0) - (short.served[index] ?? 0);
      const inShardUs = (snapshot.timeInShardUs[index] ?? 0) - (short.timeInShardUs[index] ?? 0);
      record(`keys-${node.id}`, shardDurableOf(node)?.store.custodianCount ?? 0);
      record(`load-${node.id}`, arrivals / seconds);
      record(`latency-${node.id}`, served > 0 ? inShardUs / served / 1000 : 0);
    });
    record('throughput', (snapshot.succeeded - short.succeeded) / seconds);
    recordSpreads(world, shards, memory, record);
  },
};

function takeSnapshot(
  world: WorldView,
  shards: readonly NodeView[],
  memory: ShardingMonitorMemory,
): Snapshot {
  const arrivals: number[] = [];
  const served: number[] = [];
  const timeInShardUs: number[] = [];
  for (const node of shards) {
    const state = node.status === 'up' ? (node.state as ShardState) : null;
    const startedUs = state?.startedUs ?? null;
    arrivals.push(advance(memory, `${node.id}/arrivals`, startedUs, state?.arrivals ?? 0));
    served.push(advance(memory, `${node.id}/served`, startedUs, state?.served ?? 0));
    timeInShardUs.push(advance(memory, `${node.id}/time`, startedUs, state?.timeInShardUs ?? 0));
  }
  let succeeded = 0;
  for (const node of world.nodes) {
    if (node.role !== clientRole) continue;
    const state = node.status === 'up' ? (node.state as ClientState) : null;
    succeeded += advance(memory, `${node.id}/ok`, state?.startedUs ?? null, state?.succeeded ?? 0);
  }
  return { timeUs: world.nowUs, arrivals, served, timeInShardUs, succeeded };
}

/** The running total of a counter; a new `startedUs` means the node restarted from zero. */
function advance(
  memory: ShardingMonitorMemory,
  name: string,
  startedUs: number | null,
  raw: number,
): number {
  let track = memory.tracks.get(name);
  if (track === undefined) {
    track = { startedUs: -1, last: 0, total: 0 };
    memory.tracks.set(name, track);
  }
  if (startedUs === null) return track.total;
  if (startedUs !== track.startedUs) {
    track.startedUs = startedUs;
    track.last = 0;
  }
  track.total += raw - track.last;
  track.last = raw;
  return track.total;
}

/** The snapshot `samples` samples back (or the oldest kept). */
function windowStart(history: readonly Snapshot[], samples: number): Snapshot {
  return history[Math.max(0, history.length - 1 - samples)] as Snapshot;
}

/** Load and key spread over the shards the router's table lists as active. */
function recordSpreads(
  world: WorldView,
  shards: readonly NodeView[],
  memory: ShardingMonitorMemory,
  record: (metric: string, value: number) => void,
): void {
  const active = new Set(routerTable(world).active);
  const latest = memory.history.at(-1) as Snapshot;
  const long = windowStart(memory.history, longWindowSamples);
  const loads: number[] = [];
  const keys: number[] = [];
  shards.forEach((node, index) => {
    if (!active.has(node.id)) return;
    loads.push((latest.arrivals[index] ?? 0) - (long.arrivals[index] ?? 0));
    keys.push(shardDurableOf(node)?.store.custodianCount ?? 0);
  });
  const keySpread = maxOverMean(keys);
  if (keySpread !== null) record('key-spread', keySpread);
  const loadSpread = maxOverMean(loads);
  if (loadSpread !== null && latest !== long) record('load-spread', loadSpread);
}

export function maxOverMean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  let max = 0;
  for (const value of values) {
    sum += value;
    max = Math.max(max, value);
  }
  return sum > 0 ? max / (sum / values.length) : null;
}
