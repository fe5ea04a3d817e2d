import { formatSpan, spanMinUs, type ViewWindow } from './viewWindow.ts';

interface WindowControlsProps {
  readonly view: ViewWindow;
  readonly spanMaxUs: number;
  readonly onZoomIn: () => void;
  readonly onZoomOut: () => void;
  readonly onFollow: () => void;
}

/** The diagram's window buttons: zoom in and out, back to now, and the span shown. */
export function WindowControls({
  view,
  spanMaxUs,
  onZoomIn,
  onZoomOut,
  onFollow,
}: WindowControlsProps) {
  return (
    <div className="spacetime-controls" role="group" aria-label="Diagram window">
      <button type="button" onClick={onZoomIn} disabled={view.spanUs <= spanMinUs}>
        Zoom in
      </button>
      <button type="button" onClick={onZoomOut} disabled={view.spanUs >= spanMaxUs}>
        Zoom out
      </button>
      <button type="button" onClick={onFollow} disabled={view.pinnedEndUs === null}>
        Back to now
      </button>
      <span className="spacetime-span muted" data-testid="spacetime-span">
        {formatSpan(view.spanUs)} shown
      </span>
    </div>
  );
}
