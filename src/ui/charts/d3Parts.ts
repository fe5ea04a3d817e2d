import { axisBottom } from 'd3-axis';
import type { ScaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { formatTick, type ChartPoint } from './metricSeries.ts';

/** Space around a chart's plot for its axes, in pixels. */
export interface ChartMargin {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export type PlotGroup = Selection<SVGGElement, null, SVGSVGElement, null>;

/** The chart's plot group inside `element`, shifted by the margin, created on first use. */
export function plotGroup(element: SVGSVGElement, margin: ChartMargin): PlotGroup {
  return select<SVGSVGElement, null>(element)
    .selectAll<SVGGElement, null>('g.chart-plot')
    .data([null])
    .join('g')
    .attr('class', 'chart-plot')
    .attr('transform', `translate(${margin.left},${margin.top})`);
}

/** One child of `parent` with `className`, created on first use. */
export function layer(
  parent: PlotGroup,
  className: string,
  tag: 'g' | 'path' = 'g',
): Selection<SVGGElement, null, SVGGElement, null> {
  return parent
    .selectAll<SVGGElement, null>(`${tag}.${className}`)
    .data([null])
    .join(tag)
    .attr('class', className);
}

/** The x axis of simulated time in seconds, with ticks for the width. */
export function timeAxis(x: ScaleLinear<number, number>, innerWidth: number) {
  return axisBottom(x)
    .ticks(Math.min(8, Math.max(3, Math.floor(innerWidth / 80))))
    .tickSizeOuter(0)
    .tickFormat((value) => `${formatTick(Number(value))} s`);
}

/** The y range: from 0 (or below, for negative values) to the largest value, never empty. */
export function valueDomain(points: readonly ChartPoint[]): [number, number] {
  let low = 0;
  let high = 0;
  for (const point of points) {
    if (point.v < low) low = point.v;
    if (point.v > high) high = point.v;
  }
  return high === low ? [low, low + 1] : [low, high];
}
