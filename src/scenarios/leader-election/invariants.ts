import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import { nodeRole, paramOf } from './protocol.ts';
import { hasConnectedMajority, memberOf, roleOf, usableLeader } from './world.ts';

/** Terms remembered by the safety check; the oldest are forgotten past this. */
export const rememberedTermsMax = 10_000;
/** Distinct violations remembered, so each pair of leaders is reported once. */
const reportedViolationsMax = 1_000;

export interface OneLeaderMemory {
  /** The first node seen leading each term. */
  readonly leaderByTerm: Map<number, NodeId>;
  /** `term:node` pairs already reported. */
  readonly reported: Set<string>;
}

/**
 * Election Safety: at most one leader per term. After every event it looks at the node that
 * acted (every node after a command) and remembers who led each term, so a second leader of the
 * same term is caught even when the first one has stepped down or crashed meanwhile.
 */
export const oneLeaderPerTerm: SafetyInvariant<OneLeaderMemory> = {
  id: 'one-leader-per-term',
  kind: 'safety',
  description: 'At most one node is elected leader in any term',
  createMemory(): OneLeaderMemory {
    return { leaderByTerm: new Map(), reported: new Set() };
  },
  check(world: WorldView, node: NodeView | undefined, memory: OneLeaderMemory): Violation | null {
    if (node !== undefined) return checkNode(node, memory);
    let first: Violation | null = null;
    for (const each of world.nodes) first ??= checkNode(each, memory);
    return first;
  },
};

function checkNode(node: NodeView, memory: OneLeaderMemory): Violation | null {
  // Most events are at a node that does not lead: decided without building a `Member`.
  if (node.role !== nodeRole || roleOf(node) !== 'leader') return null;
  const member = memberOf(node);
  if (member === null) return null;
  const { leaderByTerm, reported } = memory;
  const known = leaderByTerm.get(member.term);
  if (known === undefined) {
    leaderByTerm.set(member.term, member.id);
    if (leaderByTerm.size > rememberedTermsMax) forgetOldest(leaderByTerm);
    return null;
  }
  const key = `${member.term}:${member.id}`;
  if (known === member.id || reported.has(key)) return null;
  if (reported.size >= reportedViolationsMax) forgetOldest(reported);
  reported.add(key);
  return {
    message: `two leaders in term ${member.term}: ${known} and ${member.id}`,
    nodes: [known, member.id],
  };
}

/** Drops the first-inserted key (Map and Set iterate in insertion order). */
function forgetOldest<K>(collection: { keys(): Iterator<K>; delete(key: K): boolean }): void {
  const oldest = collection.keys().next();
  if (oldest.done !== true) collection.delete(oldest.value);
}

/**
 * Some node leads and can serve, once a majority is up and connected. The bound, with H the
 * heartbeat interval, T the largest election timeout and L the largest one-way latency (the link
 * latency is uniform in [0.5, 1.5] × its mean, so L = 1.5 × mean):
 *
 * - H + L: a leader left over from before the heal sends its next heartbeat, and a node of a
 *   newer term answers it, so a stale leader steps down (or followers of a dead one time out
 *   within T, counted below);
 * - T + 2L per election round: the first timer fires, RequestVote goes out, votes come back;
 * - five rounds: with randomized timeouts a round fails only when a second candidate wakes within
 *   about one round trip of the first, which for the defaults (spread 150 ms, round trip ≈ 10 ms,
 *   four rivals) happens in roughly a quarter of rounds, so four failures in a row are rare (well
 *   under 1%). With min = max the rounds keep colliding and the bound is expected to be missed:
 *   that is what the scenario shows.
 *
 * Bully fits the same bound: detection within T, then an Answer wait of H and a Coordinator
 * message, all inside one round.
 */
export const leaderElected: LivenessInvariant = {
  id: 'leader-elected',
  kind: 'liveness',
  description: 'A connected majority has a usable leader',
  boundUs(params: Readonly<Record<string, number>>): number {
    const heartbeatUs = paramOf({ params }, 'heartbeatIntervalMs') * 1000;
    const minUs = paramOf({ params }, 'electionTimeoutMinMs') * 1000;
    const timeoutUs = Math.max(minUs, paramOf({ params }, 'electionTimeoutMaxMs') * 1000);
    const latencyUs = 1.5 * paramOf({ params }, 'linkLatencyMs') * 1000;
    const roundsMax = 5;
    return Math.round(heartbeatUs + latencyUs + roundsMax * (timeoutUs + 2 * latencyUs));
  },
  isExpected: hasConnectedMajority,
  holds(world: WorldView): boolean {
    return usableLeader(world) !== null;
  },
};
