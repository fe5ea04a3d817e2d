import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  answerWork,
  type BullyMessage,
  type ClientMessage,
  electionTimeoutUs,
  heartbeatIntervalUs,
  nodeRole,
  msParamUs,
} from './protocol.ts';

/**
 * The baseline: Garcia-Molina's Bully algorithm ("Elections in a Distributed Computing System",
 * 1982). The highest id that is alive wins; no votes, no majority. It is correct when the
 * network is reliable and failures are crashes, and it elects one leader per side of a
 * partition. Numbered notes [n] are at the end of the file.
 */

export type BullyRole = 'follower' | 'electing' | 'waiting' | 'leader';

export interface BullyState {
  readonly role: BullyRole;
  readonly leaderId: NodeId | null;
}

/** [5] The epoch, exposed as `term` so the scenario's invariants and metrics read it. */
export interface BullyDurable {
  readonly term: number;
}

type Message = BullyMessage | ClientMessage;
type Context = NodeContext<Message, BullyDurable>;

/** [2] A follower that hears no heartbeat for this long suspects the leader. */
const detectTimer = 'detect';
/** [1] How long an election waits for an Answer from a higher node. */
const answerTimer = 'answer';
/** [1] How long a node that got an Answer waits for the Coordinator announcement. */
const coordinatorTimer = 'coordinator';
const heartbeatTimer = 'heartbeat';

const leaderless: BullyState = { role: 'follower', leaderId: null };

