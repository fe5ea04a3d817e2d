import { axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { curveLinear, curveStepAfter, line } from 'd3-shape';
import { useCallback } from 'react';
import './charts.css';
import { formatTick, type ChartPoint, type CurveKind } from './metricSeries.ts';
import { D3Svg } from './D3Svg.tsx';
import { layer, plotGroup, timeAxis, valueDomain } from './d3Parts.ts';

export interface LineChartProps {
  readonly points: readonly ChartPoint[];
  readonly curve: CurveKind;
  /** The right end of the time axis, in seconds (the simulated time now). */
  readonly xMaxS: number;
  /** Read by assistive technology instead of the drawing. */
  readonly ariaLabel: string;
  readonly heightPx?: number;
}

const margin = { top: 8, right: 10, bottom: 20, left: 40 };

/**
 * A small time-series chart. React renders the empty <svg>; d3 draws into it from an effect, so
 * React never reconciles the chart's marks.
 */
export function LineChart({ points, curve, xMaxS, ariaLabel, heightPx = 96 }: LineChartProps) {
  const draw = useCallback(
    (element: SVGSVGElement, widthPx: number, height: number) => {
      drawChart(element, { points, curve, xMaxS, widthPx, heightPx: height });
    },
    [points, curve, xMaxS],
  );
  return <D3Svg draw={draw} ariaLabel={ariaLabel} heightPx={heightPx} className="line-chart" />;
}

interface DrawOptions {
  readonly points: readonly ChartPoint[];
  readonly curve: CurveKind;
  readonly xMaxS: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

function drawChart(element: SVGSVGElement, options: DrawOptions): void {
  const { points, widthPx, heightPx } = options;
  const innerWidth = Math.max(10, widthPx - margin.left - margin.right);
  const innerHeight = Math.max(10, heightPx - margin.top - margin.bottom);
  const last = points[points.length - 1];
  const x = scaleLinear()
    .domain([0, Math.max(options.xMaxS, last?.t ?? 0, 0.001)])
    .range([0, innerWidth]);
  const y = scaleLinear().domain(valueDomain(points)).range([innerHeight, 0]).nice(3);

  const plot = plotGroup(element, margin);

  // Counts and totals of whole numbers get whole-number ticks (no "0.5 elections").
  const isWhole = points.every((point) => Number.isInteger(point.v));
  const yTicks = y.ticks(3).filter((tick) => !isWhole || Number.isInteger(tick));
  const yAxis = axisLeft(y)
    .tickValues(yTicks)
    .tickSize(-innerWidth)
    .tickFormat((value) => formatTick(Number(value)));
  layer(plot, 'chart-y-axis').call(yAxis);

  layer(plot, 'chart-x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(timeAxis(x, innerWidth));

  // A step line holds its last value up to "now", so the chart reads as the value over time.
  const drawn =
    options.curve === 'step' && last !== undefined && options.xMaxS > last.t
      ? [...points, { t: options.xMaxS, v: last.v }]
      : points;
  const path = line<ChartPoint>()
    .x((point) => x(point.t))
    .y((point) => y(point.v))
    .curve(options.curve === 'step' ? curveStepAfter : curveLinear);
  layer(plot, 'chart-line', 'path').attr('d', path(drawn) ?? '');

  const marker = last === undefined ? [] : [last];
  plot
    .selectAll<SVGCircleElement, ChartPoint>('circle.chart-latest')
    .data(marker)
    .join('circle')
    .attr('class', 'chart-latest')
    .attr('r', 3)
    .attr('cx', (point) => x(point.t))
    .attr('cy', (point) => y(point.v));
}
