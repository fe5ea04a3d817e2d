import type { FromExperimentWorker, ToExperimentWorker } from '../../experiments/messages.ts';
import { portOf, type WorkerPort } from '../state/workerPort.ts';

/** What the panel needs of its worker, so tests can pass one that runs in-process. */
export type ExperimentWorkerFactory = (
  onMessage: (message: FromExperimentWorker) => void,
  onError: (reason: string) => void,
) => WorkerPort<ToExperimentWorker>;

/**
 * Starts a real experiment worker (a module worker; the URL must stay inline in the constructor
 * so Vite bundles it, STACK.md P5).
 */
export const createExperimentWorker: ExperimentWorkerFactory = (onMessage, onError) =>
  portOf<FromExperimentWorker, ToExperimentWorker>(
    new Worker(new URL('../../experiments/experiment.worker.ts', import.meta.url), {
      type: 'module',
    }),
    onMessage,
    onError,
  );
