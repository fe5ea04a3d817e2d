import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { majorityOf, nodeRole } from './protocol.ts';

/**
 * Reading the world the same way for both variants: invariants, the monitor, the tour and the
 * tests all ask "who leads, in which term, and can it reach a majority?" through these helpers.
 * Raft's and Bully's node states both have a `role` and a `leaderId`, and their durable states
 * both have a `term` (Bully's epoch).
 */

/** The variant-independent role: Bully's `electing` and `waiting` count as candidates. */
export type ElectionRole = 'follower' | 'candidate' | 'leader';

/** A cluster member as the election sees it. */
export interface Member {
  readonly id: NodeId;
  readonly isUp: boolean;
  /** Null while the node is down. */
  readonly role: ElectionRole | null;
  /** The durable term, also kept while the node is down. */
  readonly term: number;
}

/** The member view of `node`, or null when it is not a cluster member. */
export function memberOf(node: NodeView): Member | null {
  if (node.role !== nodeRole) return null;
  return { id: node.id, isUp: node.status === 'up', role: roleOf(node), term: termOf(node) };
}

/** A member's election role, null while it is down (what `memberOf` says, without the object). */
export function roleOf(node: NodeView): ElectionRole | null {
  return node.status === 'up' ? readRole(node.state) : null;
}

/** A member's durable term (what `memberOf` says, without the object). */
export function termOf(node: NodeView): number {
  return readTerm(node.durable);
}

/** Every cluster member, in topology order. */
export function membersOf(world: WorldView): Member[] {
  const members: Member[] = [];
  for (const node of world.nodes) {
    const member = memberOf(node);
    if (member !== null) members.push(member);
  }
  return members;
}

/** Up members that believe they lead (a stale leader included). */
export function leadersOf(world: WorldView): Member[] {
  return membersOf(world).filter((member) => member.isUp && member.role === 'leader');
}

/** Whether messages get through both ways between `a` and `b` right now. */
export function isConnected(world: WorldView, a: NodeId, b: NodeId): boolean {
  return a === b || (world.canReach(a, b) && world.canReach(b, a));
}

/**
 * The leader clients can use, or null: an up member that believes it leads, is connected both
 * ways to up members forming a majority of the whole cluster (itself included), and sees no
 * higher term among them. A stale leader cut off on a minority side is not usable; nor is a
 * leader that can already reach a node of a newer term, because that node will depose it.
 */
export function usableLeader(world: WorldView): NodeId | null {
  const members = membersOf(world);
  const needed = majorityOf(members.length);
  for (const leader of members) {
    if (!leader.isUp || leader.role !== 'leader') continue;
    let reached = 0;
    let isNewest = true;
    for (const other of members) {
      if (!other.isUp || !isConnected(world, leader.id, other.id)) continue;
      reached++;
      if (other.term > leader.term) isNewest = false;
    }
    if (reached >= needed && isNewest) return leader.id;
  }
  return null;
}

/**
 * Whether some majority of the cluster is up and all its members can reach each other both
 * ways. For each up member it takes the up members connected to it and checks that they are
 * also connected to each other: exact for partitions into groups (what `net.partition` and
 * `net.isolate` make); for arbitrary one-way cuts it may miss a majority that exists, which only
 * makes the liveness check more lenient.
 */
export function hasConnectedMajority(world: WorldView): boolean {
  // Without faults every node is up and the mesh is whole: skip the cubic search (it matters
  // at 101 nodes, where it would run on every monitor tick).
  if (!world.hasActiveFaults) return true;
  const all = membersOf(world);
  const needed = majorityOf(all.length);
  const members = all.filter((member) => member.isUp);
  if (members.length < needed) return false;
  for (const member of members) {
    const group = members.filter((other) => isConnected(world, member.id, other.id));
    if (group.length < needed) continue;
    const isClique = group.every((a) => group.every((b) => isConnected(world, a.id, b.id)));
    if (isClique) return true;
  }
  return false;
}

function readTerm(durable: unknown): number {
  if (typeof durable === 'object' && durable !== null && 'term' in durable) {
    const term = (durable as { readonly term: unknown }).term;
    if (typeof term === 'number') return term;
  }
  return 0;
}

function readRole(state: unknown): ElectionRole | null {
  if (typeof state !== 'object' || state === null || !('role' in state)) return null;
  const role = (state as { readonly role: unknown }).role;
  switch (role) {
    case 'leader':
      return 'leader';
    case 'candidate':
    case 'electing':
    case 'waiting':
      return 'candidate';
    case 'follower':
      return 'follower';
    default:
      return null;
  }
}
