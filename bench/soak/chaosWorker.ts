import { type ChaosTask, runChaosTask } from './chaosTask.ts';

/*
 * A child process of the soak's chaos part: runs each slice it is sent and sends the result back,
 * until the parent disconnects.
 */
process.on('message', (task: ChaosTask) => {
  process.send?.(runChaosTask(task));
});
