import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import { formatSimTime } from '../controls/format.ts';
import { useWidth } from '../charts/useWidth.ts';
import { useViewHints } from '../state/selectors.ts';
import { type MessageTrail, useSimStore } from '../state/store.ts';
import { useColourScheme } from '../state/useColourScheme.ts';
import { contentInWindow, type WindowContent } from './content.ts';
import { captionFor, tooltipLines } from './describe.ts';
import { paintDiagram, readPalette, type Palette } from './drawDiagram.ts';
import { heightMaxFor, layoutFor, xOfTime, type DiagramLayout } from './geometry.ts';
import { RedrawPace } from './redrawPace.ts';
import { useChronicle } from './useChronicle.ts';
import { usePlotPointer } from './usePlotPointer.ts';
import {
  followingView,
  panView,
  spanMaxFor,
  viewAround,
  windowAt,
  windowKeyCommand,
  zoomFactor,
  zoomView,
  type ViewWindow,
} from './viewWindow.ts';
import { WindowControls } from './WindowControls.tsx';
import './spacetime.css';

const noColours: Readonly<Record<string, string>> = {};
/** Arrow keys move the window by this fraction of its span. */
const panStepFraction = 0.1;

/**
 * The space-time (Lamport) diagram: one lane per node, each message an arrow from its send to its
 * delivery (a cross where it was dropped, a dot where it is now when still in flight), crashes,
 * pauses and partitions marked, and the time shown as a labelled line. The window follows the
 * animation and the scrubber; zoom with the buttons, Ctrl/⌘ + wheel or + and −; while paused, pan
 * by dragging or with the arrow keys. Pointing at an arrow highlights its message here and in the
 * topology (and pointing at a message in the topology highlights it here).
 */
export function SpacetimeDiagram() {
  const titleId = useId();
  const captionId = useId();
  const helpId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const widthPx = useWidth(wrapper);
  const [pace] = useState(() => new RedrawPace());
  const { chronicle, nodeIds, nowUs, isPlaying } = useChronicle(pace);
  const hoveredId = useSimStore((state) => state.hoveredMessage);
  const trail = useSimStore((state) => state.trail);
  const trailIds = useMemo(() => new Set(trail?.messages ?? []), [trail]);
  const colours = useViewHints()?.messageColours ?? noColours;
  const spanMaxUs = spanMaxFor(chronicle.historyStartUs, nowUs);
  const [view, setView] = useViewWindow(isPlaying, trail, spanMaxUs);
  const timeWindow = windowAt(view, nowUs);
  const { startUs, endUs } = timeWindow;
  const content = useMemo(
    () => pace.time('content', () => contentInWindow(chronicle, { startUs, endUs })),
    [pace, chronicle, startUs, endUs],
  );
  const heightMaxPx = heightMaxFor(useViewportHeight());
  const layout = useMemo(
    () => layoutFor(widthPx, nodeIds.length, heightMaxPx),
    [widthPx, nodeIds.length, heightMaxPx],
  );

  const zoom = (factor: number, anchorUs?: number): void => {
    setView(zoomView(view, factor, nowUs, spanMaxUs, anchorUs));
  };
  const panFrom = (from: ViewWindow, deltaUs: number): void => {
    setView(panView(from, deltaUs, nowUs, chronicle.historyStartUs));
  };
  const follow = (): void => {
    setView({ ...view, pinnedEndUs: null });
  };
  const pointer = usePlotPointer({
    canvasRef,
    content,
    layout,
    view,
    canPan: !isPlaying,
    onPan: panFrom,
    onZoom: zoom,
  });

  // The theme's colours, read from the page's styles once per colour scheme, not every paint.
  const scheme = useColourScheme();
  const palette = useRef<{ scheme: string; palette: Palette } | null>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    if (palette.current?.scheme !== scheme)
      palette.current = { scheme, palette: readPalette(canvas) };
    const props = {
      layout,
      content,
      nodeIds,
      colours,
      hoveredId,
      trailIds,
      palette: palette.current.palette,
    };
    pace.noteBundled(content.bundles.length > 0);
    pace.time('paint', () => {
      paint(canvas, props);
    });
  }, [pace, layout, content, nodeIds, colours, hoveredId, trailIds, scheme]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const command = windowKeyCommand(event.key, isPlaying);
    if (command === null) return;
    // Handled here: the page's own shortcuts (speed on + and −) must not also act.
    event.preventDefault();
    if (command === 'zoom-in') zoom(1 / zoomFactor);
    else if (command === 'zoom-out') zoom(zoomFactor);
    else if (command === 'follow') follow();
    else panFrom(view, (command === 'pan-back' ? -1 : 1) * view.spanUs * panStepFraction);
  };

  const isNowShown = nowUs >= startUs && nowUs <= endUs && widthPx > 0;
  return (
    <section className="spacetime" aria-labelledby={titleId}>
      <div className="spacetime-head">
        <h2 id={titleId}>Space-time diagram</h2>
        <WindowControls
          view={view}
          spanMaxUs={spanMaxUs}
          onZoomIn={() => {
            zoom(1 / zoomFactor);
          }}
          onZoomOut={() => {
            zoom(zoomFactor);
          }}
          onFollow={follow}
        />
      </div>
      <div
        ref={wrapper}
        className={`spacetime-plot${pointer.isDragging ? ' is-dragging' : ''}${isPlaying ? '' : ' can-pan'}`}
        style={{ height: `${String(layout.heightPx)}px` }}
        tabIndex={0}
        role="group"
        aria-label="Space-time diagram of messages between nodes"
        aria-describedby={`${captionId} ${helpId}`}
        onKeyDown={onKeyDown}
        {...pointer.handlers}
      >
        <canvas ref={canvasRef} className="spacetime-canvas" aria-hidden="true" />
        {isNowShown ? (
          <div
            className="spacetime-now"
            style={{ left: `${xOfTime(layout, timeWindow, nowUs).toFixed(1)}px` }}
            aria-hidden="true"
          >
            <span className="spacetime-now-label" data-testid="spacetime-now">
              {formatSimTime(nowUs)}
            </span>
          </div>
        ) : null}
        {pointer.hover === null ? null : (
          <Tooltip
            lines={tooltipLines(pointer.hover.hit, nodeIds)}
            x={pointer.hover.x}
            y={pointer.hover.y}
            layout={layout}
          />
        )}
      </div>
      {trail === null ? null : <TrailNote trail={trail} content={content} />}
      <p id={captionId} className="spacetime-caption muted" data-testid="spacetime-caption">
        {captionFor(content)}
      </p>
      <p id={helpId} className="visually-hidden">
        Plus and minus zoom, End returns to now; while paused, the left and right arrows move the
        window back and forth.
      </p>
    </section>
  );
}

