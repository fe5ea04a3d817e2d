import type { ExplorePlan } from './plan.ts';
import type { SeedOutcome } from './results.ts';

/**
 * The explore worker's protocol, types only. The page hands a worker a slice of a batch's seeds;
 * the worker runs them one by one and posts each outcome as it finishes, with how many of the
 * slice are left (0: the worker is idle again). There is no cancel message: the page cancels by
 * terminating its workers, which stops a run mid-seed.
 */
export interface RunSliceMessage {
  readonly type: 'run';
  readonly plan: ExplorePlan;
  readonly seeds: readonly number[];
}

export interface SeedDoneMessage {
  readonly type: 'seed';
  readonly outcome: SeedOutcome;
  /** Seeds of the slice still to run. */
  readonly remaining: number;
}
