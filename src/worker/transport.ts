import { SimHost, type HostOptions, defaultHostOptions } from './host.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { ScenarioCatalogue } from './runs.ts';
import type { Scheduler } from './scheduler.ts';

/** A two-way channel to a simulation host, in a worker or in this thread. */
export interface Transport {
  send(message: ToWorker): void;
  /** Adds a listener for everything the host says; returns a function that removes it. */
  subscribe(listener: (message: FromWorker) => void): () => void;
  close(): void;
}

/**
 * A host running in this thread: for tests, the CLI, and browsers without module workers. With
 * `isSynchronous` replies arrive before `send` returns (tests); otherwise on a microtask, as a
 * worker's would arrive after the current task.
 */
export function createInProcessTransport(
  catalogue: ScenarioCatalogue,
  scheduler: Scheduler,
  options: { readonly isSynchronous?: boolean; readonly host?: HostOptions } = {},
): Transport & { readonly host: SimHost } {
  const listeners = new Set<(message: FromWorker) => void>();
  const deliver = (message: FromWorker): void => {
    for (const listener of listeners) listener(message);
  };
  const post =
    options.isSynchronous === true
      ? deliver
      : (message: FromWorker): void => {
          queueMicrotask(() => {
            deliver(message);
          });
        };
  const host = new SimHost(post, scheduler, catalogue, options.host ?? defaultHostOptions);
  let isClosed = false;
  return {
    host,
    send(message) {
      if (!isClosed) host.handle(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      isClosed = true;
      host.handle({ type: 'pause' });
      listeners.clear();
    },
  };
}
