import type { ExperimentResult } from './run.ts';
import type { Axis, Series } from './types.ts';

/*
 * The experiment worker's protocol, types only, so the page imports no scenario or experiment
 * code. The page asks for the list, then runs one experiment at a time; the worker answers with
 * progress after every run and the result at the end. There is no cancel message: the page
 * cancels by terminating the worker, which stops a run midway.
 */

/** What the page shows of an experiment before running it. */
export interface ExperimentSummary {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly reproduces: string;
  readonly x: Axis & { readonly values: readonly number[] };
  readonly y: Axis;
  readonly series: readonly Series[];
  readonly defaultSeeds: number;
  /** Runs per seed: values × series. */
  readonly runsPerSeed: number;
}

export type ToExperimentWorker =
  | { readonly type: 'list' }
  | { readonly type: 'run'; readonly experimentId: string; readonly seedCount: number };

export type FromExperimentWorker =
  | { readonly type: 'list'; readonly experiments: readonly ExperimentSummary[] }
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly result: ExperimentResult }
  | { readonly type: 'failed'; readonly message: string };
