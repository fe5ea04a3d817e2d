import type { ConsistencyTable, Fidelity, ScenarioViewHints } from '../viewHints.ts';

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
 * "How true is this?": every sentence is checked against the code and the README (its sections
 * "What the simulation models" and "What it leaves out, on purpose") [1].
 */
const fidelity: Fidelity = {
  follows: [
    'Martin Fowler\'s "Event Sourcing": every change is an event in a log, and state is what replaying the log gives.',
    'The EventStoreDB documentation on streams, expected versions (optimistic concurrency) and catch-up subscriptions.',
  ],
  modelled: [
    'An append-only event store with one stream per account, a version per stream and a position across the whole log; the log and the snapshots survive a crash.',
    'Command handlers load an account by replaying its stream (from its latest snapshot when there is one), check that it would not be overdrawn, and append with the version they expect.',
    'When another writer appended first the store refuses the append as a conflict, and the handler reloads the events it missed and tries again, up to a limit.',
    "A transfer appends to both accounts' streams in one all-or-nothing append.",
    'Two projections follow the log strictly in position order and can be thrown away and rebuilt from position 0; any account can also be replayed "as of" any version.',
    'The store spends time on every request and on every event a load reads, so long replays are slow and snapshots shorten them.',
  ],
  leftOut: [
    'There are no sagas or process managers: a transfer is one atomic append to two streams, which a store that appends atomically to one stream only (EventStoreDB, for instance) cannot do.',
    'Event formats never change and nothing is deleted, archived or compacted, so the scenario says nothing about upgrading old events or trimming a log.',
    'A client does not retry a command that timed out, so its outcome stays unknown; the scenario does not show how retried commands are deduplicated.',
    'The store is one node without replication, so while it is down nothing can be written; do not read its availability as that of a replicated event store.',
    "Handlers and projections take no time to process, and projections are fed from memory outside the store's request queue, so a slow store slows commands but not projections.",
  ],
  results: [
    {
      claim:
        'The application state can be thrown away and rebuilt by replaying the event log (Martin Fowler, "Event Sourcing": complete rebuild).',
      isReproduced: true,
      note: "eventSourcing.test.ts rebuilds projections after a crash, an operator's rebuild and a corruption and finds them equal to a projection that never stopped, and projection-equals-fold held in every run of the 220-seed chaos sweep.",
    },
    {
      claim:
        'The state at any past point can be found by replaying the events up to it (Martin Fowler, "Event Sourcing": temporal query).',
      isReproduced: true,
      note: "eventSourcing.test.ts checks the as-of control's answers at an early, a middle and a late version against a replay of the stream up to each, and baseline.test.ts that the CRUD store cannot answer at all.",
    },
    {
      claim:
        'Snapshots spare a load from replaying a whole stream (Martin Fowler, "Event Sourcing").',
      isReproduced: true,
      note: 'In a 60 s default run at seed 1 a load read 110 events on average without snapshots and 4.4 with a snapshot every 10 events.',
    },
    {
      claim:
        "An append that names the stream version it expects is refused when another writer appended first, so concurrent writers lose no change without taking locks (EventStoreDB's expected versions).",
      isReproduced: true,
      note: 'consistency.test.ts finds no violation of linearizability under races, contention or random faults (one chaos seed undecided), but finds violations when the network duplicates store messages (seeds 1 and 3), as the README explains.',
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
  fidelity,
};

/*
 * Notes
 *
 * [1] Sources as the code cites them (instrument.ts): Martin Fowler's "Event Sourcing"
 *     (https://martinfowler.com/eaaDev/EventSourcing.html), whose "complete rebuild", "temporal
 *     query" and snapshots of application state the results name, and the EventStoreDB
 *     documentation. The snapshot figures come from `npm run sim -- run event-sourcing --seed 1
 *     --duration-ms 60000 --param snapshotEvery=0` and `=10` (the README's "about 110" and
 *     "about 4").
 */
