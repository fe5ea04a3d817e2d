import type { ShrinkReplyMessage, ShrinkRequestMessage } from '../../shrink/shrinkMessages.ts';
import { portOf, type WorkerPort } from '../state/workerPort.ts';

export interface ShrinkWorkerEvents {
  onMessage(message: ShrinkReplyMessage): void;
  /** The worker failed to load or threw outside the search: why, in words. */
  onError(reason: string): void;
}

export type ShrinkWorkerHandle = WorkerPort<ShrinkRequestMessage>;

/** Makes a shrink worker; tests pass a fake. */
export type ShrinkWorkerFactory = (events: ShrinkWorkerEvents) => ShrinkWorkerHandle;

/**
 * Starts a real shrink worker (a module worker; the URL must stay inline in the constructor so
 * Vite bundles it, as the explore worker's does). A worker that fails to load or throws reports
 * its reason.
 */
export const createShrinkWorker: ShrinkWorkerFactory = (events) =>
  portOf<ShrinkReplyMessage, ShrinkRequestMessage>(
    new Worker(new URL('../../shrink/shrink.worker.ts', import.meta.url), { type: 'module' }),
    (message) => {
      events.onMessage(message);
    },
    (reason) => {
      events.onError(reason);
    },
  );
