import type { FromWorker, ToWorker } from './protocol.ts';
import type { Transport } from './transport.ts';

/**
 * A transport over a module worker. A worker that fails to start or dies reports an `error`
 * message with code `worker-crashed`, so the page can say so and offer a restart.
 */
export function createWorkerTransport(): Transport {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
  const listeners = new Set<(message: FromWorker) => void>();
  const deliver = (message: FromWorker): void => {
    for (const listener of listeners) listener(message);
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    deliver(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    deliver({
      type: 'error',
      requestId: null,
      code: 'worker-crashed',
      message: `The simulation worker stopped: ${event.message || 'unknown error'}. Reload to start it again.`,
    });
  };
  worker.onmessageerror = () => {
    deliver({
      type: 'error',
      requestId: null,
      code: 'worker-crashed',
      message: 'A message from the simulation worker could not be read.',
    });
  };
  return {
    send(message: ToWorker) {
      worker.postMessage(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      worker.terminate();
      listeners.clear();
    },
  };
}
