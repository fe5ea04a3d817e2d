import type { ScenarioCatalogue } from '../worker/runs.ts';
import { ShrinkError } from './errors.ts';
import { InevitableCancelledError, inevitableAsync } from './inevitable.ts';
import type { InevitableReplyMessage, InevitableRequestMessage } from './inevitableMessages.ts';

/**
 * The inevitability worker's message handling, apart from the worker global so tests run it
 * in-process (as `shrinkRunner.ts` does for shrinking): `start` measures with
 * `inevitableAsync`, which yields between runs so a `cancel` is seen before the next one.
 * Progress is posted when a fork's point is measured, not after every run.
 */
export function createInevitableRunner(
  catalogue: ScenarioCatalogue,
  post: (message: InevitableReplyMessage) => void,
  pause?: () => Promise<void>,
): (message: InevitableRequestMessage) => Promise<void> {
  let isCancelled = false;
  let isRunning = false;
  return async (message) => {
    if (message.type === 'cancel') {
      isCancelled = true;
      return;
    }
    // One measurement per worker: the page makes a new worker for the next one.
    if (isRunning) return;
    isRunning = true;
    let pointsPosted = -1;
    try {
      const result = await inevitableAsync(catalogue, message.input, {
        onProgress: (progress) => {
          if (progress.points.length === pointsPosted) return;
          pointsPosted = progress.points.length;
          post({ type: 'progress', progress });
        },
        isCancelled: () => isCancelled,
        ...(pause === undefined ? {} : { pause }),
      });
      post({ type: 'done', result });
    } catch (error) {
      if (error instanceof InevitableCancelledError) {
        post({ type: 'cancelled', progress: error.progress });
      } else if (error instanceof ShrinkError) {
        post({ type: 'failed', message: error.message });
      } else {
        const reason = error instanceof Error ? error.message : String(error);
        post({ type: 'failed', message: `Measuring failed: ${reason}` });
      }
    }
  };
}
