import { activateWaitingWorker, watchForWaitingWorker } from './updates.ts';

/**
 * Starts offline support and reports a waiting update through `onUpdateReady`, whose argument
 * applies it (activate the new worker, then reload). Returns a function that stops reporting.
 */
export type StartOfflineSupport = (onUpdateReady: (apply: () => void) => void) => () => void;

/**
 * Registers `sw.js` (built next to index.html by scripts/build/serviceWorker.ts) in production
 * builds only: the dev server has no sw.js, and a worker caching dev modules would serve stale
 * code. The path is relative to the page, so the app works from any sub-path; the worker's scope
 * is that folder. Where registration fails (a private window, an unusual browser) the app still
 * works online, and says so in the console.
 */
export const startOfflineSupport: StartOfflineSupport = (onUpdateReady) => {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return () => undefined;
  const container = navigator.serviceWorker;
  let isStopped = false;
  let stopWatching: () => void = () => undefined;
  container.register('./sw.js').then(
    (registration) => {
      if (isStopped) return;
      stopWatching = watchForWaitingWorker(registration, container, (worker) => {
        onUpdateReady(() => {
          activateWaitingWorker(worker, container, () => {
            window.location.reload();
          });
        });
      });
    },
    (error: unknown) => {
      console.warn(
        `DistSim will not work offline: its service worker did not start (${String(error)}).`,
      );
    },
  );
  return () => {
    isStopped = true;
    stopWatching();
  };
};
