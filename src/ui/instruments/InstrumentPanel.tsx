import { useCallback, useMemo } from 'react';
import { D3Svg } from '../charts/D3Svg.tsx';
import { useThrottledStore } from '../charts/useThrottledStore.ts';
import { useSimStore } from '../state/store.ts';
import { guardedDrawing } from './guardedDrawing.ts';
import { instrumentDrawings } from './registry.ts';
import './instruments.css';

/** Readings drawn at most this often: smooth enough for a draining timer, cheap enough at 1000×. */
const redrawIntervalMs = 50;

/**
 * The pattern's live instrument beside the topology: a figure named by the scenario's sentence
 * about its state (what a screen reader announces when it reaches the figure), the sentence shown
 * in words under the heading, and the scenario's d3 drawing. It follows the scrubber because every
 * frame, also after a seek, carries the reading at that instant. A reading is drawn only with the
 * drawing of the scenario it came from: right after another pattern is opened, the last frame of
 * the previous run may still be the newest one.
 */
export function InstrumentPanel() {
  const meta = useSimStore((state) => state.view?.meta ?? null);
  const reading = useThrottledStore((state) => state.frame?.instrument ?? null, redrawIntervalMs);
  const isCurrent = meta !== null && reading !== null && reading.scenarioId === meta.id;
  const scenarioId = isCurrent ? meta.id : null;
  const drawing = useMemo(() => {
    const known = scenarioId === null ? undefined : instrumentDrawings[scenarioId];
    return known === undefined ? undefined : guardedDrawing(known);
  }, [scenarioId]);
  const data = isCurrent ? reading.data : null;
  const draw = useCallback(
    (svg: SVGSVGElement, widthPx: number, heightPx: number) => {
      if (drawing !== undefined && data !== null) drawing.draw(svg, data, widthPx, heightPx);
    },
    [drawing, data],
  );
  if (!isCurrent || meta.instrumentTitle === null) return null;
  return (
    <figure className="instrument" aria-label={reading.description}>
      <figcaption>
        <span className="instrument-title">{meta.instrumentTitle}</span>
        <span className="instrument-words">{reading.description}</span>
      </figcaption>
      {drawing === undefined || data === null ? null : (
        <D3Svg
          draw={draw}
          ariaLabel={null}
          heightPx={(widthPx) => drawing.heightPx(data, widthPx)}
          className="instrument-drawing"
        />
      )}
    </figure>
  );
}
