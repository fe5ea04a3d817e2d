import { runTask } from '../experiments/run.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import type { ExperimentOutcome, ExperimentWorkerTask } from './experimentTask.ts';

/*
 * A worker process of `sim experiment` (started by pool.ts): loads the scenario catalogue named
 * by its arguments (a module URL and the export), then runs each experiment run it is sent and
 * sends back its measures, one reply per task, in order, until the parent disconnects.
 */

const [moduleUrl = '', exportName = ''] = process.argv.slice(2);
const catalogue = import(moduleUrl).then((module: Record<string, unknown>) => {
  const loaded = module[exportName] as ScenarioCatalogue | undefined;
  if (typeof loaded?.get !== 'function')
    throw new Error(`${moduleUrl} exports no scenario catalogue named "${exportName}"`);
  return loaded;
});

function outcomeOf(loaded: ScenarioCatalogue, task: ExperimentWorkerTask): ExperimentOutcome {
  try {
    return { kind: 'done', result: runTask(loaded, task) };
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

process.on('message', (task: ExperimentWorkerTask) => {
  void catalogue.then((loaded) => process.send?.(outcomeOf(loaded, task)));
});
