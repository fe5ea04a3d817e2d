import type {
  InevitableReplyMessage,
  InevitableRequestMessage,
} from '../../shrink/inevitableMessages.ts';
import { portOf, type WorkerPort } from '../state/workerPort.ts';

export interface InevitableWorkerEvents {
  onMessage(message: InevitableReplyMessage): void;
  /** The worker failed to load or threw outside the measurement: why, in words. */
  onError(reason: string): void;
}

export type InevitableWorkerHandle = WorkerPort<InevitableRequestMessage>;

/** Makes an inevitability worker; tests pass a fake. */
export type InevitableWorkerFactory = (events: InevitableWorkerEvents) => InevitableWorkerHandle;

/** Starts a real one (the URL stays inline in the constructor so Vite bundles the worker). */
export const createInevitableWorker: InevitableWorkerFactory = (events) =>
  portOf<InevitableReplyMessage, InevitableRequestMessage>(
    new Worker(new URL('../../shrink/inevitable.worker.ts', import.meta.url), { type: 'module' }),
    (message) => {
      events.onMessage(message);
    },
    (reason) => {
      events.onError(reason);
    },
  );
