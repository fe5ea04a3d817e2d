import { textScaleMax, textScaleMin, usePresentationStore } from '../state/presentation.ts';
import { togglePresenter } from './presenter.ts';

/**
 * How the page is shown: presenter mode (P) and the text size (kept for the next visit). In
 * presenter mode the tour's steps are the slides: → or Page Down for the next, ← or Page Up
 * for the previous, Space to play or pause, Escape (or the button) to leave.
 */
export function ViewControls() {
  const isPresenting = usePresentationStore((state) => state.isPresenting);
  const textScale = usePresentationStore((state) => state.textScale);
  const stepTextScale = usePresentationStore((state) => state.stepTextScale);
  const percent = `${Math.round(textScale * 100)}%`;
  return (
    <div className="toolbar-group view-controls" role="group" aria-label="View">
      <button
        type="button"
        className="present-button"
        aria-pressed={isPresenting}
        aria-keyshortcuts="P"
        title={
          isPresenting
            ? 'Leave presenter mode (Esc)'
            : 'Presenter mode: large type, tour steps as slides (P)'
        }
        onClick={togglePresenter}
      >
        Present
      </button>
      <div className="text-size" role="group" aria-label={`Text size ${percent}`}>
        <button
          type="button"
          aria-label="Smaller text"
          disabled={textScale <= textScaleMin}
          onClick={() => {
            stepTextScale(-1);
          }}
        >
          A−
        </button>
        <span className="text-size-value" aria-hidden="true">
          {percent}
        </span>
        <button
          type="button"
          aria-label="Larger text"
          disabled={textScale >= textScaleMax}
          onClick={() => {
            stepTextScale(1);
          }}
        >
          A+
        </button>
      </div>
    </div>
  );
}
