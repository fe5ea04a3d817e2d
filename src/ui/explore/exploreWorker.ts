import type { RunSliceMessage, SeedDoneMessage } from '../../explore/messages.ts';
import { portOf } from '../state/workerPort.ts';
import type { ExploreWorkerFactory } from './explorePool.ts';

/**
 * Starts a real explore worker (a module worker; the URL must stay inline in the constructor so
 * Vite bundles it, STACK.md P5). A worker that fails to load or throws reports its reason.
 */
export const createExploreWorker: ExploreWorkerFactory = (events) =>
  portOf<SeedDoneMessage, RunSliceMessage>(
    new Worker(new URL('../../explore/explore.worker.ts', import.meta.url), { type: 'module' }),
    (message) => {
      events.onSeedDone(message);
    },
    (reason) => {
      events.onError(reason);
    },
  );
