import type { ExperimentTask, TaskResult } from '../experiments/run.ts';

/** One run of an experiment as it crosses to a worker process, and what comes back. */
export type ExperimentWorkerTask = ExperimentTask;

export type ExperimentOutcome =
  | { readonly kind: 'done'; readonly result: TaskResult }
  | { readonly kind: 'failed'; readonly message: string };
