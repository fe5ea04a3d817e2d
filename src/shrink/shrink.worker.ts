import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { ShrinkReplyMessage, ShrinkRequestMessage } from './shrinkMessages.ts';
import { createShrinkRunner } from './shrinkRunner.ts';

declare const self: DedicatedWorkerGlobalScope;

/*
 * The shrink worker: shrinks one failing run (src/shrink) and posts its progress and outcome.
 * The page asks it to stop with `cancel`, and terminates it once it has answered.
 */
const handle = createShrinkRunner(scenarioCatalogue, (message: ShrinkReplyMessage) => {
  self.postMessage(message);
});

self.onmessage = (event: MessageEvent<ShrinkRequestMessage>) => {
  void handle(event.data);
};
