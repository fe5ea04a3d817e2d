import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { useViewHints } from '../state/selectors.ts';
import { useSimStore } from '../state/store.ts';
import {
  fitToBox,
  nodeRadiusFor,
  paddingFor,
  uniqueLinks,
  unitLayout,
  type PixelBox,
} from './layout.ts';
import { captionPlaces, leftClearanceWithCaptionsPx } from './captionRoom.ts';
import { Legend, legendRoomPx } from './Legend.tsx';
import { LinkCanvas } from './LinkCanvas.tsx';
import { useCutPairs, useLinkPointer } from './linkHooks.ts';
import { pairKey } from './linkLayer.ts';
import { LinkTargets, SelectedLink } from './LinkLines.tsx';
import { followMessageHover } from '../spacetime/topologyHover.ts';
import { MessageLayer, type LayerGeometry } from './messageLayer.ts';
import { NodeGlyphs } from './NodeGlyphs.tsx';
import './topology.css';

const noColours: Readonly<Record<string, string>> = {};

/**
 * The middle of the screen: links painted on a canvas, nodes, the selected link and the links'
 * hit targets in SVG above it, messages in flight on a canvas above both, a legend, and
 * "Loading…" until the first frame. Escape anywhere inside clears the selection and the
 * partition draft; a click on empty space clears the selection.
 */
export function TopologyView() {
  const containerRef = useRef<HTMLElement>(null);
  const size = useElementSize(containerRef);
  const topology = useSimStore((state) => state.view?.topology);
  const scenarioId = useSimStore((state) => state.view?.meta.id);
  const hasFrame = useSimStore((state) => state.frame !== null);
  const selection = useSimStore((state) => state.selection);
  const cut = useCutPairs();
  const hints = useViewHints();
  const [types, setTypes] = useState<readonly string[]>([]);
  const draftNoteId = useId();
  const [zoom, setZoom] = useState<{ readonly scenario: string; readonly level: number }>({
    scenario: '',
    level: 1,
  });
  // A new pattern starts fitted to the view.
  const zoomLevel = zoom.scenario === scenarioId ? zoom.level : 1;
  const scrollRef = useRef<HTMLDivElement>(null);

  const unit = useMemo(() => (topology === undefined ? null : unitLayout(topology)), [topology]);
  const pairs = useMemo(
    () => (topology === undefined ? [] : uniqueLinks(topology.links)),
    [topology],
  );
  const geometry = useMemo((): LayerGeometry | null => {
    if (unit === null || size === null) return null;
    // Zoomed in, the layout is drawn larger than the view, which then scrolls over it.
    const drawn = { width: size.width * zoomLevel, height: size.height * zoomLevel };
    const box: PixelBox = { ...drawn, padding: paddingFor(size.width, size.height) };
    const points = fitToBox(unit, box);
    return { points, radius: nodeRadiusFor(points, box), width: drawn.width, height: drawn.height };
  }, [unit, size, zoomLevel]);
  const changeZoom = (level: number) => {
    const scroller = scrollRef.current;
    const from = zoomLevel;
    setZoom({ scenario: scenarioId ?? '', level });
    if (scroller === null || size === null) return;
    // Keep the middle of the view where it is.
    const middleX = (scroller.scrollLeft + size.width / 2) / from;
    const middleY = (scroller.scrollTop + size.height / 2) / from;
    requestAnimationFrame(() => {
      scroller.scrollLeft = middleX * level - size.width / 2;
      scroller.scrollTop = middleY * level - size.height / 2;
    });
  };
  const captions = useMemo(
    () =>
      geometry === null ? [] : captionPlaces(geometry.points, geometry.radius, geometry.width),
    [geometry],
  );
  const nodeIds = useMemo(() => topology?.nodes.map((node) => node.id) ?? [], [topology]);
  const selectedLink = useMemo(
    () =>
      selection?.kind === 'link'
        ? ([
            Math.min(selection.from, selection.to),
            Math.max(selection.from, selection.to),
          ] as const)
        : null,
    [selection],
  );
  const selectedKey = selectedLink === null ? null : pairKey(selectedLink[0], selectedLink[1]);
  // A cut link's dashes would show through the selected one's: the SVG draws it alone.
  const omitted = selectedKey !== null && cut.has(selectedKey) ? selectedKey : null;
  const pointer = useLinkPointer(pairs, geometry);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    const store = useSimStore.getState();
    store.select(null);
    store.clearPartitionDraft();
  };
  return (
    <section ref={containerRef} className="topology" aria-label="Topology" onKeyDown={onKeyDown}>
      <div
        ref={scrollRef}
        className={zoomLevel > 1 ? 'topology-scroll is-zoomed' : 'topology-scroll'}
      >
        <div
          className="topology-layers"
          style={geometry === null ? undefined : { width: geometry.width, height: geometry.height }}
        >
          {geometry === null ? null : (
            <LinkCanvas geometry={geometry} pairs={pairs} cut={cut} omitted={omitted} />
          )}
          {geometry === null ? null : (
            <svg
              className="topology-svg"
              width={geometry.width}
              height={geometry.height}
              onClick={pointer.onClick}
              onPointerMove={pointer.onPointerMove}
              onPointerLeave={pointer.onPointerLeave}
            >
              {selectedLink === null ? null : (
                <SelectedLink
                  points={geometry.points}
                  selected={selectedLink}
                  isCut={selectedKey !== null && cut.has(selectedKey)}
                />
              )}
              {/* Under the nodes: a link passing behind a node must not take the node's clicks. */}
              <LinkTargets
                pairs={pairs}
                points={geometry.points}
                nodeIds={nodeIds}
                radius={geometry.radius}
                selected={selectedLink}
                cut={cut}
                hovered={pointer.hovered}
                onSelect={selectLink}
              />
              <NodeGlyphs
                points={geometry.points}
                radius={geometry.radius}
                captions={captions}
                hints={hints}
                draftNoteId={draftNoteId}
              />
            </svg>
          )}
          <MessageCanvas
            geometry={geometry}
            colours={hints?.messageColours ?? noColours}
            onTypesSeen={setTypes}
          />
        </div>
      </div>
      <ZoomControls level={zoomLevel} onChange={changeZoom} />
      {/* Hidden, yet still read out as the description of nodes in the draft. */}
      <span id={draftNoteId} hidden>
        In the partition draft.
      </span>
      {geometry === null ? null : (
        <Legend
          // Open or closed is decided again for each pattern: their layouts leave different room.
          key={scenarioId ?? ''}
          types={types}
          colours={hints?.messageColours ?? noColours}
          hasRoom={
            zoomLevel === 1 &&
            leftClearanceWithCaptionsPx(geometry.points, geometry.radius, captions) >= legendRoomPx
          }
        />
      )}
      {hasFrame ? null : (
        <p className="topology-empty" role="status">
          Loading…
        </p>
      )}
    </section>
  );
}

