import { ShrinkCancelledError, ShrinkError, shrinkAsync } from './shrink.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import type { ShrinkReplyMessage, ShrinkRequestMessage } from './shrinkMessages.ts';

/**
 * The shrink worker's message handling, apart from the worker global so tests run it in-process:
 * `start` runs `shrinkAsync` (which yields between runs, so a `cancel` sent meanwhile is seen
 * before the next run); every outcome, refusal or failure is posted as one message.
 */
export function createShrinkRunner(
  catalogue: ScenarioCatalogue,
  post: (message: ShrinkReplyMessage) => void,
  pause?: () => Promise<void>,
): (message: ShrinkRequestMessage) => Promise<void> {
  let isCancelled = false;
  let isRunning = false;
  return async (message) => {
    if (message.type === 'cancel') {
      isCancelled = true;
      return;
    }
    // One search per worker: the page makes a new worker for the next one.
    if (isRunning) return;
    isRunning = true;
    try {
      const result = await shrinkAsync(catalogue, message.input, {
        onProgress: (progress) => {
          post({ type: 'progress', progress });
        },
        isCancelled: () => isCancelled,
        ...(pause === undefined ? {} : { pause }),
      });
      post({ type: 'done', result });
    } catch (error) {
      if (error instanceof ShrinkCancelledError) {
        post({ type: 'cancelled', runs: error.runs, smallest: error.smallest });
      } else if (error instanceof ShrinkError) {
        post({ type: 'failed', message: error.message });
      } else {
        const reason = error instanceof Error ? error.message : String(error);
        post({ type: 'failed', message: `Shrinking failed: ${reason}` });
      }
    }
  };
}
