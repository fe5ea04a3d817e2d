import type { ConsistencyTable, ScenarioViewHints } from '../viewHints.ts';
import { poolShardIds } from './monitor.ts';

/** Measured by consistency.test.ts (the README's "Consistency" table). */
const consistency: ConsistencyTable = {
  rows: [
    {
      label: 'pattern, defaults',
      seeds: [1, 2, 3, 4],
      cells: {
        linearizable: 'holds, undecided (seed 3)',
        sequential: 'holds',
        'read-your-writes': 'holds',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'pattern, chaos',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'holds, undecided (seed 3)',
        sequential: 'holds',
        'read-your-writes': 'holds',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'pattern, s2 down during the hand-off',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        'read-your-writes': 'holds',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'pattern, replication, s2 down during the hand-off',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'violated (seed 4)',
        sequential: 'holds, undecided (seed 4)',
        'read-your-writes': 'holds',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'pattern, replication every 2 s, s2 down during the hand-off',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'violated (seeds 2, 4)',
        sequential: 'holds, undecided (seeds 2, 4)',
        'read-your-writes': 'violated (seed 2)',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'baseline',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        'read-your-writes': 'holds',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'baseline, chaos',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        'read-your-writes': 'holds',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
  ],
};

/**
 * Request traffic in neutral greys and blues (answers green), the rebalance in warm colours
 * (table updates amber, key transfers orange-red, their acknowledgements lighter), replication
 * violet, health checks a faint slate. Mid-tone colours that read on light and dark backgrounds.
 */
export const shardingView: ScenarioViewHints = {
  id: 'sharding',
  consistency,
  messageColours: {
    Request: '#6b7280',
    Route: '#2563eb',
    Forward: '#0891b2',
    Reply: '#16a34a',
    TableUpdate: '#d97706',
    TableAck: '#f59e0b',
    Transfer: '#dc2626',
    TransferAck: '#f87171',
    Replicate: '#9333ea',
    ReplicateAck: '#c084fc',
    Ping: '#94a3b8',
    Pong: '#94a3b8',
  },
  roles: {
    client: { shape: 'square', icon: 'laptop' },
    router: { shape: 'diamond', icon: 'router' },
    shard: { shape: 'hexagon', icon: 'database' },
  },
  stateColours: {
    client: '#475569',
    'hot key': '#ea580c',
    router: '#2563eb',
    rebalancing: '#d97706',
    active: '#16a34a',
    migrating: '#d97706',
    overloaded: '#dc2626',
    spare: '#94a3b8',
    down: '#991b1b',
  },
  metricLabels: {
    throughput: 'Throughput',
    'success-rate': 'Success rate',
    'latency-p50': 'Latency (p50)',
    'latency-p99': 'Latency (p99)',
    'moved-keys': 'Keys moved by the last rebalance',
    'load-spread': 'Load spread (busiest ÷ mean)',
    'key-spread': 'Key spread (most ÷ mean)',
    rebalances: 'Rebalances',
    'rebalance-ms': 'Last rebalance duration',
    transfers: 'Keys handed off',
    forwards: 'Requests sent on between shards',
    rejected: 'Requests rejected (queue full)',
    'replica-reads': 'Reads served by a replica',
    ...Object.fromEntries(
      poolShardIds.flatMap((id) => [
        [`keys-${id}`, `Keys on ${id}`],
        [`load-${id}`, `Load on ${id}`],
        [`latency-${id}`, `Time in ${id}`],
      ]),
    ),
  },
  barGroups: [
    {
      title: 'Keys per shard',
      unit: 'keys',
      bars: poolShardIds.map((id) => ({ metric: `keys-${id}`, label: id })),
    },
    {
      title: 'Load per shard (req/s)',
      unit: 'req/s',
      bars: poolShardIds.map((id) => ({ metric: `load-${id}`, label: id })),
    },
    {
      title: 'Time in shard (ms)',
      unit: 'ms',
      bars: poolShardIds.map((id) => ({ metric: `latency-${id}`, label: id })),
    },
  ],
};
