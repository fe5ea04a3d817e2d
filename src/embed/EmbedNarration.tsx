import { useEffect, useState } from 'react';
import type { MomentSpec } from '../engine/types.ts';
import { formatSimTime } from '../ui/controls/format.ts';
import { type Caption, NarrationPace } from '../ui/panels/narrationPace.ts';
import { useSimStore } from '../ui/state/store.ts';

const noSpecs: readonly MomentSpec[] = [];

/**
 * "What just happened" for the embed: the latest moment of the pattern, paced like the app's
 * caption line (NarrationPace), as a polite live region, since in the embed it is the only words
 * the run has. The app's own line lives with the panels, whose stylesheet the embed does not load.
 */
export function EmbedNarration() {
  const caption = usePacedCaption();
  const hasMoments = useSimStore((state) => (state.view?.meta.moments.length ?? 0) > 0);
  if (!hasMoments) return null;
  return (
    <p className="embed-narration" role="status">
      <span className="embed-narration-title">What just happened:</span>{' '}
      {caption === null ? (
        <span className="embed-muted">Nothing yet.</span>
      ) : (
        <>
          <span className="embed-narration-time">{formatSimTime(caption.moment.timeUs)}</span>{' '}
          {caption.moment.text}
          {caption.skipped > 0 ? ` (and before it: ${caption.skippedText})` : ''}
        </>
      )}
    </p>
  );
}

/** The caption as the run plays, fed from the store outside React (as the app's line is). */
function usePacedCaption(): Caption | null {
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
