import type { NodeContext, NodeId } from '../../engine/types.ts';
import { paramReader } from '../kit/params.ts';
import { leaderElectionParams } from './params.ts';

/** Typed readers of the parameters. */
export const { paramOf, msParamUs, secondsParamUs } = paramReader(
  'leader-election',
  leaderElectionParams,
);

/** The part of a node context that timeout draws need. */
type TimingContext = Pick<NodeContext, 'params' | 'random'>;

/**
 * Messages of the leader election scenario: the client's work protocol (shared by both
 * variants), Raft's election half, and the Bully algorithm. Every message that takes part in an
 * election carries the sender's term (Bully calls it an epoch), so that any node can tell a stale
 * message from a current one.
 */

/** The client asks a node to do one unit of work; only the leader does it. */
export interface WorkMessage {
  readonly type: 'Work';
  readonly requestId: number;
}

/** A leader's answer: the work was done in `term`. */
export interface WorkDoneMessage {
  readonly type: 'WorkDone';
  readonly requestId: number;
  readonly term: number;
}

/** A non-leader's answer: ask `leaderId` instead (null when it knows no leader). */
export interface RedirectMessage {
  readonly type: 'Redirect';
  readonly requestId: number;
  readonly leaderId: NodeId | null;
}

export type ClientMessage = WorkMessage | WorkDoneMessage | RedirectMessage;

/** Raft: a candidate asks for a vote in `term`. */
export interface RequestVoteMessage {
  readonly type: 'RequestVote';
  readonly term: number;
  readonly candidateId: NodeId;
}

/** Raft: the answer to a vote request, with the voter's term. */
export interface RequestVoteReplyMessage {
  readonly type: 'RequestVoteReply';
  readonly term: number;
  readonly isGranted: boolean;
}

/** Raft: the leader's heartbeat (AppendEntries without entries: this model has no log). */
export interface AppendEntriesMessage {
  readonly type: 'AppendEntries';
  readonly term: number;
  readonly leaderId: NodeId;
}

/** Raft: the answer to a heartbeat, with the follower's term. */
export interface AppendEntriesReplyMessage {
  readonly type: 'AppendEntriesReply';
  readonly term: number;
  readonly isSuccess: boolean;
}

export type RaftMessage =
  RequestVoteMessage | RequestVoteReplyMessage | AppendEntriesMessage | AppendEntriesReplyMessage;

/** Bully: "I am holding an election; is anyone above me alive?" (sent to higher ids only). */
export interface ElectionMessage {
  readonly type: 'Election';
  readonly term: number;
}

/** Bully: "I am above you and alive; stand down, I take over the election." */
export interface AnswerMessage {
  readonly type: 'Answer';
  readonly term: number;
}

/** Bully: the winner announces itself to everyone. */
export interface CoordinatorMessage {
  readonly type: 'Coordinator';
  readonly term: number;
  readonly leaderId: NodeId;
}

/** Bully: the leader's periodic "still alive". */
export interface HeartbeatMessage {
  readonly type: 'Heartbeat';
  readonly term: number;
  readonly leaderId: NodeId;
}

export type BullyMessage = ElectionMessage | AnswerMessage | CoordinatorMessage | HeartbeatMessage;

/** Every message type of the scenario (the view hints colour each one). */
export const messageTypes = [
  'Work',
  'WorkDone',
  'Redirect',
  'RequestVote',
  'RequestVoteReply',
  'AppendEntries',
  'AppendEntriesReply',
  'Election',
  'Answer',
  'Coordinator',
  'Heartbeat',
] as const satisfies readonly (ClientMessage | RaftMessage | BullyMessage)['type'][];

/** The role of the cluster members (the client has role `client`). */
export const nodeRole = 'node';
export const clientRole = 'client';

/** Votes (or nodes) needed for a majority of a cluster of `clusterSize`. */
export function majorityOf(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}

/**
 * Draws an election timeout in microseconds, uniformly from [min, max] as the parameters stand
 * now (they are live). A maximum below the minimum counts as the minimum: no randomization.
 */
export function electionTimeoutUs(ctx: TimingContext): number {
  const minUs = msParamUs(ctx, 'electionTimeoutMinMs');
  const maxUs = Math.max(minUs, msParamUs(ctx, 'electionTimeoutMaxMs'));
  return maxUs === minUs ? minUs : ctx.random.intBetween(minUs, maxUs);
}

/** The heartbeat interval in microseconds, as the parameter stands now. */
export function heartbeatIntervalUs(ctx: TimingContext): number {
  return msParamUs(ctx, 'heartbeatIntervalMs');
}

/**
 * Answers a client's work request the same way in both variants: the leader does the work, any
 * other node points at the leader it knows (or at nobody).
 */
export function answerWork(
  ctx: NodeContext<ClientMessage>,
  client: NodeId,
  request: WorkMessage,
  leaderId: NodeId | null,
  term: number,
): void {
  if (leaderId === ctx.self) {
    ctx.send(client, { type: 'WorkDone', requestId: request.requestId, term });
  } else {
    ctx.send(client, { type: 'Redirect', requestId: request.requestId, leaderId });
  }
}
