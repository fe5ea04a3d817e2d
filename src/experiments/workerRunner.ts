import type { ScenarioCatalogue } from '../worker/runs.ts';
import type { ExperimentSummary, FromExperimentWorker, ToExperimentWorker } from './messages.ts';
import { experiments, getExperiment } from './registry.ts';
import { experimentSeedsMax, planExperiment, resultOf, runTask, tasksOf } from './run.ts';

/*
 * What the experiment worker does with a message, apart from the worker itself so tests run it
 * in-process: the list, or one experiment run task by task with progress after each, then its
 * result. A run that throws ends the experiment with one sentence.
 */

export function summariesOf(): ExperimentSummary[] {
  return experiments.map((experiment) => ({
    id: experiment.id,
    title: experiment.title,
    summary: experiment.summary,
    reproduces: experiment.reproduces,
    x: experiment.x,
    y: { label: experiment.y.label, unit: experiment.y.unit },
    series: experiment.series,
    defaultSeeds: experiment.defaultSeeds,
    runsPerSeed: experiment.x.values.length * experiment.series.length,
  }));
}

export function handleExperimentMessage(
  catalogue: ScenarioCatalogue,
  message: ToExperimentWorker,
  post: (reply: FromExperimentWorker) => void,
): void {
  if (message.type === 'list') {
    post({ type: 'list', experiments: summariesOf() });
    return;
  }
  const experiment = getExperiment(message.experimentId);
  const seedCount = message.seedCount;
  if (experiment === undefined) {
    post({ type: 'failed', message: `There is no experiment "${message.experimentId}".` });
    return;
  }
  if (!Number.isInteger(seedCount) || seedCount < 1 || seedCount > experimentSeedsMax) {
    post({
      type: 'failed',
      message: `Seeds must be a whole number from 1 to ${experimentSeedsMax}.`,
    });
    return;
  }
  try {
    const plan = planExperiment(experiment, { seedCount });
    const tasks = tasksOf(plan);
    const results = tasks.map((task, index) => {
      const result = runTask(catalogue, task);
      post({ type: 'progress', done: index + 1, total: tasks.length });
      return result;
    });
    post({ type: 'result', result: resultOf(catalogue, plan, results) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    post({ type: 'failed', message: `The experiment could not run: ${reason}` });
  }
}
