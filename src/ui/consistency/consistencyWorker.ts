import type { ConsistencyReply, ConsistencyRequest } from '../../worker/consistencyMessages.ts';
import { portOf, type WorkerPort } from '../state/workerPort.ts';

export interface ConsistencyWorkerEvents {
  onMessage(message: ConsistencyReply): void;
  /** The worker failed to load or threw outside a check: why, in words. */
  onError(reason: string): void;
}

export type ConsistencyWorkerHandle = WorkerPort<ConsistencyRequest>;

/** Makes a consistency worker; tests pass a fake. */
export type ConsistencyWorkerFactory = (events: ConsistencyWorkerEvents) => ConsistencyWorkerHandle;

/**
 * Starts a real consistency worker (a module worker; the URL stays inline in the constructor so
 * Vite bundles it, as the shrink worker's does).
 */
export const createConsistencyWorker: ConsistencyWorkerFactory = (events) =>
  portOf<ConsistencyReply, ConsistencyRequest>(
    new Worker(new URL('../../worker/consistency.worker.ts', import.meta.url), { type: 'module' }),
    (message) => {
      events.onMessage(message);
    },
    (reason) => {
      events.onError(reason);
    },
  );
