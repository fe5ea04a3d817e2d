import type { ConsistencyTable, Fidelity, ScenarioViewHints } from '../viewHints.ts';
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
 * "How true is this?": every sentence is checked against the code and the README (its sections
 * "What the simulation models" and "What it leaves out, on purpose") [1].
 */
const fidelity: Fidelity = {
  follows: [
    'Greg Young\'s CQRS documents and Martin Fowler\'s "CQRS": a write side that keeps the truth, and read models built later from its changes.',
    "Kafka's consumer lag: a reader's lag is the log's head minus the position it has applied.",
    'The transactional outbox: the command service publishes its committed write log to the feed, in order, until the broker acknowledges each change.',
  ],
  modelled: [
    'A command service appends each write to its log on disk and only then acknowledges it, with its log position.',
    "The change feed is the Pub/Sub scenario's broker, reused unchanged, with at-least-once delivery, persistence and a bounded queue that blocks the publisher when full.",
    'One projector applies the changes strictly in log order, each once, to a projection log that every query replica reads from.',
    'Query replicas answer reads from read models that trail the write log, and a replica added while the system runs replays the projection log from the start before it serves.',
    "Stale reads and read-your-own-writes violations are counted from the positions acknowledged before each read, and an optional mode holds a read until its replica has caught up with the reader's last write.",
    'Services have bounded worker pools and queues with random (exponential) service times, so both the read side and the baseline can be overloaded.',
  ],
  leftOut: [
    "The write store, the broker and the projector are one node each, so a crash of one stops that part; do not read the scenario as a measure of a replicated system's availability.",
    'Disk writes take no time, so no part of the lag shown comes from storage, as it would on real disks.',
    'A write sets a key and carries no payload, so the scenario shows ordering and staleness, not how much data moves.',
    'There are no snapshots, compaction or retention, so a joining replica replays the whole projection log and its join takes longer the longer the log.',
    'Every replica holds the same read model from one projector, so the scenario shows lag and stale reads, not the benefit of read models shaped for each screen.',
  ],
  results: [
    {
      claim:
        'Separate read and write models bring eventual consistency with them (Martin Fowler, "CQRS"), so a read can miss a write that was already acknowledged, even the reader\'s own.',
      isReproduced: true,
      note: 'consistency.test.ts finds read-your-writes and linearizability violated on every seed with the defaults, and the read-your-writes mode restores read-your-writes, also under random faults.',
    },
    {
      claim:
        'Separating the load of reads from that of writes lets each be scaled on its own (Martin Fowler, "CQRS").',
      isReproduced: true,
      note: "With four clients at 80 operations/s for 20 s (seed 8), CQRS with three replicas kept its write latency p99 at 40 ms and its write success at 1, where the single-service baseline's were 200 ms and 0.59.",
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
  fidelity,
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

/*
 * Notes
 *
 * [1] Sources as the code cites them: Greg Young's CQRS documents and Martin Fowler's "CQRS"
 *     (https://martinfowler.com/bliki/CQRS.html) in instrument.ts, the transactional outbox in
 *     commandService.ts [2]. The figures of the scaling result come from `npm run sim -- run cqrs
 *     --seed 8 --duration-ms 20000 --param opsPerSecond=80 --param initialReplicas=3`, with and
 *     without `--baseline`: the runs cqrs.test.ts compares (the storyline leaves both figures as
 *     they are with it off).
 */
