import { useEffect, useRef } from 'react';
import { useColourScheme } from '../state/useColourScheme.ts';
import type { LayerGeometry } from './messageLayer.ts';
import { linksPerSlice, paintLinks, type Pair } from './linkLayer.ts';

export interface LinkCanvasProps {
  readonly geometry: LayerGeometry;
  /** Unordered linked pairs, each once. */
  readonly pairs: readonly Pair[];
  /** Pairs (by `pairKey`) cut by a partition or a hold: dashed, in the theme's "bad" red. */
  readonly cut: ReadonlySet<number>;
  /** A pair (by `pairKey`) the SVG draws instead (the selected link when it is cut), or null. */
  readonly omitted: number | null;
}

/**
 * The links, painted on a canvas under the SVG: plain ones as `.link-line` draws them, cut ones
 * dashed as `.link-line.is-cut` does. Repainted only when its props change (layout, faults) or
 * the colour scheme does, never per frame; a mesh of more than `linksPerSlice` links is painted
 * over several animation frames.
 */
export function LinkCanvas({ geometry, pairs, cut, omitted }: LinkCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scheme = useColourScheme();
  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d') ?? null;
    if (canvas === null || context === null) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(geometry.width * ratio));
    canvas.height = Math.max(1, Math.round(geometry.height * ratio));
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const style = getComputedStyle(canvas);
    const paint = {
      pairs,
      points: geometry.points,
      cut,
      omitted,
      cutColour: style.getPropertyValue('--bad').trim() || '#b91c1c',
      colour: style.getPropertyValue('--border').trim() || '#d5d7db',
      width: geometry.width,
      height: geometry.height,
    };
    // A slice now, the rest (a huge mesh) a slice per animation frame: no long task.
    let frameId = 0;
    const paintFrom = (start: number): void => {
      const next = paintLinks(context, paint, start, linksPerSlice);
      if (next !== null)
        frameId = requestAnimationFrame(() => {
          paintFrom(next);
        });
    };
    paintFrom(0);
    return () => {
      cancelAnimationFrame(frameId);
    };
  }, [geometry, pairs, cut, omitted, scheme]);
  return <canvas ref={canvasRef} className="topology-link-canvas" aria-hidden="true" />;
}
