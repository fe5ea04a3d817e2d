import type { MetricFinal } from '../engine/metrics.ts';
import type { HeadlessSummary } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';

/** What one seed of a batch found, with everything needed to open that run in the app. */
export interface SeedResult {
  readonly kind: 'ran';
  readonly seed: number;
  readonly traceHash: string;
  readonly events: number;
  /** Every metric's final value (null when never recorded), in the scenario's order. */
  readonly metrics: readonly MetricFinal[];
  /** Ids of the safety invariants violated, in the scenario's order. */
  readonly safetyViolated: readonly string[];
  /** Ids of the liveness invariants that did not hold within their bound after faults healed. */
  readonly livenessMissed: readonly string[];
  /** The first violation's message (safety first), for the list of violating seeds. */
  readonly firstViolation: string | null;
  /**
   * When that violation happened (simulated µs), so "Open seed" lands on the moment the run broke
   * rather than at its start; null with no violation.
   */
  readonly firstViolationUs: number | null;
  /** The run as made, chaos commands included: loading it replays this seed exactly. */
  readonly request: RunRequest;
  readonly durationUs: number;
}

/** A seed that could not run (a bad request, a scenario bug, a worker that died). */
export interface SeedFailure {
  readonly kind: 'failed';
  readonly seed: number;
  readonly message: string;
}

export type SeedOutcome = SeedResult | SeedFailure;

/** A seed's result from its headless run summary. */
export function seedResultOf(
  summary: HeadlessSummary,
  request: RunRequest,
  durationUs: number,
): SeedResult {
  const violated = summary.invariants.filter((result) => result.status === 'violated');
  const safety = violated.filter((result) => result.kind === 'safety');
  const liveness = violated.filter((result) => result.kind === 'liveness');
  const first = [...safety, ...liveness][0]?.firstViolation ?? null;
  return {
    kind: 'ran',
    seed: summary.seed,
    traceHash: summary.traceHash,
    events: summary.events,
    metrics: summary.metrics,
    safetyViolated: safety.map((result) => result.id),
    livenessMissed: liveness.map((result) => result.id),
    firstViolation: first === null ? null : first.message,
    firstViolationUs: first === null ? null : first.timeUs,
    request,
    durationUs,
  };
}

/**
 * `outcomes` (ascending by seed) with `outcome` in its place: results arrive in whatever order
 * the workers finish, and are always shown in seed order. A second outcome for a seed replaces
 * the first.
 */
export function insertBySeed(
  outcomes: readonly SeedOutcome[],
  outcome: SeedOutcome,
): SeedOutcome[] {
  let low = 0;
  let high = outcomes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((outcomes[middle]?.seed ?? Infinity) < outcome.seed) low = middle + 1;
    else high = middle;
  }
  const replaces = outcomes[low]?.seed === outcome.seed ? 1 : 0;
  return [...outcomes.slice(0, low), outcome, ...outcomes.slice(low + replaces)];
}

/** How a batch went so far. */
export interface BatchCounts {
  readonly seeds: number;
  readonly violatedSafety: number;
  readonly missedLiveness: number;
  readonly failed: number;
}

export function batchCounts(outcomes: readonly SeedOutcome[]): BatchCounts {
  let violatedSafety = 0;
  let missedLiveness = 0;
  let failed = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === 'failed') {
      failed++;
      continue;
    }
    if (outcome.safetyViolated.length > 0) violatedSafety++;
    if (outcome.livenessMissed.length > 0) missedLiveness++;
  }
  return { seeds: outcomes.length, violatedSafety, missedLiveness, failed };
}

/** "40 seeds, 12 violated safety, 0 missed liveness", plus ", 1 failed" when any did. */
export function countLine(counts: BatchCounts): string {
  const seeds = `${counts.seeds} ${counts.seeds === 1 ? 'seed' : 'seeds'}`;
  const line = `${seeds}, ${counts.violatedSafety} violated safety, ${counts.missedLiveness} missed liveness`;
  return counts.failed === 0 ? line : `${line}, ${counts.failed} failed`;
}

/** The seeds that violated a safety invariant or missed a liveness one, in seed order. */
export function violatingSeeds(outcomes: readonly SeedOutcome[]): SeedResult[] {
  return outcomes.filter(
    (outcome): outcome is SeedResult =>
      outcome.kind === 'ran' &&
      (outcome.safetyViolated.length > 0 || outcome.livenessMissed.length > 0),
  );
}
