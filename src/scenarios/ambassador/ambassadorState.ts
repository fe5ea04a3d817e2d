import type { NodeId, NodeSummary } from '../../engine/types.ts';
import { initialBreaker } from '../circuit-breaker/breaker.ts';
import { emptyBudget, type RetryBudget } from './budget.ts';
import type { ChoiceFlaws, InstanceTable } from './instances.ts';
import type { Outcome } from './protocol.ts';

/**
 * The ambassador's state, plain data: the requests it works on, the attempts in flight, its view
 * of the remote instances (breakers included), its retry budget, counters and request log. The
 * protocol that changes it is in ambassador.ts.
 */

/** One app request the ambassador is working on. */
export interface PendingRequest {
  /** `app#requestId`, unique among the ambassador's requests. */
  readonly key: string;
  readonly app: NodeId;
  readonly requestId: number;
  /** On the ambassador's clock. */
  readonly startedUs: number;
  /** The policy in force when the request arrived [2]. */
  readonly maxAttempts: number;
  readonly attempts: number;
  /** Instances tried, in order. */
  readonly tried: readonly NodeId[];
  /** Attempts for it still in flight. */
  readonly live: number;
  readonly hasHedged: boolean;
  readonly isRetryScheduled: boolean;
  /** Why its latest attempt failed (null before any failed). */
  readonly lastFailure: Outcome | null;
}

/** One attempt in flight, kept until its reply or its per-try timeout, whatever its request. */
export interface LiveAttempt {
  readonly callId: number;
  readonly key: string;
  readonly app: NodeId;
  readonly requestId: number;
  readonly index: number;
  readonly sentUs: number;
  /** The breaker generation it was permitted under; null with breakers off. */
  readonly permit: number | null;
  readonly kind: 'first' | 'retry' | 'hedge';
}

/** One line of the request log the inspector shows [7]. */
export interface LogEntry {
  readonly requestId: number;
  readonly app: NodeId;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly instances: readonly NodeId[];
  readonly outcome: Outcome;
  readonly latencyMs: number;
}

/** Counts since the ambassador (re)started; the monitor turns them into rates. */
export interface AmbassadorCounters {
  readonly requests: number;
  readonly answered: number;
  readonly succeeded: number;
  readonly attempts: number;
  readonly retries: number;
  readonly hedges: number;
  readonly budgetRefusals: number;
  readonly discarded: number;
  readonly trips: number;
}

export interface AmbassadorState {
  readonly pending: readonly PendingRequest[];
  readonly attempts: readonly LiveAttempt[];
  readonly instances: InstanceTable;
  readonly budget: RetryBudget;
  readonly nextCallId: number;
  readonly answerSeq: number;
  /** When the budget last refused a retry or hedge; cleared a second later. */
  readonly budgetRefusedAtUs: number | null;
  readonly counters: AmbassadorCounters;
  readonly log: readonly LogEntry[];
  /** Successful requests in `log` (kept with it, so the summary need not count them). */
  readonly logSucceeded: number;
}

/** Durable: how often the ambassador has started, so its answer ids never repeat. */
export interface AmbassadorDurable {
  readonly incarnation: number;
}

/**
 * Deliberate bugs, for tests that prove the invariants can fail: forward a late answer as a
 * second response, allow one attempt too many, ignore the budget, ignore open breakers.
 */
export interface AmbassadorFlaws extends ChoiceFlaws {
  readonly forwardsLateAnswers?: boolean;
  readonly retriesPastMax?: boolean;
  readonly ignoresBudget?: boolean;
}

export const requestLogMax = 50;
/** Requests in progress at once; beyond it a request is refused at once (`overflow`). */
export const pendingMax = 500;

const zeroCounters: AmbassadorCounters = {
  requests: 0,
  answered: 0,
  succeeded: 0,
  attempts: 0,
  retries: 0,
  hedges: 0,
  budgetRefusals: 0,
  discarded: 0,
  trips: 0,
};

