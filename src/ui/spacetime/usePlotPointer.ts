import {
  useEffect,
  useEffectEvent,
  useRef,
  useState,
  type PointerEvent,
  type RefObject,
} from 'react';
import { useSimStore } from '../state/store.ts';
import type { WindowContent } from './content.ts';
import { hitTest, timeOfX, type DiagramHit, type DiagramLayout } from './geometry.ts';
import { zoomFactor, type ViewWindow } from './viewWindow.ts';

/** What the pointer is over, where (in CSS pixels from the plot's top left). */
export interface PlotHover {
  readonly hit: DiagramHit;
  readonly x: number;
  readonly y: number;
}

interface PlotPointerOptions {
  readonly canvasRef: RefObject<HTMLCanvasElement | null>;
  readonly content: WindowContent;
  readonly layout: DiagramLayout;
  readonly view: ViewWindow;
  /** Dragging pans only when this is true (the run is paused). */
  readonly canPan: boolean;
  /** Pans from the view the drag started with by `deltaUs`. */
  readonly onPan: (startView: ViewWindow, deltaUs: number) => void;
  /** Zooms by `factor` around the time `anchorUs`. */
  readonly onZoom: (factor: number, anchorUs: number) => void;
}

interface Drag {
  readonly startX: number;
  readonly startView: ViewWindow;
}

/**
 * The plot's pointer: hovering hit-tests the arrows (and publishes a hovered message to the
 * store, so the topology highlights it), dragging pans a paused run, and Ctrl/⌘ + wheel zooms
 * around the pointer. The wheel listener is a native, non-passive one: a React wheel handler is
 * passive and could not stop the browser from zooming the whole page.
 */
export function usePlotPointer(options: PlotPointerOptions) {
  const [hover, setHover] = useState<PlotHover | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  /** The message this diagram put in the store (so it clears only its own). */
  const published = useRef<number | null>(null);

  const publish = (id: number | null): void => {
    const store = useSimStore.getState();
    if (id === null && published.current === null) return;
    published.current = id;
    if (store.hoveredMessage !== id) store.setHoveredMessage(id);
  };

  const onWheel = useEffectEvent((event: WheelEvent) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const canvas = options.canvasRef.current;
    if (canvas === null || event.deltaY === 0) return;
    const x = event.clientX - canvas.getBoundingClientRect().left;
    const anchorUs = timeOfX(options.layout, options.content.window, x);
    options.onZoom(event.deltaY > 0 ? zoomFactor : 1 / zoomFactor, anchorUs);
  });
  useEffect(() => {
    const plot = options.canvasRef.current?.parentElement;
    if (plot === null || plot === undefined) return;
    const listener = (event: WheelEvent) => {
      onWheel(event);
    };
    plot.addEventListener('wheel', listener, { passive: false });
    return () => {
      plot.removeEventListener('wheel', listener);
    };
  }, [options.canvasRef]);
  // Leaving the page with a message hovered must not leave it highlighted in the topology.
  useEffect(
    () => () => {
      if (published.current !== null) useSimStore.getState().setHoveredMessage(null);
    },
    [],
  );

  const localPoint = (event: PointerEvent<HTMLElement>): { x: number; y: number } => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  const handlers = {
    onPointerMove: (event: PointerEvent<HTMLDivElement>): void => {
      const { x, y } = localPoint(event);
      if (drag !== null) {
        const { layout, content } = options;
        const plotPx = Math.max(1, layout.plotRightPx - layout.plotLeftPx);
        const spanUs = content.window.endUs - content.window.startUs;
        options.onPan(drag.startView, (-(x - drag.startX) * spanUs) / plotPx);
        return;
      }
      const hit = hitTest(options.content, options.layout, x, y);
      setHover(hit === null ? null : { hit, x, y });
      publish(hit?.kind === 'trip' ? hit.trip.id : null);
    },
    onPointerDown: (event: PointerEvent<HTMLDivElement>): void => {
      if (!options.canPan || event.button !== 0) return;
      event.currentTarget.setPointerCapture(event.pointerId);
      setDrag({ startX: localPoint(event).x, startView: options.view });
      setHover(null);
    },
    onPointerUp: (event: PointerEvent<HTMLDivElement>): void => {
      if (drag === null) return;
      event.currentTarget.releasePointerCapture(event.pointerId);
      setDrag(null);
    },
    onPointerLeave: (): void => {
      setHover(null);
      publish(null);
    },
  };
  return { handlers, hover, isDragging: drag !== null };
}
