import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { BullyRole } from './bully.ts';
import { majorityOf, nodeRole, paramOf } from './protocol.ts';
import type { RaftDurable, RaftRole, RaftState } from './raft.ts';
import { usableLeader } from './world.ts';

/**
 * The election as Raft's paper draws it (Ongaro and Ousterhout, §5.2, and their RaftScope): every
 * server with its role, its current term, whom it voted for in that term, and, for a candidate or
 * leader, the votes it has collected against the majority it needs; the leader lit. Bully (the
 * baseline) has roles and an epoch (shown as the term) but no votes.
 *
 * Each member's election timer drains as RaftScope draws it: the time left before it stands
 * (Raft's election timeout; Bully's wait before it suspects the coordinator, or for answers or a
 * coordinator), read from the engine's pending timers, against the longest timeout. A leader's
 * heartbeats reset its followers' timers, so under a healthy leader they never run out.
 */

/** Raft's roles and Bully's (`electing`, `waiting` for the coordinator), or `down`. */
export type ElectionNodeRole = RaftRole | BullyRole | 'down';

export interface ElectionNodeReading {
  readonly id: NodeId;
  readonly role: ElectionNodeRole;
  /** The durable term (Bully: its epoch); kept while the node is down. */
  readonly term: number;
  /** Raft: whom it voted for in its current term (null: nobody yet, or Bully). */
  readonly votedFor: NodeId | null;
  /** Raft: voters that granted this candidate (or leader) its votes in its term. */
  readonly votes: readonly NodeId[];
  /** The leader it follows (itself when leading); null when it knows none. */
  readonly leaderId: NodeId | null;
  /** Time left on its election timer (or Bully's wait), in µs; null when none runs (leaders, down). */
  readonly timerLeftUs: number | null;
}

export interface ElectionInstrumentData {
  readonly algorithm: 'raft' | 'bully';
  readonly clusterSize: number;
  readonly majority: number;
  /** The first `nodesShownMax` members, in topology order. */
  readonly nodes: readonly ElectionNodeReading[];
  /** The leader clients can use (reaches a majority, sees no newer term), or null. */
  readonly usableLeader: NodeId | null;
  readonly timeoutMinMs: number;
  readonly timeoutMaxMs: number;
  readonly heartbeatMs: number;
  /** The member whose timer runs out first, and when; null when no timer runs. */
  readonly nextTimeout: { readonly id: NodeId; readonly leftUs: number } | null;
}

/** The timers that make a member stand: Raft's one, and Bully's three waits. */
const raftTimers = ['election'] as const;
const bullyTimers = ['detect', 'answer', 'coordinator'] as const;

/** Time left on the member's election timer (the soonest of them for Bully), or null. */
function timerLeftOf(world: WorldView, node: NodeView, isRaft: boolean): number | null {
  if (node.status !== 'up') return null;
  let left: number | null = null;
  for (const name of isRaft ? raftTimers : bullyTimers) {
    const dueUs = world.timerDueUs(node.id, name);
    if (dueUs !== null) left = Math.min(left ?? Infinity, Math.max(0, dueUs - world.nowUs));
  }
  return left;
}

/** Members drawn at most (the page offers 9; a scaled benchmark copy has 101). */
export const nodesShownMax = 9;

function readNode(world: WorldView, node: NodeView, isRaft: boolean): ElectionNodeReading {
  const durable = node.durable as Partial<RaftDurable> & { readonly term: number };
  const term = durable.term;
  const votedFor = durable.votedFor ?? null;
  if (node.status !== 'up')
    return {
      id: node.id,
      role: 'down',
      term,
      votedFor,
      votes: [],
      leaderId: null,
      timerLeftUs: null,
    };
  const state = node.state as {
    readonly role: RaftRole | BullyRole;
    readonly leaderId: NodeId | null;
    readonly votesGranted?: RaftState['votesGranted'];
  };
  return {
    id: node.id,
    role: state.role,
    term,
    votedFor,
    votes: state.role === 'follower' ? [] : (state.votesGranted ?? []),
    leaderId: state.leaderId,
    timerLeftUs: state.role === 'leader' ? null : timerLeftOf(world, node, isRaft),
  };
}

