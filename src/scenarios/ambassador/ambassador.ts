import type { Behaviour, NodeContext, NodeEvent, NodeId } from '../../engine/types.ts';
import {
  type AmbassadorDurable,
  type AmbassadorFlaws,
  type AmbassadorState,
  attemptOf,
  initialAmbassadorState,
  type LiveAttempt,
  type LogEntry,
  type PendingRequest,
  pendingMax,
  pendingOf,
  pendingWith,
  replaced,
  requestLogMax,
  summarizeAmbassador,
  withoutAttempt,
  withoutPending,
  withPendingAdded,
} from './ambassadorState.ts';
import { canRetry, counted } from './budget.ts';
import {
  attemptFinished,
  breakerTimerIndex,
  breakerWaitElapsed,
  chooseInstance,
} from './instances.ts';
import {
  type AmbassadorMessage,
  backoffUs,
  type Outcome,
  type ReplyMessage,
  type RequestMessage,
  remoteRole,
  settingsOf,
} from './protocol.ts';

export type { AmbassadorDurable, AmbassadorFlaws, AmbassadorState } from './ambassadorState.ts';

/**
 * The ambassador: a sidecar next to one app that makes its calls to the remote service on its
 * behalf [1]. For every app request it runs attempts against the remote instances with a per-try
 * timeout [2], retries failures after a fully jittered exponential backoff [3] up to a maximum
 * number of attempts and within a retry budget [4], optionally hedges a slow attempt with a copy
 * to another instance [5], balances over the instances with an optional breaker per instance
 * (instances.ts), answers the app exactly once [6], and logs every request [7]. Numbered notes
 * [n] are at the end of the file.
 */

type Context = NodeContext<AmbassadorMessage, AmbassadorDurable>;

const budgetLabelUs = 1_000_000;

export function makeAmbassadorBehaviour(
  flaws: AmbassadorFlaws = {},
): Behaviour<AmbassadorState, AmbassadorMessage, AmbassadorDurable> {
  const steps = handlers(flaws);
  return {
    initialDurable(): AmbassadorDurable {
      return { incarnation: 0 };
    },

    init(ctx: Context): AmbassadorState {
      ctx.persist({ incarnation: ctx.durable.incarnation + 1 });
      return initialAmbassadorState(ctx.nodesWithRole(remoteRole));
    },

    receive(state: AmbassadorState, event: NodeEvent<AmbassadorMessage>, ctx: Context) {
      const next = steps.handle(state, event, ctx);
      const refusedAtUs = next.budgetRefusedAtUs;
      if (refusedAtUs === null || ctx.localTimeUs - refusedAtUs < budgetLabelUs) return next;
      return { ...next, budgetRefusedAtUs: null };
    },

    summarize: summarizeAmbassador,
  };
}

export const ambassadorBehaviour = makeAmbassadorBehaviour();

