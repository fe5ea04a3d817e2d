import type { ScenarioCatalogue } from '../worker/runs.ts';
import { type SweepTask, runSweepTaskSafely } from './sweepTask.ts';

/*
 * A worker process of `sim sweep --workers N` (started by pool.ts): loads the scenario catalogue
 * named by its arguments (a module URL and the export), then runs each task it is sent and sends
 * back the outcome, one reply per task, in order, until the parent disconnects.
 */

const [moduleUrl = '', exportName = ''] = process.argv.slice(2);
// The listener is attached at once and waits for the catalogue, so no early task is missed.
// A catalogue that cannot be loaded ends the process with the error, which the pool reports.
const catalogue = import(moduleUrl).then((module: Record<string, unknown>) => {
  const loaded = module[exportName] as ScenarioCatalogue | undefined;
  if (typeof loaded?.get !== 'function')
    throw new Error(`${moduleUrl} exports no scenario catalogue named "${exportName}"`);
  return loaded;
});

process.on('message', (task: SweepTask) => {
  void catalogue.then((loaded) => process.send?.(runSweepTaskSafely(loaded, task)));
});
