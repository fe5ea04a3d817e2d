import { axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { curveLinear, curveStepAfter, line } from 'd3-shape';
import { useCallback } from 'react';
import { formatTick, type ChartPoint, type CurveKind } from '../charts/metricSeries.ts';
import { D3Svg } from '../charts/D3Svg.tsx';
import { layer, plotGroup, timeAxis, valueDomain } from '../charts/d3Parts.ts';
import type { SideName } from './protocol.ts';

/** One side's line in an overlay chart. */
export interface OverlayLine {
  readonly side: SideName;
  readonly points: readonly ChartPoint[];
  readonly curve: CurveKind;
  /** The side's simulated time now, in seconds (a step line holds its value up to it). */
  readonly xMaxS: number;
}

interface OverlayChartProps {
  readonly lines: readonly OverlayLine[];
  /** Read by assistive technology instead of the drawing. */
  readonly ariaLabel: string;
  readonly heightPx?: number;
}

const margin = { top: 8, right: 10, bottom: 20, left: 40 };

/**
 * One metric from both sides on shared axes: side a solid, side b dashed (told apart without
 * colour too). React renders the empty <svg>; d3 draws into it.
 */
export function OverlayChart({ lines, ariaLabel, heightPx = 120 }: OverlayChartProps) {
  const draw = useCallback(
    (element: SVGSVGElement, widthPx: number, height: number) => {
      drawOverlay(element, lines, widthPx, height);
    },
    [lines],
  );
  return (
    <D3Svg
      draw={draw}
      ariaLabel={ariaLabel}
      heightPx={heightPx}
      className="line-chart overlay-chart"
    />
  );
}

function drawOverlay(
  element: SVGSVGElement,
  lines: readonly OverlayLine[],
  widthPx: number,
  heightPx: number,
): void {
  const innerWidth = Math.max(10, widthPx - margin.left - margin.right);
  const innerHeight = Math.max(10, heightPx - margin.top - margin.bottom);
  const drawn = lines.map((entry) => ({ ...entry, points: heldToNow(entry) }));
  const all = drawn.flatMap((entry) => entry.points);
  const xMax = Math.max(0.001, ...drawn.map((entry) => entry.xMaxS), ...all.map((p) => p.t));
  const x = scaleLinear().domain([0, xMax]).range([0, innerWidth]);
  const y = scaleLinear().domain(valueDomain(all)).range([innerHeight, 0]).nice(3);

  const plot = plotGroup(element, margin);
  layer(plot, 'chart-y-axis').call(
    axisLeft(y)
      .ticks(3)
      .tickSize(-innerWidth)
      .tickFormat((value) => formatTick(Number(value))),
  );
  layer(plot, 'chart-x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(timeAxis(x, innerWidth));
  plot
    .selectAll<SVGPathElement, (typeof drawn)[number]>('path.overlay-line')
    .data(drawn, (entry) => entry.side)
    .join('path')
    .attr('class', (entry) => `overlay-line overlay-line-${entry.side}`)
    .attr('d', (entry) =>
      line<ChartPoint>()
        .x((point) => x(point.t))
        .y((point) => y(point.v))
        .curve(entry.curve === 'step' ? curveStepAfter : curveLinear)(entry.points),
    );
}

/** A step line holds its last value up to the side's time, so it reads as a value over time. */
function heldToNow(entry: OverlayLine): readonly ChartPoint[] {
  const last = entry.points[entry.points.length - 1];
  return entry.curve === 'step' && last !== undefined && entry.xMaxS > last.t
    ? [...entry.points, { t: entry.xMaxS, v: last.v }]
    : entry.points;
}
