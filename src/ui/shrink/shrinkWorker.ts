import type { ShrinkReplyMessage, ShrinkRequestMessage } from '../../worker/shrinkMessages.ts';

export interface ShrinkWorkerEvents {
  onMessage(message: ShrinkReplyMessage): void;
  /** The worker failed to load or threw outside the search: why, in words. */
  onError(reason: string): void;
}

export interface ShrinkWorkerHandle {
  post(message: ShrinkRequestMessage): void;
  terminate(): void;
}

/** Makes a shrink worker; tests pass a fake. */
export type ShrinkWorkerFactory = (events: ShrinkWorkerEvents) => ShrinkWorkerHandle;

/**
 * Starts a real shrink worker (a module worker; the URL must stay inline in the constructor so
 * Vite bundles it, as the explore worker's does). A worker that fails to load or throws reports
 * its reason.
 */
export const createShrinkWorker: ShrinkWorkerFactory = (events) => {
  const worker = new Worker(new URL('../../worker/shrink.worker.ts', import.meta.url), {
    type: 'module',
  });
  worker.onmessage = (event: MessageEvent<ShrinkReplyMessage>) => {
    events.onMessage(event.data);
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
