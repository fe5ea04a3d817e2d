import type { MomentSink, MomentSpec, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { nodeRole } from './protocol.ts';
import { roleOf, termOf } from './world.ts';

/**
 * The moments a learner wants marked: a node taking the lead, the cluster losing its usable
 * leader (and why), and a term wasted on a split vote. The monitor notices them (monitor.ts);
 * these build the sentences, only when something happened.
 */
export const leaderElectionMoments: readonly MomentSpec[] = [
  { id: 'election-started', label: 'Election started' },
  { id: 'leader-elected', label: 'Leader elected' },
  { id: 'leader-lost', label: 'Leader lost' },
  { id: 'split-vote', label: 'Split vote' },
];

/**
 * `node`'s election timer has just fired and it stands for a new term (Raft §5.2: it votes for
 * itself and asks every other member for its vote). Bully elections have no such moment: they
 * are told by who answers and who claims the lead.
 */
export function reportElectionStarted(world: WorldView, node: NodeView, moment: MomentSink): void {
  const others: string[] = [];
  for (const each of world.nodes)
    if (each.role === nodeRole && each.id !== node.id) others.push(each.id);
  const names =
    others.length <= 1
      ? (others[0] ?? 'nobody')
      : `${others.slice(0, -1).join(', ')} and ${others.at(-1) ?? ''}`;
  moment(
    'election-started',
    `${node.id}'s election timer fired: it asks ${names} to vote for it in term ${termOf(node)}`,
    [node.id],
  );
}

/** Whether `node` is a Raft candidate (not a Bully node calling an election). */
export function isRaftCandidate(node: NodeView): boolean {
  const state = node.state;
  return (
    node.status === 'up' &&
    typeof state === 'object' &&
    state !== null &&
    'role' in state &&
    (state as { readonly role: unknown }).role === 'candidate'
  );
}

/** `node` has just become leader: with Raft, by a majority of votes; with Bully, by seniority. */
export function reportElected(world: WorldView, node: NodeView, moment: MomentSink): void {
  const term = termOf(node);
  const votes = votesOf(node.state);
  const text =
    votes === null
      ? `${node.id} became leader for term ${term}: no higher-numbered node answered its election`
      : `${node.id} won the election for term ${term} with ${votes} of ${clusterSize(world)} votes`;
  moment('leader-elected', text, [node.id]);
}

/** The cluster had `leaderId` as its usable leader and has none now; says why. */
export function reportLost(world: WorldView, leaderId: NodeId, moment: MomentSink): void {
  const node = world.node(leaderId);
  moment(
    'leader-lost',
    `${leaderId} is no longer a usable leader: ${whyLost(node)}; clients have no leader until ` +
      'the next election',
    [leaderId],
  );
}

/** Term `term` ended with two or more candidates and no leader. */
export function reportSplitVote(
  term: number,
  candidates: readonly NodeId[],
  moment: MomentSink,
): void {
  const names = `${candidates.slice(0, -1).join(', ')} and ${candidates.at(-1) ?? ''}`;
  moment(
    'split-vote',
    `Term ${term} ended in a split vote: ${names} stood at once and none won a majority`,
    candidates,
  );
}

function whyLost(node: NodeView): string {
  if (node.status === 'crashed') return 'it crashed';
  if (node.status === 'paused') return 'it is paused';
  if (roleOf(node) !== 'leader') return `it stepped down (now in term ${termOf(node)})`;
  return 'it can no longer reach a majority, or a node of a newer term can reach it';
}

/** Raft's granted votes (Bully has none: null). */
function votesOf(state: unknown): number | null {
  if (typeof state !== 'object' || state === null || !('votesGranted' in state)) return null;
  const votes = (state as { readonly votesGranted: unknown }).votesGranted;
  return Array.isArray(votes) ? votes.length : null;
}

function clusterSize(world: WorldView): number {
  let count = 0;
  for (const node of world.nodes) if (node.role === nodeRole) count++;
  return count;
}
