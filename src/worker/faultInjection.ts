/*
 * Breaking the simulation worker on purpose, so end-to-end tests can check that the page notices
 * and recovers. Only non-production builds act on it: the test hook that triggers it is not in
 * the production bundle, and the worker ignores the request there.
 */

/** Asks the worker to throw an uncaught error, outside the host's own error handling. */
export interface WorkerThrowRequest {
  readonly type: 'test.throw';
}

/** The one fault request, posted to the worker beside the protocol's messages. */
export const workerThrowRequest: WorkerThrowRequest = { type: 'test.throw' };

/** Whether a message the worker received is the fault request (not a protocol message). */
export function isWorkerThrowRequest(data: unknown): data is WorkerThrowRequest {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { readonly type?: unknown }).type === workerThrowRequest.type
  );
}

/** A transport whose worker can be broken on purpose (the real worker's). */
export interface FaultInjectable {
  /** Makes the worker throw an uncaught error, as a bug outside the host would. */
  throwInWorker(): void;
  /** Terminates the worker without a word, as a browser killing it would. */
  terminateWorker(): void;
}

/** Whether `transport` can be broken on purpose. */
export function isFaultInjectable(transport: object): transport is FaultInjectable {
  return 'throwInWorker' in transport && 'terminateWorker' in transport;
}
