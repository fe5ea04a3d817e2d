import type { ConsistencyTable, ScenarioViewHints } from '../viewHints.ts';
import { replicaCountMax } from './monitor.ts';

/** Measured by consistency.test.ts (the README's "Consistency" table). */
const consistency: ConsistencyTable = {
  rows: [
    {
      label: 'pattern, defaults',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'violated',
        sequential: 'undecided (seeds 1, 2, 3)',
        'read-your-writes': 'violated',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
    {
      label: 'pattern, read-your-writes mode',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'violated',
        sequential: 'undecided (seeds 1, 2, 3)',
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
        linearizable: 'violated',
        sequential: 'undecided (seeds 1, 2, 3, 4, 5)',
        'read-your-writes': 'violated',
        'monotonic-reads': 'violated (seed 3)',
        'monotonic-writes': 'violated (seed 3)',
        'writes-follow-reads': 'violated (seed 3)',
      },
    },
    {
      label: 'pattern, read-your-writes mode, chaos',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'violated',
        sequential: 'undecided (seeds 1, 2, 3, 4, 5)',
        'read-your-writes': 'holds',
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
 * The write path in warm colours (commands amber, acks green, refusals red), the feed in violet
 * (the broker's own messages), the read path in blue, replica upkeep (fetches, changes) in teal,
 * membership in grey.
 */
export const cqrsView: ScenarioViewHints = {
  id: 'cqrs',
  consistency,
  messageColours: {
    Write: '#d97706',
    WriteAck: '#16a34a',
    WriteBusy: '#dc2626',
    Read: '#2563eb',
    Query: '#3b82f6',
    ReadReply: '#0ea5e9',
    Publish: '#7c3aed',
    PublishAck: '#a78bfa',
    PublishNack: '#be123c',
    Pull: '#8b5cf6',
    Deliver: '#9333ea',
    Ack: '#c084fc',
    Fetch: '#0d9488',
    Changes: '#14b8a6',
    Status: '#64748b',
    Activate: '#475569',
    Deactivate: '#94a3b8',
  },
  roles: {
    client: { shape: 'square', icon: 'laptop' },
    'command-service': { shape: 'hexagon', icon: 'server' },
    broker: { shape: 'diamond', icon: 'queue' },
    projector: { shape: 'hexagon', icon: 'cog' },
    'load-balancer': { shape: 'diamond', icon: 'router' },
    'query-service': { shape: 'circle', icon: 'database' },
    service: { shape: 'hexagon', icon: 'database' },
  },
  stateColours: {
    client: '#475569',
    writing: '#d97706',
    'feed blocked': '#dc2626',
    accepting: '#7c3aed',
    full: '#dc2626',
    projecting: '#9333ea',
    applying: '#a855f7',
    slowed: '#f59e0b',
    balancing: '#2563eb',
    serving: '#16a34a',
    'catching up': '#f59e0b',
    spare: '#94a3b8',
    down: '#991b1b',
  },
  metricLabels: {
    'read-throughput': 'Read throughput',
    'write-throughput': 'Write throughput',
    'read-latency': 'Read latency (p50)',
    'read-latency-p99': 'Read latency (p99)',
    'write-latency': 'Write latency (p99)',
    'read-success': 'Read success rate',
    'write-success': 'Write success rate',
    'lag-max': 'Read-model lag, worst replica',
    'lag-projector': 'Projector lag',
    'stale-reads': 'Stale reads',
    'ryow-violations': 'Read-your-own-writes violations',
    'ryow-waits': 'Reads held for read-your-writes',
    'publish-retries': 'Feed publish retries',
    'feed-redeliveries': 'Feed redeliveries',
    'serving-replicas': 'Replicas serving',
  },
  barGroups: [
    {
      title: 'Read-model lag per replica',
      unit: 'changes',
      bars: Array.from({ length: replicaCountMax }, (_, i) => ({
        metric: `lag-q${i + 1}`,
        label: `q${i + 1}`,
      })),
    },
  ],
};
