import { exponential } from '../../engine/distributions.ts';
import type {
  Behaviour,
  NodeContext,
  NodeEvent,
  NodeSummary,
  Variant,
} from '../../engine/types.ts';
import {
  type AmbassadorMessage,
  ambassadorOf,
  localSlackUs,
  remoteRole,
  settingsOf,
} from './protocol.ts';

/**
 * The workload: an app that sends requests at random moments (Poisson arrivals) and waits for
 * each answer until its deadline. With the pattern it asks its co-located ambassador; in the
 * baseline it calls a remote instance itself (round robin), once, with no retry. Either way the
 * app records what it sees: the success rate and the latency of its requests are its metrics,
 * and with the pattern they are the ambassador's answers.
 */

interface Outstanding {
  readonly requestId: number;
  readonly startedUs: number;
}

/** A request already answered, with the id of its answer. */
interface Answered {
  readonly requestId: number;
  readonly answerId: string;
}

export interface AppState {
  readonly outstanding: readonly Outstanding[];
  readonly nextRequestId: number;
  /** Baseline: the instance the next call goes to. */
  readonly nextRemote: number;
  readonly issued: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Answers that came after the app gave up on their request. */
  readonly late: number;
  /** The latest answered requests, to tell a second answer from a network copy of the first. */
  readonly answered: readonly Answered[];
  /** Requests that received a second, different answer (the safety invariant reads this). */
  readonly extraAnswers: number;
  readonly lastExtraAnswer: string | null;
  /**
   * Requests in the order they were issued, with their outcome once known (null while waiting).
   * The completed ones at the head move to `recent`, so `recent` never favours fast answers.
   */
  readonly order: readonly IssuedOutcome[];
  /** Outcomes of the latest requests, in issue order, every earlier one complete [1]. */
  readonly recent: readonly boolean[];
}

interface IssuedOutcome {
  readonly requestId: number;
  readonly isOk: boolean | null;
}

/** Durable: how often the app has started, so request ids never repeat across restarts. */
export interface AppDurable {
  readonly incarnation: number;
}

type Context = NodeContext<AmbassadorMessage, AppDurable>;

/** Answered requests remembered: a second answer comes within a deadline, far inside this. */
export const answeredMax = 64;
export const recentOutcomesMax = 5;
/** Requests waiting at once; beyond it a new request fails at once (the app's own limit). */
export const outstandingMax = 1000;
/** Request ids of one incarnation stay below this. */
const idsPerIncarnation = 1_000_000_000;

const nextTimer = 'next';

