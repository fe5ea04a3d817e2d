import type { NodeId, WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { AmbassadorState, LogEntry, PendingRequest } from './ambassadorState.ts';
import { allowanceOf, budgetWindowUs } from './budget.ts';
import { ambassadorRole, isOn, paramOf, msParamUs } from './protocol.ts';

/**
 * The ambassador's requests, as the README's "The pattern in plain words" describes them (and as
 * the AWS Architecture Blog's "Exponential Backoff and Jitter", Finagle's RetryBudget and Dean and
 * Barroso's "The Tail at Scale" do): the newest requests in flight on a timeline from their
 * arrival to their deadline, with their live attempts (first try, retry or hedge) against the
 * per-try timeout, the earlier attempts that failed and a backoff wait in progress; the newest
 * answered requests from the request log, with their attempts, outcome and latency; and each
 * ambassador's retry budget: retries and hedges in the last 10 s against what it allows.
 *
 * The ambassador keeps no history of a request's attempts, only what is in flight (its live
 * attempts with their send times, the count of attempts so far, whether a retry is waiting out
 * its backoff) and the request log's totals; the instrument shows exactly that.
 */

export type AttemptKind = 'first' | 'retry' | 'hedge';

export interface LiveAttemptReading {
  readonly kind: AttemptKind;
  /** When it was sent, µs after its request arrived. */
  readonly sentAfterUs: number;
  readonly instance: NodeId;
}

export interface InFlightReading {
  readonly app: NodeId;
  readonly requestId: number;
  /** µs since the request arrived at the ambassador. */
  readonly elapsedUs: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Attempts that already failed (the ambassador keeps their count, not their times). */
  readonly failed: number;
  readonly live: readonly LiveAttemptReading[];
  /** A retry is waiting out its backoff. */
  readonly isBackingOff: boolean;
  readonly lastFailure: string | null;
}

export interface AnsweredReading {
  readonly app: NodeId;
  readonly requestId: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly instances: number;
  readonly outcome: string;
  readonly latencyMs: number;
}

export interface BudgetReading {
  readonly ambassador: NodeId;
  readonly isUp: boolean;
  /** Retries and hedges in the window, and what the window's requests allow. */
  readonly retries: number;
  readonly allowance: number;
  readonly requests: number;
  /** The budget refused a retry or hedge within the last second. */
  readonly isRefusing: boolean;
  readonly refusals: number;
  readonly hedges: number;
}

export interface RequestsInstrumentData {
  /** False in the baseline (direct calls): no ambassador, one attempt, no budget. */
  readonly hasAmbassador: boolean;
  /** The ambassador whose requests are shown (the first one that is up). */
  readonly focus: NodeId | null;
  readonly inFlight: readonly InFlightReading[];
  /** Requests the focused ambassador works on, and those among them past their first attempt. */
  readonly pendingCount: number;
  readonly retryingCount: number;
  readonly answered: readonly AnsweredReading[];
  readonly budgets: readonly BudgetReading[];
  readonly isBudgetOn: boolean;
  readonly isHedgingOn: boolean;
  readonly budgetPercent: number;
  readonly deadlineUs: number;
  readonly tryTimeoutUs: number;
}

/** Requests drawn at most, in flight (retrying ones first) and answered. */
export const inFlightMax = 4;
export const answeredMax = 4;

/** Retries in the budget's window as of `nowUs` (slices that have left the window dropped). */
function windowTotals(
  state: AmbassadorState,
  nowUs: number,
): { readonly requests: number; readonly retries: number } {
  let requests = 0;
  let retries = 0;
  const oldestUs = nowUs - budgetWindowUs;
  for (const slice of state.budget.slices) {
    if (slice.startUs + 1_000_000 <= oldestUs) continue;
    requests += slice.requests;
    retries += slice.retries;
  }
  return { requests, retries };
}

function inFlightOf(
  state: AmbassadorState,
  request: PendingRequest,
  nowUs: number,
): InFlightReading {
  const live: LiveAttemptReading[] = [];
  for (const attempt of state.attempts) {
    if (attempt.key !== request.key) continue;
    live.push({
      kind: attempt.kind,
      sentAfterUs: Math.max(0, attempt.sentUs - request.startedUs),
      instance: state.instances.remotes[attempt.index] ?? '',
    });
  }
  return {
    app: request.app,
    requestId: request.requestId,
    elapsedUs: Math.max(0, nowUs - request.startedUs),
    attempts: request.attempts,
    maxAttempts: request.maxAttempts,
    failed: Math.max(0, request.attempts - live.length),
    live,
    isBackingOff: request.isRetryScheduled,
    lastFailure: request.lastFailure,
  };
}

function answeredOf(entry: LogEntry): AnsweredReading {
  return {
    app: entry.app,
    requestId: entry.requestId,
    attempts: entry.attempts,
    maxAttempts: entry.maxAttempts,
    instances: entry.instances.length,
    outcome: entry.outcome,
    latencyMs: Math.round(entry.latencyMs),
  };
}

/**
 * Reads the ambassadors' states. Their times are on their own clocks; the instrument measures
 * against the world's time, which differs from an ambassador's only by a clock-skew fault.
 */
export function readRequests(world: WorldView): RequestsInstrumentData {
  const budgets: BudgetReading[] = [];
  let focus: { id: NodeId; state: AmbassadorState } | null = null;
  let hasAmbassador = false;
  for (const node of world.nodes) {
    if (node.role !== ambassadorRole) continue;
    hasAmbassador = true;
    const state = node.status === 'up' ? (node.state as AmbassadorState | undefined) : undefined;
    if (state === undefined) {
      budgets.push({
        ambassador: node.id,
        isUp: false,
        retries: 0,
        allowance: 0,
        requests: 0,
        isRefusing: false,
        refusals: 0,
        hedges: 0,
      });
      continue;
    }
    if (focus === null) focus = { id: node.id, state };
    const totals = windowTotals(state, world.nowUs);
    budgets.push({
      ambassador: node.id,
      isUp: true,
      retries: totals.retries,
      allowance: Math.round(allowanceOf(totals.requests, world.params) * 10) / 10,
      requests: totals.requests,
      isRefusing: state.budgetRefusedAtUs !== null,
      refusals: state.counters.budgetRefusals,
      hedges: state.counters.hedges,
    });
  }
  const inFlight: InFlightReading[] = [];
  const answered: AnsweredReading[] = [];
  let retryingCount = 0;
  if (focus !== null) {
    const { pending, log } = focus.state;
    for (const request of pending) {
      if (request.attempts > 1 || request.isRetryScheduled) retryingCount++;
    }
    // The newest requests that have retried (they show the mechanism), then the newest others;
    // drawn in arrival order.
    const chosen = new Set<PendingRequest>();
    for (let i = pending.length - 1; i >= 0 && chosen.size < inFlightMax; i--) {
      const request = pending[i];
      if (request !== undefined && (request.attempts > 1 || request.isRetryScheduled)) {
        chosen.add(request);
      }
    }
    for (let i = pending.length - 1; i >= 0 && chosen.size < inFlightMax; i--) {
      const request = pending[i];
      if (request !== undefined) chosen.add(request);
    }
    for (const request of pending) {
      if (chosen.has(request)) inFlight.push(inFlightOf(focus.state, request, world.nowUs));
    }
    for (let i = log.length - 1; i >= 0 && answered.length < answeredMax; i--) {
      const entry = log[i];
      if (entry !== undefined) answered.push(answeredOf(entry));
    }
  }
  return {
    hasAmbassador,
    focus: focus?.id ?? null,
    inFlight,
    pendingCount: focus?.state.pending.length ?? 0,
    retryingCount,
    answered,
    budgets,
    isBudgetOn: isOn(world, 'isRetryBudgetOn'),
    isHedgingOn: isOn(world, 'isHedgingOn'),
    budgetPercent: paramOf(world, 'retryBudgetPercent'),
    deadlineUs: msParamUs(world, 'requestTimeoutMs'),
    tryTimeoutUs: msParamUs(world, 'tryTimeoutMs'),
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The requests and the budget in one or two sentences, as the figure's accessible name. */
export function describeRequests(data: RequestsInstrumentData): string {
  if (!data.hasAmbassador) {
    return 'Requests: no ambassador in the baseline; each app calls a remote once, with no retries and no budget.';
  }
  const focused = data.budgets.find((each) => each.ambassador === data.focus);
  if (focused === undefined) return 'Requests: every ambassador is down.';
  const parts: string[] = [];
  if (data.isBudgetOn) {
    const left = Math.max(0, Math.floor(focused.allowance - focused.retries));
    parts.push(
      `${focused.ambassador}'s retry budget ${left} of ${Math.floor(focused.allowance)} left` +
        (focused.isRefusing ? ', refusing retries' : ''),
    );
  } else {
    parts.push(`${focused.ambassador} has no retry budget (${focused.retries} retries in 10 s)`);
  }
  const last = data.answered[0];
  if (last !== undefined) {
    const tries = last.attempts === 1 ? '1 attempt' : `${last.attempts} attempts`;
    const waits = data.isHedgingOn
      ? ''
      : last.attempts > 1
        ? ` with ${plural(last.attempts - 1, 'backoff wait')}`
        : '';
    parts.push(
      `last request took ${tries}${waits}, ${last.outcome === 'ok' ? 'ok' : `failed (${last.outcome})`}, ${last.latencyMs} ms`,
    );
  }
  parts.push(
    `${data.pendingCount} in flight` +
      (data.retryingCount > 0 ? `, ${data.retryingCount} of them retrying` : ''),
  );
  if (data.isHedgingOn) parts.push(`${plural(focused.hedges, 'hedge')} sent`);
  return `Requests: ${parts.join('; ')}.`;
}

export const ambassadorInstrument: Instrument = {
  title: 'Requests',
  read(world): InstrumentReading {
    const data = readRequests(world);
    return { description: describeRequests(data), data };
  },
};
