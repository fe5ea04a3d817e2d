import type { ConsistencyTable, ScenarioViewHints } from '../viewHints.ts';

/** The session guarantees do not apply to accounts (README, "Consistency"). */
const sessionsInapplicable = {
  'read-your-writes': 'n/a',
  'monotonic-reads': 'n/a',
  'monotonic-writes': 'n/a',
  'writes-follow-reads': 'n/a',
} as const;

/** Measured by consistency.test.ts (the README's "Consistency" table). */
const consistency: ConsistencyTable = {
  rows: [
    {
      label: 'pattern, defaults',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'pattern, contention',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'pattern, races',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'pattern, chaos',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'holds, undecided (seed 1)',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'pattern, contention, duplicated store messages',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'violated (seeds 1, 3)',
        sequential: 'holds, undecided (seed 3)',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'baseline',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'baseline, contention',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'baseline, races',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'baseline, chaos',
      seeds: [1, 2, 3, 4, 5],
      cells: {
        linearizable: 'holds',
        sequential: 'holds',
        ...sessionsInapplicable,
      },
    },
    {
      label: 'baseline, duplicated store messages',
      seeds: [1, 2, 3],
      cells: {
        linearizable: 'violated (seeds 2, 3)',
        sequential: 'holds, undecided (seed 3)',
        ...sessionsInapplicable,
      },
    },
  ],
};

/**
 * Commands in neutral grey with their answers in green; loads (and the baseline's row reads) in
 * cyan, appends (and row writes) in blue with their answers in violet, snapshots in amber, and
 * the subscription feed in teal with its requests in slate. Handlers are coloured by what they
 * are doing (idle, busy, retrying after a conflict), projections by whether they are caught up,
 * the store by its speed. All mid-tone colours that read on light and dark backgrounds.
 */
export const eventSourcingView: ScenarioViewHints = {
  id: 'event-sourcing',
  messageColours: {
    Command: '#6b7280',
    CommandResult: '#16a34a',
    Load: '#0891b2',
    Loaded: '#0e7490',
    Append: '#2563eb',
    AppendResult: '#7c3aed',
    SaveSnapshot: '#d97706',
    Subscribe: '#64748b',
    EventsBatch: '#0d9488',
    Read: '#0891b2',
    Row: '#0e7490',
    Write: '#2563eb',
    WriteResult: '#7c3aed',
  },
  roles: {
    client: { shape: 'square', icon: 'laptop' },
    'command-handler': { shape: 'hexagon', icon: 'server' },
    'event-store': { shape: 'circle', icon: 'database' },
    projection: { shape: 'diamond', icon: 'table' },
    'crud-store': { shape: 'circle', icon: 'database' },
  },
  stateColours: {
    client: '#475569',
    idle: '#64748b',
    busy: '#2563eb',
    retrying: '#d97706',
    'event store': '#0d9488',
    'crud store': '#64748b',
    'slow store': '#ea580c',
    'caught up': '#16a34a',
    'catching up': '#0891b2',
    rebuilding: '#d97706',
    down: '#991b1b',
  },
  metricLabels: {
    'commands-per-second': 'Commands decided per second',
    'command-success': 'Command success rate',
    'command-latency-p50': 'Command latency (p50)',
    'command-latency-p99': 'Command latency (p99)',
    rejections: 'Rejected (no overdraft)',
    conflicts: 'Version conflicts',
    retries: 'Retries after a conflict',
    'conflicts-exhausted': 'Out of retries',
    'log-events': 'Events in the log',
    'projection-lag': 'Projection lag (events behind the head)',
    'replay-length': 'Replay length (events read per load)',
    snapshots: 'Snapshots saved',
    'projection-rebuilds': 'Projection rebuilds',
    'store-queue': 'Store queue',
  },
  consistency,
};
