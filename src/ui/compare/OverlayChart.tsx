import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { curveLinear, curveStepAfter, line } from 'd3-shape';
import { useCallback } from 'react';
import { formatTick, type ChartPoint, type CurveKind } from '../charts/metricSeries.ts';
import { D3Svg } from '../charts/D3Svg.tsx';
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

  const plot = select<SVGSVGElement, null>(element)
    .selectAll<SVGGElement, null>('g.chart-plot')
    .data([null])
    .join('g')
    .attr('class', 'chart-plot')
    .attr('transform', `translate(${margin.left},${margin.top})`);
  layer(plot, 'chart-y-axis').call(
    axisLeft(y)
      .ticks(3)
      .tickSize(-innerWidth)
      .tickFormat((value) => formatTick(Number(value))),
  );
  layer(plot, 'chart-x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(
      axisBottom(x)
        .ticks(Math.min(8, Math.max(3, Math.floor(innerWidth / 80))))
        .tickSizeOuter(0)
        .tickFormat((value) => `${formatTick(Number(value))} s`),
    );
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

function layer(
  parent: Selection<SVGGElement, null, SVGSVGElement, null>,
  className: string,
): Selection<SVGGElement, null, SVGGElement, null> {
  return parent
    .selectAll<SVGGElement, null>(`g.${className}`)
    .data([null])
    .join('g')
    .attr('class', className);
}

/** From 0 (or below, for negative values) to the largest value, never empty. */
function valueDomain(points: readonly ChartPoint[]): [number, number] {
  let low = 0;
  let high = 0;
  for (const point of points) {
    if (point.v < low) low = point.v;
    if (point.v > high) high = point.v;
  }
  return high === low ? [low, low + 1] : [low, high];
}
