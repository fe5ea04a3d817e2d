import type { SeedDoneMessage } from '../../explore/messages.ts';
import type { ExploreWorkerFactory } from './explorePool.ts';

/**
 * Starts a real explore worker (a module worker; the URL must stay inline in the constructor so
 * Vite bundles it, STACK.md P5). A worker that fails to load or throws reports its reason.
 */
export const createExploreWorker: ExploreWorkerFactory = (events) => {
  const worker = new Worker(new URL('../../worker/explore.worker.ts', import.meta.url), {
    type: 'module',
  });
  worker.onmessage = (event: MessageEvent<SeedDoneMessage>) => {
    events.onSeedDone(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    events.onError(event.message || 'unknown error');
  };
  worker.onmessageerror = () => {
    events.onError('a message from the worker could not be read');
  };
  return {
    post(message) {
      worker.postMessage(message);
    },
    terminate() {
      worker.terminate();
    },
  };
};
