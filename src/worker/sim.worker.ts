import { scenarioCatalogue } from './catalogue.ts';
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

self.onmessage = (event: MessageEvent<ToWorker>) => {
  host.handle(event.data);
};
