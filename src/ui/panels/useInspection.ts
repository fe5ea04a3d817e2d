import { useEffect, useState } from 'react';
import type { NodeInspection } from '../../worker/protocol.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';

/** The inspector asks the worker for a node's state at most this often while frames arrive. */
export const inspectIntervalMs = 250;

interface Fetched {
  readonly node: number;
  readonly inspection: NodeInspection | null;
}

/**
 * The selected node's full state: fetched when the selection changes, then again after new
 * frames, at most every `inspectIntervalMs` and never with two requests in flight. A trailing
 * fetch after the last frame makes a paused run show its final state.
 */
export function useInspection(node: number): NodeInspection | null {
  const controller = useController();
  const [fetched, setFetched] = useState<Fetched | null>(null);

  useEffect(() => {
    let isActive = true;
    let isBusy = false;
    let isStale = false;
    let lastFetchMs = Number.NEGATIVE_INFINITY;
    let timer: number | undefined;

    const fetchNow = (): void => {
      if (isBusy) {
        isStale = true;
        return;
      }
      isBusy = true;
      lastFetchMs = performance.now();
      void controller.inspect(node).then((inspection) => {
        isBusy = false;
        if (!isActive) return;
        setFetched({ node, inspection });
        // A failed inspection becomes a notice; stop asking so it does not repeat 4 times a second.
        if (inspection === null) unsubscribe();
        else if (isStale) {
          isStale = false;
          schedule();
        }
      });
    };
    const schedule = (): void => {
      if (timer !== undefined) return;
      const waitMs = Math.max(0, lastFetchMs + inspectIntervalMs - performance.now());
      timer = window.setTimeout(() => {
        timer = undefined;
        fetchNow();
      }, waitMs);
    };
    const unsubscribe = useSimStore.subscribe((state, previous) => {
      if (state.frame !== previous.frame) schedule();
    });
    fetchNow();
    return () => {
      isActive = false;
      unsubscribe();
      window.clearTimeout(timer);
    };
  }, [controller, node]);

  return fetched !== null && fetched.node === node ? fetched.inspection : null;
}
