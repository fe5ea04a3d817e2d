import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  answerWork,
  type AppendEntriesMessage,
  type ClientMessage,
  electionTimeoutUs,
  heartbeatIntervalUs,
  majorityOf,
  nodeRole,
  type RaftMessage,
  type RequestVoteMessage,
  type RequestVoteReplyMessage,
} from './protocol.ts';

/**
 * The election half of Raft (Ongaro and Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", §5.1, §5.2): terms, followers, candidates and leaders, randomized election
 * timeouts, one durable vote per term and heartbeats. There is no log, so there is no log
 * matching and no "up-to-date" check on votes. Numbered notes [n] are at the end of the file.
 */

export type RaftRole = 'follower' | 'candidate' | 'leader';

/** Volatile state: lost on a crash and rebuilt by `init`. */
export interface RaftState {
  readonly role: RaftRole;
  /** The leader this node last heard from in its current term (itself when leading). */
  readonly leaderId: NodeId | null;
  /** Voters (including itself) that granted this candidate a vote in the current term. */
  readonly votesGranted: readonly NodeId[];
}

/** Durable state: written before any message that depends on it is sent [2]. */
export interface RaftDurable {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

type Message = RaftMessage | ClientMessage;
type Context = NodeContext<Message, RaftDurable>;

const electionTimer = 'election';
const heartbeatTimer = 'heartbeat';

const followerState: RaftState = { role: 'follower', leaderId: null, votesGranted: [] };

export const raftBehaviour: Behaviour<RaftState, Message, RaftDurable> = {
  initialDurable(): RaftDurable {
    return { term: 0, votedFor: null };
  },

  init(ctx: Context): RaftState {
    // [1] Every node starts, and restarts, as a follower that knows no leader.
    resetElectionTimer(ctx);
    return followerState;
  },

  receive(state: RaftState, event: NodeEvent<Message>, ctx: Context): RaftState {
    switch (event.kind) {
      case 'message':
        return onMessage(state, event.from, event.message, ctx);
      case 'timer':
        return onTimer(state, event.name, ctx);
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: RaftState, durable: RaftDurable): NodeSummary {
    const health =
      state.role === 'candidate' || (state.role === 'follower' && state.leaderId === null)
        ? 'warn'
        : 'ok';
    return { label: state.role, badge: `term ${durable.term}`, health };
  },
};

function onMessage(state: RaftState, from: NodeId, message: Message, ctx: Context): RaftState {
  if (message.type === 'Work') {
    answerWork(ctx, from, message, state.leaderId, ctx.durable.term);
    return state;
  }
  if (message.type === 'WorkDone' || message.type === 'Redirect') return state;
  // [3] A higher term in any message means this node is behind: adopt it and follow.
  const current = message.term > ctx.durable.term ? stepDown(state, message.term, ctx) : state;
  switch (message.type) {
    case 'RequestVote':
      return onRequestVote(current, from, message, ctx);
    case 'RequestVoteReply':
      return onVoteReply(current, from, message, ctx);
    case 'AppendEntries':
      return onAppendEntries(current, from, message, ctx);
    case 'AppendEntriesReply':
      // [3] Its only use here is the term check above: it tells a stale leader it is stale.
      return current;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

function onTimer(state: RaftState, name: string, ctx: Context): RaftState {
  if (name === electionTimer && state.role !== 'leader') return startElection(ctx);
  if (name === heartbeatTimer && state.role === 'leader') {
    sendHeartbeats(ctx);
    ctx.setTimer(heartbeatTimer, heartbeatIntervalUs(ctx));
  }
  return state;
}

/** [3] Adopts `term`, forgets any vote of the older term and becomes a follower. */
function stepDown(state: RaftState, term: number, ctx: Context): RaftState {
  ctx.persist({ term, votedFor: null });
  if (state.role === 'leader') {
    ctx.cancelTimer(heartbeatTimer);
    resetElectionTimer(ctx);
    ctx.annotate(`steps down: saw term ${term}`);
  }
  return followerState;
}

/** [4] The election timer fired: stand as a candidate in the next term. */
function startElection(ctx: Context): RaftState {
  const term = ctx.durable.term + 1;
  ctx.persist({ term, votedFor: ctx.self });
  ctx.metric('elections', 1);
  for (const peer of peersOf(ctx)) {
    ctx.send(peer, { type: 'RequestVote', term, candidateId: ctx.self });
  }
  resetElectionTimer(ctx);
  const state: RaftState = { role: 'candidate', leaderId: null, votesGranted: [ctx.self] };
  return hasMajority(state.votesGranted, ctx) ? becomeLeader(state, ctx) : state;
}

/** [2] One vote per term, first come first served, written to disk before it is sent. */
function onRequestVote(
  state: RaftState,
  from: NodeId,
  request: RequestVoteMessage,
  ctx: Context,
): RaftState {
  const { term, votedFor } = ctx.durable;
  const isGranted =
    request.term === term && (votedFor === null || votedFor === request.candidateId);
  if (isGranted) {
    if (votedFor === null) ctx.persist({ term, votedFor: request.candidateId });
    // [5] Granting a vote resets the timer, so a voter does not stand against its candidate.
    resetElectionTimer(ctx);
  }
  ctx.send(from, { type: 'RequestVoteReply', term, isGranted });
  return state;
}

/** [6] A candidate that collects votes from a majority of the whole cluster wins its term. */
function onVoteReply(
  state: RaftState,
  from: NodeId,
  reply: RequestVoteReplyMessage,
  ctx: Context,
): RaftState {
  const isCounted =
    state.role === 'candidate' &&
    reply.isGranted &&
    reply.term === ctx.durable.term &&
    !state.votesGranted.includes(from);
  if (!isCounted) return state;
  const next: RaftState = { ...state, votesGranted: [...state.votesGranted, from] };
  return hasMajority(next.votesGranted, ctx) ? becomeLeader(next, ctx) : next;
}

function becomeLeader(state: RaftState, ctx: Context): RaftState {
  ctx.cancelTimer(electionTimer);
  ctx.annotate(
    `leader of term ${ctx.durable.term} with ${state.votesGranted.length} of ${clusterOf(ctx).length} votes`,
  );
  sendHeartbeats(ctx);
  ctx.setTimer(heartbeatTimer, heartbeatIntervalUs(ctx));
  return { ...state, role: 'leader', leaderId: ctx.self };
}

/** [7] A heartbeat of the current term: someone won this term, so follow it. */
function onAppendEntries(
  state: RaftState,
  from: NodeId,
  heartbeat: AppendEntriesMessage,
  ctx: Context,
): RaftState {
  const term = ctx.durable.term;
  if (heartbeat.term < term || state.role === 'leader') {
    // A stale leader learns the newer term from this reply [3]. (Two leaders of one term cannot
    // exist [6]; a leader ignores such a heartbeat rather than guess which one is real.)
    ctx.send(from, { type: 'AppendEntriesReply', term, isSuccess: false });
    return state;
  }
  resetElectionTimer(ctx);
  ctx.send(from, { type: 'AppendEntriesReply', term, isSuccess: true });
  if (state.role === 'follower' && state.leaderId === heartbeat.leaderId) return state;
  return { role: 'follower', leaderId: heartbeat.leaderId, votesGranted: [] };
}

function sendHeartbeats(ctx: Context): void {
  const term = ctx.durable.term;
  for (const peer of peersOf(ctx)) {
    ctx.send(peer, { type: 'AppendEntries', term, leaderId: ctx.self });
  }
}

/** [4] A fresh random timeout every time the timer is reset. */
function resetElectionTimer(ctx: Context): void {
  ctx.setTimer(electionTimer, electionTimeoutUs(ctx));
}

function clusterOf(ctx: Context): readonly NodeId[] {
  return ctx.nodesWithRole(nodeRole);
}

function peersOf(ctx: Context): NodeId[] {
  return clusterOf(ctx).filter((id) => id !== ctx.self);
}

function hasMajority(votes: readonly NodeId[], ctx: Context): boolean {
  return votes.length >= majorityOf(clusterOf(ctx).length);
}

/*
 * Notes
 *
 * [1] Terms. Time is divided into terms numbered 1, 2, 3…; each term begins with an election and
 *     has at most one leader. A term is a logical clock: nodes compare terms instead of trusting
 *     any wall clock. Roles are volatile; a restarted node is a follower again, but it remembers
 *     its term and vote [2].
 *
 * [2] One vote per term, durable. `term` and `votedFor` are persisted (a synchronous write to
 *     disk) before the reply leaves, so a node that crashes and restarts in the same term cannot
 *     vote a second time. Without the write, one node could vote for two candidates in one term
 *     and both could reach a majority: two leaders in one term.
 *
 * [3] Stepping down. Any message with a higher term means a newer election happened: the node
 *     adopts the term, forgets its old vote and becomes a follower, whatever it was. This is how
 *     an isolated leader, which keeps believing it leads while it is cut off, learns the truth
 *     after the partition heals: the first reply or request it sees carries a higher term.
 *     Adopting a term does not reset a follower's election timer; only [5] and [7] do.
 *
 * [4] Randomized election timeouts. A follower that hears nothing from a leader for one election
 *     timeout becomes a candidate: it starts the next term, votes for itself and asks everyone
 *     else. Each reset draws a new timeout from [min, max], so after a leader dies the followers
 *     time out at different moments and usually one asks for votes before the others wake up.
 *     With min = max they wake up together, split the vote, and do it again (split votes).
 *
 * [5] Granting a vote resets the voter's election timer: it has just heard from a plausible
 *     leader-to-be and should give it time to win.
 *
 * [6] Majority of the whole cluster, not of the nodes that answered. Two majorities of one
 *     cluster always share a node, and that node votes once per term [2]: hence at most one
 *     leader per term (Election Safety). A minority side of a partition can never win.
 *
 * [7] Heartbeats. The leader sends AppendEntries with no entries every heartbeat interval. A
 *     candidate that receives one of its own term has lost the election and follows; a follower
 *     resets its timer and remembers the leader, so it can redirect clients to it.
 */
