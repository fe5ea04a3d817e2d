import { useEffect, useRef, useState, type MouseEvent, type PointerEvent } from 'react';
import { useSimStore, type SimStore } from '../state/store.ts';
import { linkAt, linkTargetGapPx, pairKeysOf, type Pair } from './linkLayer.ts';
import { linkTargetsAllMax } from './LinkLines.tsx';
import type { LayerGeometry } from './messageLayer.ts';

/* The topology view's link state that changes apart from the layout: faults and the pointer. */

export interface LinkPointer {
  /** Index of the link under the pointer while only some links have targets, else null. */
  readonly hovered: number | null;
  readonly onClick: (event: MouseEvent<SVGSVGElement>) => void;
  readonly onPointerMove: (event: PointerEvent<SVGSVGElement>) => void;
  readonly onPointerLeave: () => void;
}

/**
 * Pointing at links by arithmetic, for topologies whose links do not all have an element (see
 * `LinkTargets`): the link under the pointer, looked up at most once per animation frame, gets
 * its target (drawn hovered), so clicking it works as with any other. A click on the SVG itself
 * selects the link there, if any, and clears the selection otherwise.
 */
export function useLinkPointer(
  pairs: readonly Pair[],
  geometry: LayerGeometry | null,
): LinkPointer {
  // The link index found, with the links and layout it was found in (stale once they change).
  const [hover, setHover] = useState<{
    at: number | null;
    pairs: readonly Pair[];
    geometry: LayerGeometry | null;
  } | null>(null);
  const setHovered = (at: number | null): void => {
    setHover({ at, pairs, geometry });
  };
  const pending = useRef<{ x: number; y: number } | null>(null);
  const frameId = useRef(0);
  const isWindowed = pairs.length > linkTargetsAllMax;
  useEffect(
    () => () => {
      cancelAnimationFrame(frameId.current);
    },
    [],
  );
  const find = (x: number, y: number): number | null =>
    geometry === null
      ? null
      : linkAt(pairs, geometry.points, geometry.radius + linkTargetGapPx, x, y);
  const isCurrent = hover !== null && hover.pairs === pairs && hover.geometry === geometry;
  const hovered = isWindowed && isCurrent ? hover.at : null;
  const onClick = (event: MouseEvent<SVGSVGElement>): void => {
    // The highlighted link wins: a press that focuses its target also brings the targets of its
    // neighbours in the tab order, one of which may then be under the pointer when it is released.
    const box = event.currentTarget.getBoundingClientRect();
    const at = !isWindowed
      ? null
      : (hovered ?? find(event.clientX - box.left, event.clientY - box.top));
    const pair = at === null ? undefined : pairs[at];
    useSimStore
      .getState()
      .select(pair === undefined ? null : { kind: 'link', from: pair[0], to: pair[1] });
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>): void => {
    if (!isWindowed) return;
    const box = event.currentTarget.getBoundingClientRect();
    const isOnNode =
      event.target instanceof Element && event.target.closest('[data-node-index]') !== null;
    pending.current = isOnNode ? null : { x: event.clientX - box.left, y: event.clientY - box.top };
    if (frameId.current !== 0) return;
    frameId.current = requestAnimationFrame(() => {
      frameId.current = 0;
      const at = pending.current;
      setHovered(at === null ? null : find(at.x, at.y));
    });
  };
  const onPointerLeave = (): void => {
    pending.current = null;
    setHovered(null);
  };
  return { hovered, onClick, onPointerMove, onPointerLeave };
}

/** The cut pairs of the latest frame seen, kept while the frames' cut links stay the same. */
let cutMemo: { flat: Int32Array; keys: ReadonlySet<number> } = {
  flat: new Int32Array(0),
  keys: new Set(),
};

function cutPairsOf(state: SimStore): ReadonlySet<number> {
  const next = state.frame?.cutLinks;
  if (next === undefined || next === cutMemo.flat) return cutMemo.keys;
  cutMemo = sameInts(next, cutMemo.flat)
    ? { flat: next, keys: cutMemo.keys }
    : { flat: next, keys: pairKeysOf(next) };
  return cutMemo.keys;
}

/**
 * The unordered pairs (by `pairKey`) cut by a partition or a hold. Every frame brings a new
 * cutLinks array, but its contents change only with the faults: the same set comes back until
 * they do, so the link canvas and targets are not redrawn on every frame.
 */
export function useCutPairs(): ReadonlySet<number> {
  return useSimStore(cutPairsOf);
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
