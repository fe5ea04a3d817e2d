import { scenarioCatalogue } from './catalogue.ts';
import { isWorkerThrowRequest, type WorkerThrowRequest } from './faultInjection.ts';
import { SimHost } from './host.ts';
import { type FromWorker, type ToWorker, transferablesOf } from './protocol.ts';
import { realScheduler } from './scheduler.ts';

declare const self: DedicatedWorkerGlobalScope;

/*
 * The worker entry: a thin adapter between postMessage and the host. Frames' packed buffers are
 * transferred, not copied.
 */
const host = new SimHost(
  (message: FromWorker) => {
    self.postMessage(message, transferablesOf(message));
  },
  realScheduler,
  scenarioCatalogue,
);

self.onmessage = (event: MessageEvent<ToWorker | WorkerThrowRequest>) => {
  const message = event.data;
  if (isWorkerThrowRequest(message)) {
    // Test builds only (the condition is constant, so production bundles drop the throw): an
    // uncaught error, for end-to-end tests of the page's recovery.
    if (import.meta.env.MODE !== 'production') {
      throw new Error('DistSim test hook: the simulation worker was told to throw.');
    }
    return;
  }
  host.handle(message);
};
