import { useEffect, useState } from 'react';
import type { MomentSpec } from '../../engine/types.ts';
import { useSimStore } from '../state/store.ts';
import { type Caption, NarrationPace } from './narrationPace.ts';

const noSpecs: readonly MomentSpec[] = [];

/**
 * The caption for the run as it is, paced by wall time (see NarrationPace). Fed outside React
 * from the store (and a timer while a caption is held), so the line re-renders only when its
 * caption changes.
 */
export function usePacedCaption(): Caption | null {
  const [caption, setCaption] = useState<Caption | null>(null);
  useEffect(() => {
    const pace = new NarrationPace();
    let shown: Caption | null = null;
    let timer: number | undefined;
    const update = (): void => {
      const state = useSimStore.getState();
      const nowMs = performance.now();
      const next = pace.caption(
        state.moments,
        state.view?.meta.moments ?? noSpecs,
        state.frame?.timeUs ?? 0,
        state.frame?.isPlaying ?? false,
        nowMs,
      );
      if (next?.moment !== shown?.moment || next?.skipped !== shown?.skipped) {
        shown = next;
        setCaption(next);
      }
      window.clearTimeout(timer);
      const holdLeftMs = pace.holdLeftMs(nowMs);
      timer = holdLeftMs === null ? undefined : window.setTimeout(update, holdLeftMs + 10);
    };
    const stop = useSimStore.subscribe((state, previous) => {
      if (state.frame !== previous.frame || state.moments !== previous.moments) update();
    });
    timer = window.setTimeout(update, 0);
    return () => {
      stop();
      window.clearTimeout(timer);
    };
  }, []);
  return caption;
}
