/** A started worker as the page's pools and controls use it: post to it, terminate it. */
export interface WorkerPort<Out> {
  post(message: Out): void;
  terminate(): void;
}

/**
 * Wires a started worker's events: each message goes to `onMessage`; a worker that fails to load,
 * throws, or sends what cannot be read reports why, in words, to `onError`. The worker itself is
 * made by the caller, because Vite bundles a worker only when `new Worker(new URL(...))` is
 * written inline where it is used.
 */
// `In` is used once, on purpose: it names what the worker sends, so `onMessage` is typed.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function portOf<In, Out>(
  worker: Worker,
  onMessage: (message: In) => void,
  onError: (reason: string) => void,
): WorkerPort<Out> {
  worker.onmessage = (event: MessageEvent<In>) => {
    onMessage(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    onError(event.message || 'unknown error');
  };
  worker.onmessageerror = () => {
    onError('a message from the worker could not be read');
  };
  return {
    post(message) {
      worker.postMessage(message);
    },
    terminate() {
      worker.terminate();
    },
  };
}
