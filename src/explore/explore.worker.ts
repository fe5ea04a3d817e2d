import type { RunSliceMessage, SeedDoneMessage } from './messages.ts';
import { runSeed } from './runSeed.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';

declare const self: DedicatedWorkerGlobalScope;

/*
 * The explore worker: runs a slice of a batch's seeds one by one, headless, and posts each
 * outcome as soon as it is known. One seed runs synchronously start to end; the page cancels by
 * terminating the worker.
 */
self.onmessage = (event: MessageEvent<RunSliceMessage>) => {
  const { plan, seeds } = event.data;
  seeds.forEach((seed, index) => {
    const done: SeedDoneMessage = {
      type: 'seed',
      outcome: runSeed(scenarioCatalogue, plan, seed),
      remaining: seeds.length - index - 1,
    };
    self.postMessage(done);
  });
};
