import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { type ClientMessage, nodeRole, msParamUs } from './protocol.ts';

/**
 * The workload: one client that sends a unit of work every `clientIntervalMs` to the node it
 * believes leads. Followers redirect it; silence makes it try another node. It is the same in
 * both variants, so the pattern and its baseline serve the same traffic.
 */

/** Tries (first send, redirects and retries) before a request counts as failed. */
export const workTriesMax = 5;

interface Outstanding {
  readonly requestId: number;
  readonly target: NodeId;
  readonly startedUs: number;
  readonly tries: number;
}

export interface ClientState {
  /** Where the next request goes first. */
  readonly believedLeader: NodeId;
  readonly request: Outstanding | null;
  readonly nextRequestId: number;
  readonly doneCount: number;
  readonly failedCount: number;
}

type Context = NodeContext<ClientMessage, null>;

const workTimer = 'work';
const retryTimer = 'retry';

export const clientBehaviour: Behaviour<ClientState, ClientMessage, null> = {
  initialDurable(): null {
    return null;
  },

  init(ctx: Context): ClientState {
    ctx.setTimer(workTimer, intervalUs(ctx));
    // The client knows the members but not the leader: it starts with a random guess.
    return {
      believedLeader: ctx.random.pick(ctx.nodesWithRole(nodeRole)),
      request: null,
      nextRequestId: 1,
      doneCount: 0,
      failedCount: 0,
    };
  },

  receive(state: ClientState, event: NodeEvent<ClientMessage>, ctx: Context): ClientState {
    switch (event.kind) {
      case 'message':
        return onReply(state, event.from, event.message, ctx);
      case 'timer':
        if (event.name === workTimer) return onWorkTick(state, ctx);
        if (event.name === retryTimer) return onRetry(state, ctx);
        return state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ClientState): NodeSummary {
    const isWaiting = state.request !== null && state.request.tries > 1;
    return {
      label: 'client',
      badge: `${state.doneCount} done, ${state.failedCount} failed`,
      health: isWaiting ? 'warn' : 'ok',
    };
  },
};

function onWorkTick(state: ClientState, ctx: Context): ClientState {
  ctx.setTimer(workTimer, intervalUs(ctx));
  // One request at a time: while one is still being retried, this tick's work is skipped.
  if (state.request !== null) return state;
  const request: Outstanding = {
    requestId: state.nextRequestId,
    target: state.believedLeader,
    startedUs: ctx.localTimeUs,
    tries: 1,
  };
  send(request, ctx);
  // Whole literals rather than spreads throughout: V8 11 (Node 20) copies an object spread
  // several times slower, and the client acts on every tick.
  return {
    believedLeader: state.believedLeader,
    request,
    nextRequestId: state.nextRequestId + 1,
    doneCount: state.doneCount,
    failedCount: state.failedCount,
  };
}

function onRetry(state: ClientState, ctx: Context): ClientState {
  const request = state.request;
  if (request === null) return state;
  if (request.tries >= workTriesMax) return fail(state, ctx);
  // No answer in time: the target may be down or cut off. Try any other member.
  const others = ctx.nodesWithRole(nodeRole).filter((id) => id !== request.target);
  const target = ctx.random.pick(others);
  const next = retried(request, target);
  send(next, ctx);
  return redirected(state, next);
}

function onReply(
  state: ClientState,
  from: NodeId,
  message: ClientMessage,
  ctx: Context,
): ClientState {
  const request = state.request;
  if (message.type === 'Work' || request?.requestId !== message.requestId) return state;
  switch (message.type) {
    case 'WorkDone':
      ctx.cancelTimer(retryTimer);
      ctx.metric('work-success', 1);
      ctx.metric('work-latency', (ctx.localTimeUs - request.startedUs) / 1000);
      return {
        believedLeader: from,
        request: null,
        nextRequestId: state.nextRequestId,
        doneCount: state.doneCount + 1,
        failedCount: state.failedCount,
      };
    case 'Redirect': {
      // A redirect to a known leader is followed at once; "no leader known" waits for the retry.
      const leaderId = message.leaderId;
      if (leaderId === null || leaderId === request.target) return state;
      if (request.tries >= workTriesMax) return fail(state, ctx);
      const next = retried(request, leaderId);
      send(next, ctx);
      return redirected(state, next);
    }
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

function send(request: Outstanding, ctx: Context): void {
  ctx.send(request.target, { type: 'Work', requestId: request.requestId });
  ctx.setTimer(retryTimer, msParamUs(ctx, 'clientTimeoutMs'));
}

function fail(state: ClientState, ctx: Context): ClientState {
  ctx.cancelTimer(retryTimer);
  ctx.metric('work-success', 0);
  return {
    believedLeader: state.believedLeader,
    request: null,
    nextRequestId: state.nextRequestId,
    doneCount: state.doneCount,
    failedCount: state.failedCount + 1,
  };
}

/** The request tried again, at `target`. */
function retried(request: Outstanding, target: NodeId): Outstanding {
  return {
    requestId: request.requestId,
    target,
    startedUs: request.startedUs,
    tries: request.tries + 1,
  };
}

/** Waiting on `request`, now sent to its target, which the client takes for the leader. */
function redirected(state: ClientState, request: Outstanding): ClientState {
  return {
    believedLeader: request.target,
    request,
    nextRequestId: state.nextRequestId,
    doneCount: state.doneCount,
    failedCount: state.failedCount,
  };
}

function intervalUs(ctx: Context): number {
  return msParamUs(ctx, 'clientIntervalMs');
}
