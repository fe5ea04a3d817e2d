import { type FaultInjectable, workerThrowRequest } from './faultInjection.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { Transport } from './transport.ts';

/**
 * A transport over a module worker. A worker that fails to start, throws outside the host, or
 * sends a message that cannot be read reports an `error` message with code `worker-crashed`
 * whose text is the reason; the client restarts it. A worker killed outright says nothing: the
 * client's liveness check notices the silence.
 */
export function createWorkerTransport(): Transport & FaultInjectable {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
  const listeners = new Set<(message: FromWorker) => void>();
  const deliver = (message: FromWorker): void => {
    for (const listener of listeners) listener(message);
  };
  const reportCrash = (reason: string): void => {
    deliver({ type: 'error', requestId: null, code: 'worker-crashed', message: reason });
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    deliver(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    // Handled here: the client reports it and restarts the worker.
    event.preventDefault();
    // The message is "Uncaught Error: …" for a throw; a script that failed to load has none.
    reportCrash(event.message ? `it threw "${event.message}"` : 'it failed to load or threw');
  };
  worker.onmessageerror = () => {
    reportCrash('a message from it could not be read');
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
    throwInWorker() {
      worker.postMessage(workerThrowRequest);
    },
    terminateWorker() {
      worker.terminate();
    },
  };
}
