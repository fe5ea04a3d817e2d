import { skipWaitingMessage } from './messages.ts';

/*
 * The page's side of an update: notice that a new deploy's service worker is installed and
 * waiting, and, when the person agrees, let it take over and reload under it. Written against
 * small interfaces that the real Service Worker API satisfies, so it is unit tested with fakes.
 */

interface Listenable {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The parts of a `ServiceWorker` the update flow uses. */
export interface WorkerLike extends Listenable {
  readonly state: string;
  postMessage(message: unknown): void;
}

/** The parts of a `ServiceWorkerRegistration` the update flow uses. */
export interface RegistrationLike extends Listenable {
  readonly installing: WorkerLike | null;
  readonly waiting: WorkerLike | null;
}

/** The parts of `navigator.serviceWorker` the update flow uses. */
export interface ContainerLike extends Listenable {
  readonly controller: object | null;
}

/**
 * Calls `onWaiting` with a new deploy's worker once it is installed and waiting to take over, or
 * at once when one already waits (installed on an earlier visit). The first install of all is not
 * an update: the page has no controller then, and that worker takes over by itself. Returns a
 * function that stops watching.
 */
export function watchForWaitingWorker(
  registration: RegistrationLike,
  container: ContainerLike,
  onWaiting: (worker: WorkerLike) => void,
): () => void {
  const isUpdate = () => container.controller !== null;
  if (registration.waiting !== null && isUpdate()) onWaiting(registration.waiting);
  const stopWatchingWorkers: (() => void)[] = [];
  const onUpdateFound = () => {
    const worker = registration.installing;
    if (worker === null) return;
    const onStateChange = () => {
      if (worker.state === 'installed' && isUpdate()) onWaiting(worker);
    };
    worker.addEventListener('statechange', onStateChange);
    stopWatchingWorkers.push(() => {
      worker.removeEventListener('statechange', onStateChange);
    });
  };
  registration.addEventListener('updatefound', onUpdateFound);
  return () => {
    registration.removeEventListener('updatefound', onUpdateFound);
    for (const stop of stopWatchingWorkers) stop();
  };
}

/**
 * Asks the waiting worker to take over and reloads once it controls the page, so the page and its
 * scripts come from the new deploy. Reloads exactly once, however many `controllerchange` events
 * follow. The run survives the reload: it is all in the URL.
 */
export function activateWaitingWorker(
  worker: WorkerLike,
  container: ContainerLike,
  reload: () => void,
): void {
  let hasReloaded = false;
  const onControllerChange = () => {
    if (hasReloaded) return;
    hasReloaded = true;
    container.removeEventListener('controllerchange', onControllerChange);
    reload();
  };
  container.addEventListener('controllerchange', onControllerChange);
  worker.postMessage(skipWaitingMessage);
}