export const bullyBehaviour: Behaviour<BullyState, Message, BullyDurable> = {
  initialDurable(): BullyDurable {
    return { term: 0 };
  },

  init(ctx: Context): BullyState {
    // [2] A starting node listens for one detection timeout before it calls an election.
    ctx.setTimer(detectTimer, electionTimeoutUs(ctx));
    return leaderless;
  },

  receive(state: BullyState, event: NodeEvent<Message>, ctx: Context): BullyState {
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

  summarize(state: BullyState, durable: BullyDurable): NodeSummary {
    const health = state.role === 'leader' || state.leaderId !== null ? 'ok' : 'warn';
    return { label: state.role, badge: `term ${durable.term}`, health };
  },
};

function onMessage(state: BullyState, from: NodeId, message: Message, ctx: Context): BullyState {
  switch (message.type) {
    case 'Work':
      answerWork(ctx, from, message, state.leaderId, ctx.durable.term);
      return state;
    case 'WorkDone':
    case 'Redirect':
      return state;
    case 'Election':
      return onElection(state, from, message.term, ctx);
    case 'Answer':
      adoptTerm(message.term, ctx);
      if (state.role !== 'electing') return state;
      // [1] Someone above is alive and takes over; wait for its announcement.
      ctx.cancelTimer(answerTimer);
      ctx.setTimer(coordinatorTimer, electionTimeoutUs(ctx));
      return { role: 'waiting', leaderId: null };
    case 'Coordinator':
    case 'Heartbeat':
      return onLeaderClaim(state, message.leaderId, message.term, ctx);
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

function onTimer(state: BullyState, name: string, ctx: Context): BullyState {
  switch (name) {
    case detectTimer:
      return state.role === 'follower' ? startElection(ctx.durable.term + 1, ctx) : state;
    case answerTimer:
      // [1] Nobody above answered: this node is the highest alive it can reach.
      return state.role === 'electing' ? becomeCoordinator(ctx.durable.term, ctx) : state;
    case coordinatorTimer:
      // [1] The node that answered died before announcing: start over.
      return state.role === 'waiting' ? startElection(ctx.durable.term + 1, ctx) : state;
    case heartbeatTimer:
      if (state.role !== 'leader') return state;
      broadcast(ctx, { type: 'Heartbeat', term: ctx.durable.term, leaderId: ctx.self });
      ctx.setTimer(heartbeatTimer, heartbeatIntervalUs(ctx));
      return state;
    default:
      return state;
  }
}

/** [1] Ask every higher id whether it is alive; with none above, win at once. */
function startElection(term: number, ctx: Context): BullyState {
  ctx.persist({ term: Math.max(term, ctx.durable.term) });
  ctx.metric('elections', 1);
  ctx.cancelTimer(detectTimer);
  ctx.cancelTimer(coordinatorTimer);
  const higher = higherThan(ctx.self, ctx);
  if (higher.length === 0) return becomeCoordinator(ctx.durable.term, ctx);
  for (const peer of higher) ctx.send(peer, { type: 'Election', term: ctx.durable.term });
  ctx.setTimer(answerTimer, answerWaitUs(ctx));
  return { role: 'electing', leaderId: null };
}

/** [1] A lower node is holding an election: answer it, and take the election over. */
function onElection(state: BullyState, from: NodeId, term: number, ctx: Context): BullyState {
  ctx.send(from, { type: 'Answer', term: Math.max(term, ctx.durable.term) });
  if (state.role === 'leader') {
    // [4] Already the leader: announce again, in a new epoch so the claim is the latest.
    return becomeCoordinator(Math.max(term, ctx.durable.term) + 1, ctx);
  }
  adoptTerm(term, ctx);
  // [5] Joining a running election keeps its epoch; only a node that starts one bumps it.
  return state.role === 'follower' ? startElection(ctx.durable.term, ctx) : state;
}

/** [3] A Coordinator or Heartbeat: follow a higher claimant, bully a lower one. */
function onLeaderClaim(
  state: BullyState,
  claimant: NodeId,
  term: number,
  ctx: Context,
): BullyState {
  if (rankOf(claimant, ctx) < rankOf(ctx.self, ctx)) {
    if (state.role === 'leader')
      return becomeCoordinator(Math.max(term, ctx.durable.term) + 1, ctx);
    adoptTerm(term, ctx);
    return state.role === 'follower' ? startElection(ctx.durable.term + 1, ctx) : state;
  }
  // [5] A follower takes its leader's epoch, even a lower one: its own failed attempts are void.
  if (term !== ctx.durable.term) ctx.persist({ term });
  if (state.role === 'leader') ctx.cancelTimer(heartbeatTimer);
  ctx.cancelTimer(answerTimer);
  ctx.cancelTimer(coordinatorTimer);
  ctx.setTimer(detectTimer, electionTimeoutUs(ctx));
  if (state.role === 'follower' && state.leaderId === claimant) return state;
  return { role: 'follower', leaderId: claimant };
}

function becomeCoordinator(term: number, ctx: Context): BullyState {
  ctx.persist({ term: Math.max(term, ctx.durable.term) });
  ctx.cancelTimer(detectTimer);
  ctx.cancelTimer(answerTimer);
  ctx.cancelTimer(coordinatorTimer);
  ctx.annotate(`coordinator in term ${ctx.durable.term}`);
  broadcast(ctx, { type: 'Coordinator', term: ctx.durable.term, leaderId: ctx.self });
  ctx.setTimer(heartbeatTimer, heartbeatIntervalUs(ctx));
  return { role: 'leader', leaderId: ctx.self };
}

/** [5] Election traffic raises a node's epoch to the largest it has seen. */
function adoptTerm(term: number, ctx: Context): void {
  if (term > ctx.durable.term) ctx.persist({ term });
}

function broadcast(ctx: Context, message: Message): void {
  for (const peer of ctx.nodesWithRole(nodeRole)) if (peer !== ctx.self) ctx.send(peer, message);
}

/** A node's rank is its place in the member list: n5 outranks n4. */
function rankOf(id: NodeId, ctx: Context): number {
  return ctx.nodesWithRole(nodeRole).indexOf(id);
}

function higherThan(id: NodeId, ctx: Context): NodeId[] {
  const members = ctx.nodesWithRole(nodeRole);
  return members.slice(members.indexOf(id) + 1);
}

/** [1] An Answer takes one round trip; the heartbeat interval is the model's "short wait". */
function answerWaitUs(ctx: Context): number {
  return msParamUs(ctx, 'heartbeatIntervalMs');
}

/*
 * Notes
 *
 * [1] The election. A node that suspects the leader sends Election to every node with a higher
 *     id. Any of them that is alive replies Answer and runs its own election, so the election
 *     climbs to the highest id alive. A node that hears no Answer within a short wait declares
 *     itself Coordinator to everyone. A node that got an Answer waits for the Coordinator
 *     message and starts again if none comes (the higher node died meanwhile).
 *
 * [2] Failure detection. The leader sends a Heartbeat every heartbeat interval; a follower that
 *     hears none for an election timeout (drawn like Raft's, for a fair comparison) suspects it.
 *     Bully trusts this detector completely: "I cannot hear the leader" is taken to mean "the
 *     leader is dead", which is false under a partition. That is its flaw.
 *
 * [3] Bullying. A node that hears a leader claim from a lower id starts an election it will win,
 *     and a leader that hears a higher claimant follows it. After a partition heals, the sides'
 *     leaders meet and the higher one takes over; until then, each side has its own leader.
 *
 * [4] A leader that receives Election (a lower node missed its heartbeats) re-announces itself.
 *
 * [5] Epochs. Bully has no terms. This model numbers elections with an epoch, shown as the
 *     node's "term" so the same invariant as Raft's can check it: a node that starts an election
 *     takes the next epoch, election messages raise everyone to the largest epoch seen, and a
 *     follower takes the epoch of the leader it follows (an election it started that came to
 *     nothing is forgotten). Nothing stops two sides of a partition from reaching the same epoch
 *     independently, each with its own leader: no majority is needed, so no node is shared
 *     between the two elections to prevent it.
 */