/** A fresh ambassador (on start and on every restart: all of this is volatile). */
export function initialAmbassadorState(remotes: readonly NodeId[]): AmbassadorState {
  return {
    pending: [],
    attempts: [],
    instances: {
      remotes,
      breakers: remotes.map(() => initialBreaker()),
      outstanding: remotes.map(() => 0),
      sent: remotes.map(() => 0),
      nextIndex: 0,
    },
    budget: emptyBudget,
    nextCallId: 1,
    answerSeq: 0,
    budgetRefusedAtUs: null,
    counters: zeroCounters,
    log: [],
    logSucceeded: 0,
  };
}

/** `budget spent`, `breaker open`, `retrying` or `ok`, with the log's success rate. */
export function summarizeAmbassador(state: AmbassadorState): NodeSummary {
  const label =
    state.budgetRefusedAtUs !== null
      ? 'budget spent'
      : isSomeBreakerOpen(state)
        ? 'breaker open'
        : isRetrying(state)
          ? 'retrying'
          : 'ok';
  const logged = state.log.length;
  const rate = logged === 0 ? 1 : state.logSucceeded / logged;
  const percent = Math.round(rate * 100);
  return {
    label,
    badge: `${percent}% ok · ${state.pending.length} in flight`,
    health: rate >= 0.95 ? 'ok' : rate >= 0.8 ? 'warn' : 'bad',
  };
}

function isSomeBreakerOpen(state: AmbassadorState): boolean {
  for (const breaker of state.instances.breakers) if (breaker.value === 'open') return true;
  return false;
}

function isRetrying(state: AmbassadorState): boolean {
  for (const request of state.pending) {
    if (request.attempts > 1 || request.isRetryScheduled) return true;
  }
  return false;
}

/*
 * The lists below are short (the requests and attempts in flight) and change on every event;
 * these helpers copy each at most once, without a closure per call.
 */

/**
 * The pending request `key` (`app#requestId`), if the ambassador still works on it. The request
 * id is compared first: a number, where keys of one app differ only in their last characters.
 */
export function pendingOf(
  state: AmbassadorState,
  key: string,
  requestId = requestIdOfKey(key),
): PendingRequest | undefined {
  for (const request of state.pending) {
    if (request.requestId === requestId && request.key === key) return request;
  }
  return undefined;
}

function requestIdOfKey(key: string): number {
  return Number(key.slice(key.lastIndexOf('#') + 1));
}

/** The attempt in flight with `callId`, if any. */
export function attemptOf(state: AmbassadorState, callId: number): LiveAttempt | undefined {
  for (const attempt of state.attempts) if (attempt.callId === callId) return attempt;
  return undefined;
}

/** `pending` with the request of the same key replaced by `request`. */
export function pendingWith(
  pending: readonly PendingRequest[],
  request: PendingRequest,
): PendingRequest[] {
  const next = pending.slice();
  for (let index = 0; index < next.length; index++) {
    if (next[index]?.key === request.key) next[index] = request;
  }
  return next;
}

/** `pending` without the request `key`. */
export function withoutPending(pending: readonly PendingRequest[], key: string): PendingRequest[] {
  const next: PendingRequest[] = [];
  for (const request of pending) if (request.key !== key) next.push(request);
  return next;
}

/** `attempts` without the attempt `callId`. */
export function withoutAttempt(attempts: readonly LiveAttempt[], callId: number): LiveAttempt[] {
  const next: LiveAttempt[] = [];
  for (const attempt of attempts) if (attempt.callId !== callId) next.push(attempt);
  return next;
}

/** The state with a new request added to `pending`. */
export function withPendingAdded(state: AmbassadorState, request: PendingRequest): AmbassadorState {
  return { ...state, pending: [...state.pending, request] };
}

/** The state with the pending request of the same key replaced by `request`. */
export function replaced(state: AmbassadorState, request: PendingRequest): AmbassadorState {
  return { ...state, pending: pendingWith(state.pending, request) };
}
