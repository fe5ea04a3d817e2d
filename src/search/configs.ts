/*
 * Small configurations for the search: which parameter is a scenario's node count, which
 * parameters quiet the parts of its workload that only add interleavings (a client's requests,
 * the default run's storyline), and which roles the explorer may crash. Keyed by scenario id so
 * this folder needs nothing from src/scenarios; a scenario missing here is explored with its
 * own parameters and a fixed topology.
 */

export interface SmallConfig {
  /** The parameter that sets how many nodes take part; absent: the topology is fixed. */
  readonly nodesParam?: string;
  /** Parameters applied under the ones given on the command line. */
  readonly quiet: Readonly<Record<string, number>>;
  /** Roles whose nodes may crash and restart; absent: every node. */
  readonly faultRoles?: readonly string[];
  /** Why the quiet parameters are what they are, for the CLI's help and the report. */
  readonly note: string;
}

const configs: Readonly<Record<string, SmallConfig>> = {
  'leader-election': {
    nodesParam: 'nodeCount',
    // The client's first request is due at 5 s, beyond any schedule the search can reach, and
    // the storyline's freeze is off: what is left is the election itself.
    quiet: { clientIntervalMs: 5000, freezeAtS: 0 },
    faultRoles: ['node'],
    note: 'client requests every 5 s (out of reach), no storyline freeze; only members crash',
  },
  'pub-sub': {
    // One publisher and no slow or in-memory subscriber: every subscriber is durable and alike,
    // and the storyline's slowdown is off.
    quiet: {
      publisherCount: 1,
      subscriberCount: 2,
      slowSubscriberCount: 0,
      inMemorySubscriberCount: 0,
      slowdownStartS: 0,
    },
    faultRoles: ['broker', 'subscriber'],
    note: 'one publisher, durable subscribers only, no storyline slowdown; broker and subscribers crash',
  },
  'planted-violation': {
    quiet: {},
    note: 'the fixture as it is (a primary and a backup)',
  },
};

/** The small configuration of a scenario (an empty one when it has none). */
export function smallConfigOf(scenarioId: string): SmallConfig {
  return configs[scenarioId] ?? { quiet: {}, note: "the scenario's own parameters" };
}
