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

  const unit = useMemo(() => (topology === undefined ? null : unitLayout(topology)), [topology]);
  const pairs = useMemo(
    () => (topology === undefined ? [] : uniqueLinks(topology.links)),
    [topology],
  );
  const geometry = useMemo((): LayerGeometry | null => {
    if (unit === null || size === null) return null;
    const box: PixelBox = { ...size, padding: paddingFor(size.width, size.height) };
    const points = fitToBox(unit, box);
    return { points, radius: nodeRadiusFor(points, box), width: size.width, height: size.height };
  }, [unit, size]);
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