/**
 * What the bold arrows are (an operation picked in the consistency history), how many of its
 * messages the window shows, and a way to let them go.
 */
function TrailNote({
  trail,
  content,
}: {
  readonly trail: MessageTrail;
  readonly content: WindowContent;
}) {
  const shown = content.trips.filter((trip) => trail.messages.includes(trip.id)).length;
  const total = trail.messages.length;
  return (
    <p className="spacetime-trail" data-testid="spacetime-trail">
      <span>
        Bold: {total === 1 ? 'the message' : `the ${String(total)} messages`} of {trail.name}
        {shown < total ? ` (${String(shown)} in this window)` : ''}.
      </span>{' '}
      <button
        type="button"
        className="small"
        onClick={() => {
          useSimStore.getState().setTrail(null);
        }}
      >
        Clear
      </button>
    </p>
  );
}

/**
 * The window the person chose, back to the default for each new run and fitted to each operation
 * picked in the consistency history. While the run plays, the
 * window follows the time shown whatever was chosen (panning is for a paused run).
 */
function useViewWindow(
  isPlaying: boolean,
  trail: MessageTrail | null,
  spanMaxUs: number,
): [ViewWindow, (view: ViewWindow) => void] {
  const run = useSimStore((state) => state.view);
  const [chosen, setChosen] = useState<ViewWindow>(followingView);
  const [chosenFor, setChosenFor] = useState(run);
  const [fittedTo, setFittedTo] = useState(trail);
  if (chosenFor !== run) {
    setChosenFor(run);
    setChosen(followingView);
  }
  // A newly picked operation: fit the window to it, so its few milliseconds are not a sliver.
  if (fittedTo !== trail) {
    setFittedTo(trail);
    if (trail !== null) setChosen(viewAround(trail.fromUs, trail.toUs, spanMaxUs));
  }
  return [isPlaying ? { ...chosen, pinnedEndUs: null } : chosen, setChosen];
}

function subscribeToResize(notify: () => void): () => void {
  window.addEventListener('resize', notify);
  return () => {
    window.removeEventListener('resize', notify);
  };
}

/** The viewport's height in CSS pixels, following resizes. */
function useViewportHeight(): number {
  return useSyncExternalStore(subscribeToResize, () => window.innerHeight);
}

interface PaintProps {
  readonly layout: DiagramLayout;
  readonly content: WindowContent;
  readonly nodeIds: readonly string[];
  readonly colours: Readonly<Record<string, string>>;
  readonly hoveredId: number | null;
  readonly trailIds: ReadonlySet<number>;
  readonly palette: Palette;
}

/** Sizes the canvas for the device's pixel ratio and paints it (nothing without a 2D context). */
function paint(canvas: HTMLCanvasElement, props: PaintProps): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(props.layout.widthPx * ratio));
  const height = Math.max(1, Math.round(props.layout.heightPx * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  canvas.style.width = `${String(props.layout.widthPx)}px`;
  canvas.style.height = `${String(props.layout.heightPx)}px`;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  paintDiagram(context, props);
}

interface TooltipProps {
  readonly lines: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly layout: DiagramLayout;
}

/** The hovered arrow's facts, beside the pointer (flipped left near the right edge). */
function Tooltip({ lines, x, y, layout }: TooltipProps) {
  const isLeft = x > layout.widthPx * 0.6;
  const style = isLeft
    ? { right: `${String(layout.widthPx - x + 12)}px`, top: `${String(y + 12)}px` }
    : { left: `${String(x + 12)}px`, top: `${String(y + 12)}px` };
  return (
    <div className="spacetime-tooltip" style={style} data-testid="spacetime-tooltip">
      {lines.map((line, index) => (
        <div key={index} className={index === 0 ? 'spacetime-tooltip-title' : undefined}>
          {line}
        </div>
      ))}
    </div>
  );
}
