import { useCallback } from 'react';
import { D3Svg } from '../charts/D3Svg.tsx';
import { useThrottledStore } from '../charts/useThrottledStore.ts';
import { useSimStore } from '../state/store.ts';
import { instrumentDrawings } from './registry.ts';
import './instruments.css';

/** Readings drawn at most this often: smooth enough for a draining timer, cheap enough at 1000×. */
const redrawIntervalMs = 50;

/**
 * The pattern's live instrument beside the topology: a figure named by the scenario's sentence
 * about its state (what a screen reader announces when it reaches the figure), the sentence shown
 * in words under the heading, and the scenario's d3 drawing. It follows the scrubber because every
 * frame, also after a seek, carries the reading at that instant.
 */
export function InstrumentPanel() {
  const title = useSimStore((state) => state.view?.meta.instrumentTitle ?? null);
  const scenarioId = useSimStore((state) => state.view?.meta.id ?? null);
  const reading = useThrottledStore((state) => state.frame?.instrument ?? null, redrawIntervalMs);
  const drawing = scenarioId === null ? undefined : instrumentDrawings[scenarioId];
  const data = reading?.data ?? null;
  const draw = useCallback(
    (svg: SVGSVGElement, widthPx: number, heightPx: number) => {
      if (drawing !== undefined && data !== null) drawing.draw(svg, data, widthPx, heightPx);
    },
    [drawing, data],
  );
  if (title === null || reading === null) return null;
  return (
    <figure className="instrument" aria-label={reading.description}>
      <figcaption>
        <span className="instrument-title">{title}</span>
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