export function makeAppBehaviour(
  variant: Variant,
): Behaviour<AppState, AmbassadorMessage, AppDurable> {
  const isDirect = variant === 'baseline';
  return {
    initialDurable(): AppDurable {
      return { incarnation: 0 };
    },

    init(ctx: Context): AppState {
      const incarnation = ctx.durable.incarnation + 1;
      ctx.persist({ incarnation });
      ctx.setTimer(nextTimer, interArrivalUs(ctx));
      return {
        outstanding: [],
        nextRequestId: incarnation * idsPerIncarnation + 1,
        nextRemote: 0,
        issued: 0,
        succeeded: 0,
        failed: 0,
        late: 0,
        answered: [],
        extraAnswers: 0,
        lastExtraAnswer: null,
        order: [],
        recent: [],
      };
    },

    receive(state: AppState, event: NodeEvent<AmbassadorMessage>, ctx: Context): AppState {
      switch (event.kind) {
        case 'message': {
          const message = event.message;
          if (message.type === 'Response') {
            return onAnswer(state, message.requestId, message.isOk, message.answerId, ctx);
          }
          if (message.type === 'Reply' && isDirect) {
            return onAnswer(state, message.callId, message.isOk, message.answerId, ctx);
          }
          return state;
        }
        case 'timer':
          if (event.name === nextTimer) return issue(state, isDirect, ctx);
          return onTimeout(state, Number(event.name.slice('timeout:'.length)), ctx);
        case 'fault':
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(state: AppState): NodeSummary {
      let successes = 0;
      for (const isOk of state.recent) if (isOk) successes++;
      const health =
        successes === state.recent.length
          ? 'ok'
          : successes * 2 > state.recent.length
            ? 'warn'
            : 'bad';
      return { label: 'app', badge: `${state.succeeded} ok · ${state.failed} failed`, health };
    },
  };
}

function issue(state: AppState, isDirect: boolean, ctx: Context): AppState {
  ctx.setTimer(nextTimer, interArrivalUs(ctx));
  const requestId = state.nextRequestId;
  const order = [...state.order, { requestId, isOk: null }];
  if (state.outstanding.length >= outstandingMax) {
    const issued = { ...state, nextRequestId: requestId + 1, issued: state.issued + 1, order };
    return completed(issued, requestId, false, ctx);
  }
  let nextRemote = state.nextRemote;
  if (isDirect) {
    const remotes = ctx.nodesWithRole(remoteRole);
    const target = remotes[nextRemote % remotes.length] ?? '';
    nextRemote = (nextRemote + 1) % remotes.length;
    ctx.send(target, { type: 'Call', callId: requestId });
  } else {
    ctx.send(ambassadorOf(ctx.self), { type: 'Request', requestId });
  }
  // The ambassador answers by the deadline; the app allows the local hop on top.
  const waitUs = settingsOf(ctx.params).requestTimeoutUs + (isDirect ? 0 : localSlackUs);
  ctx.setTimer(`timeout:${requestId}`, waitUs);
  const request: Outstanding = { requestId, startedUs: ctx.localTimeUs };
  return {
    ...state,
    nextRequestId: requestId + 1,
    nextRemote,
    issued: state.issued + 1,
    outstanding: [...state.outstanding, request],
    order,
  };
}

function onAnswer(
  state: AppState,
  requestId: number,
  isOk: boolean,
  answerId: string,
  ctx: Context,
): AppState {
  let known: Answered | undefined;
  for (const each of state.answered) {
    if (each.requestId === requestId) {
      known = each;
      break;
    }
  }
  if (known !== undefined) {
    if (known.answerId === answerId) return state; // the network delivered one answer twice
    const text = `request ${requestId} answered twice: ${known.answerId}, then ${answerId}`;
    return { ...state, extraAnswers: state.extraAnswers + 1, lastExtraAnswer: text };
  }
  // The latest `answeredMax` answers, this one included, copied once.
  const answered = state.answered.slice(Math.max(0, state.answered.length - answeredMax + 1));
  answered.push({ requestId, answerId });
  const index = outstandingIndex(state, requestId);
  const request = state.outstanding[index];
  if (request === undefined) {
    ctx.metric('discarded-answers', 1);
    return { ...state, answered, late: state.late + 1 };
  }
  ctx.cancelTimer(`timeout:${requestId}`);
  if (isOk) {
    const latencyMs = (ctx.localTimeUs - request.startedUs) / 1000;
    ctx.metric('app-latency', latencyMs);
    ctx.metric('app-latency-p99', latencyMs);
  }
  return completed(state, requestId, isOk, ctx, without(state.outstanding, index), answered);
}

/** No answer by the deadline: the request failed, whatever answer may still come. */
function onTimeout(state: AppState, requestId: number, ctx: Context): AppState {
  const index = outstandingIndex(state, requestId);
  if (index < 0) return state;
  return completed(state, requestId, false, ctx, without(state.outstanding, index));
}

/** Where request `requestId` is among the outstanding ones; -1 when it is not. */
function outstandingIndex(state: AppState, requestId: number): number {
  const outstanding = state.outstanding;
  for (let index = 0; index < outstanding.length; index++) {
    if (outstanding[index]?.requestId === requestId) return index;
  }
  return -1;
}

/** `list` without the entry at `index`, copied once. */
function without<T>(list: readonly T[], index: number): T[] {
  const next = list.slice(0, index);
  for (let at = index + 1; at < list.length; at++) next.push(list[at] as T);
  return next;
}

/** A request completed: its outcome counted, recorded in the issue order, `recent` moved on. */
function completed(
  state: AppState,
  requestId: number,
  isOk: boolean,
  ctx: Context,
  outstanding = state.outstanding,
  answered = state.answered,
): AppState {
  ctx.metric('app-success', isOk ? 1 : 0);
  const order = state.order.slice();
  for (let index = 0; index < order.length; index++) {
    if (order[index]?.requestId === requestId) order[index] = { requestId, isOk };
  }
  // [1] Move the completed head of the issue order into `recent`.
  let head = 0;
  while (head < order.length && order[head]?.isOk !== null) head++;
  let recent = state.recent;
  if (head > 0) {
    const joined = [...recent];
    for (let index = 0; index < head; index++) joined.push(order[index]?.isOk === true);
    recent = joined.slice(-recentOutcomesMax);
  }
  return {
    ...state,
    outstanding,
    answered,
    order: head === 0 ? order : order.slice(head),
    recent,
    succeeded: state.succeeded + (isOk ? 1 : 0),
    failed: state.failed + (isOk ? 0 : 1),
  };
}

function interArrivalUs(ctx: Context): number {
  return Math.max(1, Math.round(exponential(ctx.random, settingsOf(ctx.params).meanArrivalUs)));
}

/*
 * [1] A success is known as soon as its answer comes; a failure often only at the deadline. Taken
 *     in the order they complete, the latest outcomes would therefore look better than they are
 *     (right after a start, only successes have completed). Taken in the order the requests were
 *     issued, and only once every earlier request has completed, they are a fair sample: the
 *     liveness invariant and the app's health read them this way.
 */
