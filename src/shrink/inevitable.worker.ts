import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { InevitableReplyMessage, InevitableRequestMessage } from './inevitableMessages.ts';
import { createInevitableRunner } from './inevitableRunner.ts';

declare const self: DedicatedWorkerGlobalScope;

/*
 * The inevitability worker: measures one violating run's curve (src/shrink/inevitable.ts) and
 * posts its progress and outcome. The page asks it to stop with `cancel`, and terminates it once
 * it has answered.
 */
const handle = createInevitableRunner(scenarioCatalogue, (message: InevitableReplyMessage) => {
  self.postMessage(message);
});

self.onmessage = (event: MessageEvent<InevitableRequestMessage>) => {
  void handle(event.data);
};