/** The zoom levels offered: the whole layout fitted to the view, then larger. */
const zoomLevels = [1, 1.5, 2, 3] as const;

/**
 * Buttons to draw the topology larger (a phone, a dense mesh) and back to fitted; the view then
 * scrolls, by touch or wheel, over the larger drawing. The browser's own pinch zoom works too.
 */
function ZoomControls(props: {
  readonly level: number;
  readonly onChange: (level: number) => void;
}) {
  const index = zoomLevels.findIndex((level) => level === props.level);
  const smaller = zoomLevels[index - 1];
  const larger = zoomLevels[index + 1];
  return (
    <div className="topology-zoom" role="group" aria-label="Zoom the topology">
      <button
        type="button"
        aria-label="Zoom the topology in"
        disabled={larger === undefined}
        onClick={() => {
          if (larger !== undefined) props.onChange(larger);
        }}
      >
        +
      </button>
      <button
        type="button"
        aria-label="Zoom the topology out"
        disabled={smaller === undefined}
        onClick={() => {
          if (smaller !== undefined) props.onChange(smaller);
        }}
      >
        −
      </button>
      {props.level > 1 ? (
        <button
          type="button"
          aria-label="Fit the topology to the view"
          onClick={() => {
            props.onChange(1);
          }}
        >
          Fit
        </button>
      ) : null}
    </div>
  );
}

function selectLink(from: number, to: number): void {
  useSimStore.getState().select({ kind: 'link', from, to });
}

interface MessageCanvasProps {
  readonly geometry: LayerGeometry | null;
  readonly colours: Readonly<Record<string, string>>;
  readonly onTypesSeen: (types: readonly string[]) => void;
}

/** The canvas the message layer draws on; React only creates it and passes geometry along. */
function MessageCanvas({ geometry, colours, onTypesSeen }: MessageCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<MessageLayer | null>(null);
  const latest = useRef({ geometry, colours });
  useEffect(() => {
    latest.current = { geometry, colours };
    layerRef.current?.setGeometry(geometry);
    layerRef.current?.setColours(colours);
  }, [geometry, colours]);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const layer = new MessageLayer(canvas, onTypesSeen);
    layer.setGeometry(latest.current.geometry);
    layer.setColours(latest.current.colours);
    layer.start();
    layerRef.current = layer;
    const stopHover = followMessageHover(canvas, (x, y) => layer.messageAt(x, y));
    return () => {
      stopHover();
      layer.dispose();
      layerRef.current = null;
    };
  }, [onTypesSeen]);
  return <canvas ref={canvasRef} className="topology-canvas" aria-hidden="true" />;
}

interface Size {
  readonly width: number;
  readonly height: number;
}

/** The element's content size in whole CSS pixels, following resizes; null before layout. */
function useElementSize(ref: RefObject<HTMLElement | null>): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box === undefined) return;
      const width = Math.round(box.width);
      const height = Math.round(box.height);
      setSize((previous) =>
        previous !== null && previous.width === width && previous.height === height
          ? previous
          : { width, height },
      );
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [ref]);
  return size;
}
