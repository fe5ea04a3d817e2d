import { formatSimTime } from '../ui/controls/format.ts';
import { usePacedCaption } from '../ui/panels/usePacedCaption.ts';
import { useSimStore } from '../ui/state/store.ts';

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