function handlers(flaws: AmbassadorFlaws) {
  type State = AmbassadorState;

  function handle(state: State, event: NodeEvent<AmbassadorMessage>, ctx: Context): State {
    switch (event.kind) {
      case 'message': {
        const message = event.message;
        if (message.type === 'Request') return onRequest(state, event.from, message, ctx);
        if (message.type === 'Reply') return onReply(state, message, ctx);
        return state;
      }
      case 'timer':
        return onTimer(state, event.name, ctx);
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  }

  function onTimer(state: State, name: string, ctx: Context): State {
    const breakerIndex = breakerTimerIndex(name);
    if (breakerIndex !== null) {
      return { ...state, instances: breakerWaitElapsed(state.instances, breakerIndex, ctx) };
    }
    const colon = name.indexOf(':');
    const kind = name.slice(0, colon);
    const subject = name.slice(colon + 1);
    if (kind === 'try') return onTryTimeout(state, Number(subject), ctx);
    const request = pendingOf(state, subject);
    if (request === undefined) return state;
    switch (kind) {
      case 'retry': {
        const ready: PendingRequest = { ...request, isRetryScheduled: false };
        return startAttempt(state, ready, 'retry', ctx);
      }
      case 'hedge': {
        const canHedge =
          request.live > 0 && !request.hasHedged && request.attempts < request.maxAttempts;
        return canHedge ? startAttempt(state, request, 'hedge', ctx) : state;
      }
      case 'deadline':
        return answer(state, request, 'deadline', ctx);
      default:
        return state;
    }
  }

  /** [1] A request from the app: start its first attempt, arm its deadline (and hedge). */
  function onRequest(state: State, app: NodeId, message: RequestMessage, ctx: Context): State {
    const key = `${app}#${message.requestId}`;
    if (pendingOf(state, key, message.requestId) !== undefined) return state; // a network copy
    const nowUs = ctx.localTimeUs;
    const settings = settingsOf(ctx.params);
    const request: PendingRequest = {
      key,
      app,
      requestId: message.requestId,
      startedUs: nowUs,
      maxAttempts: settings.maxAttempts,
      attempts: 0,
      tried: [],
      live: 0,
      hasHedged: false,
      isRetryScheduled: false,
      lastFailure: null,
    };
    const budget = counted(state.budget, nowUs, 'request');
    const counters = { ...state.counters, requests: state.counters.requests + 1 };
    if (state.pending.length >= pendingMax) {
      return answer({ ...state, budget, counters }, request, 'overflow', ctx);
    }
    ctx.setTimer(`deadline:${key}`, settings.requestTimeoutUs);
    if (settings.isHedgingOn && request.maxAttempts > 1) {
      ctx.setTimer(`hedge:${key}`, settings.hedgeDelayUs);
    }
    // The request joins `pending` as startAttempt records its first attempt.
    return startAttempt({ ...state, budget, counters }, request, 'first', ctx, true);
  }

  /**
   * Sends one attempt of `request` (in `state.pending`, or about to join it when `isNew`).
   * Retries and hedges must first fit the budget [4]; every attempt needs an instance whose
   * breaker permits it. When neither is available, a hedge is simply skipped and a first try or
   * retry ends the request, unless another attempt of it is still in flight.
   */
  function startAttempt(
    state: State,
    request: PendingRequest,
    kind: LiveAttempt['kind'],
    ctx: Context,
    isNew = false,
  ): State {
    const nowUs = ctx.localTimeUs;
    const settings = settingsOf(ctx.params);
    const isBudgeted = kind !== 'first' && settings.isRetryBudgetOn;
    const isEnforced = isBudgeted && flaws.ignoresBudget !== true;
    if (isEnforced && !canRetry(state.budget, nowUs, ctx.params)) {
      ctx.metric('budget-exhausted', 1);
      const refused: State = {
        ...state,
        budgetRefusedAtUs: nowUs,
        counters: { ...state.counters, budgetRefusals: state.counters.budgetRefusals + 1 },
      };
      if (kind === 'hedge') return replaced(refused, { ...request, hasHedged: true });
      return endUnlessLive(refused, request, 'budget spent', ctx);
    }
    const choice = chooseInstance(state.instances, request.tried, kind === 'hedge', ctx, flaws);
    if (choice === null) {
      if (kind === 'hedge') return replaced(state, { ...request, hasHedged: true });
      return endUnlessLive(
        isNew ? withPendingAdded(state, request) : state,
        request,
        'breaker open',
        ctx,
      );
    }
    const callId = state.nextCallId;
    const instance = state.instances.remotes[choice.index] ?? '';
    ctx.send(instance, { type: 'Call', callId });
    ctx.setTimer(`try:${callId}`, settings.tryTimeoutUs);
    if (kind === 'hedge') ctx.metric('hedges', 1);
    const attempt: LiveAttempt = {
      callId,
      key: request.key,
      app: request.app,
      requestId: request.requestId,
      index: choice.index,
      sentUs: nowUs,
      permit: choice.permit,
      kind,
    };
    const sent: PendingRequest = {
      ...request,
      attempts: request.attempts + 1,
      tried: [...request.tried, instance],
      live: request.live + 1,
      hasHedged: request.hasHedged || kind === 'hedge',
    };
    const counters = state.counters;
    return {
      ...state,
      pending: isNew ? [...state.pending, sent] : pendingWith(state.pending, sent),
      attempts: [...state.attempts, attempt],
      instances: choice.table,
      // With the budget off there is nothing to charge: switched on, it starts afresh.
      budget: isBudgeted ? counted(state.budget, nowUs, 'retry') : state.budget,
      nextCallId: callId + 1,
      counters: {
        ...counters,
        attempts: counters.attempts + 1,
        retries: counters.retries + (kind === 'retry' ? 1 : 0),
        hedges: counters.hedges + (kind === 'hedge' ? 1 : 0),
      },
    };
  }

  /** A reply from an instance: settle its attempt, then answer or retry its request. */
  function onReply(state: State, reply: ReplyMessage, ctx: Context): State {
    const attempt = attemptOf(state, reply.callId);
    // [6] Its per-try timeout already fired: the answer comes too late to use.
    if (attempt === undefined) return discarded(state, ctx);
    ctx.cancelTimer(`try:${attempt.callId}`);
    const durationUs = ctx.localTimeUs - attempt.sentUs;
    const settled = settle(state, attempt, !reply.isOk, durationUs, ctx);
    const request = pendingOf(settled, attempt.key, attempt.requestId);
    if (request === undefined) {
      // [6] Its request was answered already (a hedge or an earlier attempt won): drop it.
      if (flaws.forwardsLateAnswers === true && reply.isOk) {
        const seq = respond(settled, attempt.app, attempt.requestId, 'ok', 0, ctx);
        return { ...settled, answerSeq: seq };
      }
      return discarded(settled, ctx);
    }
    const waiting: PendingRequest = { ...request, live: request.live - 1 };
    if (reply.isOk) return answer(settled, waiting, 'ok', ctx);
    return attemptFailed(settled, waiting, reply.reason, ctx);
  }

  /** [2] No reply within the per-try timeout: the attempt failed (it may still answer late). */
  function onTryTimeout(state: State, callId: number, ctx: Context): State {
    const attempt = attemptOf(state, callId);
    if (attempt === undefined) return state;
    const settled = settle(state, attempt, true, ctx.localTimeUs - attempt.sentUs, ctx);
    const request = pendingOf(settled, attempt.key, attempt.requestId);
    if (request === undefined) return settled;
    return attemptFailed(settled, { ...request, live: request.live - 1 }, 'timeout', ctx);
  }

  /** Removes a finished attempt and reports its outcome to its instance's breaker. */
  function settle(
    state: State,
    attempt: LiveAttempt,
    isFailure: boolean,
    durationUs: number,
    ctx: Context,
  ): State {
    const finished = attemptFinished(
      state.instances,
      attempt.index,
      attempt.permit,
      { isFailure, durationUs },
      ctx,
    );
    if (finished.hasTripped) ctx.metric('breaker-trips', 1);
    return {
      ...state,
      attempts: withoutAttempt(state.attempts, attempt.callId),
      instances: finished.table,
      counters: finished.hasTripped
        ? { ...state.counters, trips: state.counters.trips + 1 }
        : state.counters,
    };
  }

  /**
   * [3] An attempt failed (`request` is its request with the attempt no longer live; `state`
   * may still hold the request as it was). With another attempt still in flight (a hedge) the
   * request waits for it; with attempts left it retries after a random backoff; otherwise it
   * fails.
   */
  function attemptFailed(
    state: State,
    request: PendingRequest,
    reason: Outcome,
    ctx: Context,
  ): State {
    const failed: PendingRequest = { ...request, lastFailure: reason };
    if (failed.live > 0 || failed.isRetryScheduled) return replaced(state, failed);
    const limit = failed.maxAttempts + (flaws.retriesPastMax === true ? 1 : 0);
    if (failed.attempts >= limit) return answer(state, failed, reason, ctx);
    ctx.setTimer(`retry:${failed.key}`, backoffUs(ctx, failed.attempts));
    return replaced(state, { ...failed, isRetryScheduled: true });
  }

  function endUnlessLive(
    state: State,
    request: PendingRequest,
    outcome: Outcome,
    ctx: Context,
  ): State {
    if (request.live > 0) return replaced(state, request);
    return answer(state, request, outcome, ctx);
  }

  /**
   * [6] The one answer to a request: timers cancelled, logged [7], request forgotten. (Its retry
   * timer can only be pending while a retry is scheduled: one that fired cleared the flag.)
   */
  function answer(state: State, request: PendingRequest, outcome: Outcome, ctx: Context): State {
    ctx.cancelTimer(`deadline:${request.key}`);
    if (request.isRetryScheduled) ctx.cancelTimer(`retry:${request.key}`);
    ctx.cancelTimer(`hedge:${request.key}`);
    const latencyMs = (ctx.localTimeUs - request.startedUs) / 1000;
    ctx.metric('attempts-per-request', request.attempts);
    const entry: LogEntry = {
      requestId: request.requestId,
      app: request.app,
      attempts: request.attempts,
      maxAttempts: request.maxAttempts,
      instances: request.tried,
      outcome,
      latencyMs,
    };
    // The log keeps the latest `requestLogMax` entries: drop the oldest, append, copy once.
    const previous = state.log;
    const first = Math.max(0, previous.length - requestLogMax + 1);
    let droppedOk = 0;
    for (let index = 0; index < first; index++) {
      if (previous[index]?.outcome === 'ok') droppedOk++;
    }
    const log = previous.slice(first);
    log.push(entry);
    const isOk = outcome === 'ok';
    const seq = respond(state, request.app, request.requestId, outcome, request.attempts, ctx);
    return {
      ...state,
      pending: withoutPending(state.pending, request.key),
      answerSeq: seq,
      log,
      logSucceeded: state.logSucceeded - droppedOk + (isOk ? 1 : 0),
      counters: {
        ...state.counters,
        answered: state.counters.answered + 1,
        succeeded: state.counters.succeeded + (isOk ? 1 : 0),
      },
    };
  }

  /** Sends the app its answer; the new answer sequence number. */
  function respond(
    state: State,
    app: NodeId,
    requestId: number,
    outcome: Outcome,
    attempts: number,
    ctx: Context,
  ): number {
    const seq = state.answerSeq + 1;
    ctx.send(app, {
      type: 'Response',
      requestId,
      isOk: outcome === 'ok',
      outcome,
      attempts,
      answerId: `${ctx.self}:${ctx.durable.incarnation}:${seq}`,
    });
    return seq;
  }

  function discarded(state: State, ctx: Context): State {
    ctx.metric('discarded-answers', 1);
    return { ...state, counters: { ...state.counters, discarded: state.counters.discarded + 1 } };
  }

  return { handle };
}

/*
 * Notes
 *
 * [1] The ambassador pattern (Burns and Oppenheimer, "Design patterns for container-based
 *     distributed systems", 2016; the Azure architecture guide): a helper process beside the app,
 *     on the same host, that owns the network-facing concerns so every app, in any language,
 *     gets the same retries, timeouts, balancing and telemetry. Envoy and Linkerd sidecars are
 *     ambassadors. The local hop is cheap and reliable; the WAN is not.
 *
 * [2] Per-try timeout and deadline. Each attempt gets its own timeout, so one lost message costs
 *     one try, not the whole request; the request as a whole has a deadline, after which the
 *     ambassador answers "deadline" whatever is still in flight. The maximum number of attempts
 *     is fixed per request when it arrives, as Envoy and gRPC fix their retry policy per call.
 *
 * [3] Exponential backoff with full jitter (protocol.ts): retries spread out in time instead of
 *     hitting a struggling instance in lockstep, and back off further each time.
 *
 * [4] The retry budget (budget.ts) is checked, and charged, when the retry or hedge would be sent.
 *     A request refused a retry fails with "budget spent" (a hedge is just not sent).
 *
 * [5] Hedged requests (Dean and Barroso, "The Tail at Scale", 2013): if the first attempt has not
 *     answered after the hedge delay, a copy goes to another instance; the first success wins and
 *     the other answer is dropped when it comes. Hedges spend the retry budget too, as in gRPC.
 *
 * [6] Exactly one answer per request. Attempts and requests are kept apart: an attempt lives until
 *     its reply or its per-try timeout (its outcome always reaches the breaker), while the request
 *     is answered once, by the first success, the last failure or the deadline, and then
 *     forgotten. Replies for forgotten requests, and replies after a per-try timeout, are counted
 *     as discarded answers: work the remote did for nothing.
 *
 * [7] The request log keeps the last 50 requests (id, attempts, instances tried, outcome,
 *     latency) for the inspector; the app's metrics are taken from the same answers.
 */
