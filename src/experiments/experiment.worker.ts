import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { ToExperimentWorker } from './messages.ts';
import { handleExperimentMessage } from './workerRunner.ts';

declare const self: DedicatedWorkerGlobalScope;

/*
 * The experiment worker: answers the list, or runs one experiment start to end, posting progress
 * after every run. The page cancels by terminating it. It lives here, not in src/worker, so
 * imports point one way: experiments use the worker's catalogue, the worker never imports them.
 */
self.onmessage = (event: MessageEvent<ToExperimentWorker>) => {
  handleExperimentMessage(scenarioCatalogue, event.data, (reply) => {
    self.postMessage(reply);
  });
};