/** Reads every member's role, term and vote (the first `nodesShownMax` of them). */
export function readElection(world: WorldView): ElectionInstrumentData {
  const nodes: ElectionNodeReading[] = [];
  let clusterSize = 0;
  const members = world.nodes.filter((node) => node.role === nodeRole);
  const algorithm: ElectionInstrumentData['algorithm'] = members.some(
    (node) =>
      typeof node.durable === 'object' && node.durable !== null && 'votedFor' in node.durable,
  )
    ? 'raft'
    : 'bully';
  let nextTimeout: ElectionInstrumentData['nextTimeout'] = null;
  for (const node of members) {
    clusterSize++;
    if (nodes.length >= nodesShownMax) continue;
    const reading = readNode(world, node, algorithm === 'raft');
    nodes.push(reading);
    const left = reading.timerLeftUs;
    if (left !== null && (nextTimeout === null || left < nextTimeout.leftUs))
      nextTimeout = { id: node.id, leftUs: left };
  }
  const minMs = paramOf(world, 'electionTimeoutMinMs');
  return {
    algorithm,
    clusterSize,
    majority: majorityOf(clusterSize),
    nodes,
    usableLeader: usableLeader(world),
    timeoutMinMs: minMs,
    timeoutMaxMs: Math.max(minMs, paramOf(world, 'electionTimeoutMaxMs')),
    heartbeatMs: paramOf(world, 'heartbeatIntervalMs'),
    nextTimeout,
  };
}

/** "n1", "n1 and n2", "n1, n2 and n3". */
function listOf(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids.at(-1) ?? ''}`;
}

/** Whether the role stands in an election (Raft's candidate, Bully's electing or waiting). */
export function isStanding(role: ElectionNodeRole): boolean {
  return role === 'candidate' || role === 'electing' || role === 'waiting';
}

/** The election in one or two sentences, as the figure's accessible name. */
export function describeElection(data: ElectionInstrumentData): string {
  const down = data.nodes.filter((node) => node.role === 'down').map((node) => node.id);
  const downText =
    down.length === 0 ? '' : ` ${listOf(down)} ${down.length === 1 ? 'is' : 'are'} down.`;
  const leader = data.nodes.find((node) => node.id === data.usableLeader);
  if (leader !== undefined) {
    const followers = data.nodes
      .filter((node) => node.role !== 'down' && node.id !== leader.id)
      .map((node) => node.id);
    const votes =
      data.algorithm === 'raft'
        ? ` with ${leader.votes.length} of ${data.clusterSize} votes`
        : ' (highest id alive)';
    const follow =
      followers.length === 0
        ? ''
        : `; ${listOf(followers)} ${followers.length === 1 ? 'follows' : 'follow'}`;
    return `Election: ${leader.id} leads term ${leader.term}${votes}${follow}; its heartbeats keep resetting their timers.${downText}`;
  }
  const stale = data.nodes.filter((node) => node.role === 'leader');
  const staleText =
    stale.length === 0
      ? ''
      : ` ${listOf(stale.map((node) => `${node.id} (term ${node.term})`))} still ${stale.length === 1 ? 'believes it leads' : 'believe they lead'} but cannot reach a majority.`;
  const standing = data.nodes.filter((node) => isStanding(node.role));
  if (standing.length > 0) {
    const who = standing
      .map((node) =>
        data.algorithm === 'raft'
          ? `${node.id} is a candidate in term ${node.term} with ${node.votes.length} of ${data.clusterSize} votes`
          : `${node.id} is ${node.role === 'waiting' ? 'waiting for a coordinator' : 'holding an election'} in term ${node.term}`,
      )
      .join('; ');
    const needed = data.algorithm === 'raft' ? ` (${data.majority} needed)` : '';
    return `Election: no leader; ${who}${needed}.${staleText}${downText}`;
  }
  const next =
    data.nextTimeout === null
      ? ''
      : ` ${data.nextTimeout.id}'s timer runs out first, in ${Math.round(data.nextTimeout.leftUs / 1000)} ms.`;
  return `Election: no leader; followers wait ${data.timeoutMinMs}–${data.timeoutMaxMs} ms without a heartbeat before one stands.${next}${staleText}${downText}`;
}

export const leaderElectionInstrument: Instrument = {
  title: 'Election',
  read(world): InstrumentReading {
    const data = readElection(world);
    return { description: describeElection(data), data };
  },
};
