import type { InvariantResult } from '../engine/invariants.ts';
import { HeadlessError, runHeadless } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';

/**
 * One run of a sweep as it crosses to a worker process, and what comes back. A RunRequest is
 * plain data (the page posts the same object to its web worker), so it arrives exactly as
 * planned: the same seed, parameters and chaos schedule as an in-process sweep would run.
 */
export interface SweepTask {
  readonly request: RunRequest;
  readonly durationUs: number;
}

/** A finished run's violated invariants, or the error it failed with. */
export type SweepOutcome =
  | { readonly kind: 'done'; readonly violated: readonly InvariantResult[] }
  | {
      readonly kind: 'failed';
      readonly name: string;
      readonly message: string;
      /** The host's error code of a HeadlessError, null for any other error. */
      readonly code: string | null;
    };

/** Runs one task headless (as `sim run` does) and keeps what the sweep reports: the violations. */
export function runSweepTask(
  catalogue: ScenarioCatalogue,
  task: SweepTask,
): readonly InvariantResult[] {
  const summary = runHeadless(catalogue, task.request, task.durationUs);
  return summary.invariants.filter((result) => result.violations > 0);
}

/** The same, with a thrown error turned into data that can cross a process boundary. */
export function runSweepTaskSafely(catalogue: ScenarioCatalogue, task: SweepTask): SweepOutcome {
  try {
    return { kind: 'done', violated: runSweepTask(catalogue, task) };
  } catch (error) {
    if (error instanceof HeadlessError)
      return { kind: 'failed', name: error.name, message: error.message, code: error.code };
    if (error instanceof Error)
      return { kind: 'failed', name: error.name, message: error.message, code: null };
    return { kind: 'failed', name: 'Error', message: String(error), code: null };
  }
}

/** The error a failed outcome stands for, as the in-process sweep would have thrown it. */
export function outcomeError(outcome: Extract<SweepOutcome, { kind: 'failed' }>): Error {
  if (outcome.code !== null) return new HeadlessError(outcome.code, outcome.message);
  const error = new Error(outcome.message);
  error.name = outcome.name;
  return error;
}
