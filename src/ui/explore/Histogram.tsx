import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { useCallback } from 'react';
import type { HistogramBin } from '../../explore/histogram.ts';
import { formatTick } from '../charts/metricSeries.ts';
import { D3Svg } from '../charts/D3Svg.tsx';
import { layer, plotGroup } from '../charts/d3Parts.ts';

export interface HistogramProps {
  readonly bins: readonly HistogramBin[];
  /** Read by assistive technology instead of the drawing. */
  readonly ariaLabel: string;
  readonly heightPx?: number;
}

const margin = { top: 8, right: 10, bottom: 20, left: 32 };

/**
 * Seeds per bin of a metric's final value, as bars. React renders the empty <svg>; d3 scales and
 * axes draw into it from an effect (as LineChart does), so React never reconciles the marks.
 */
export function Histogram({ bins, ariaLabel, heightPx = 110 }: HistogramProps) {
  const draw = useCallback(
    (element: SVGSVGElement, widthPx: number, height: number) => {
      drawHistogram(element, bins, widthPx, height);
    },
    [bins],
  );
  return (
    <D3Svg
      draw={draw}
      ariaLabel={ariaLabel}
      heightPx={heightPx}
      className="line-chart explore-histogram"
    />
  );
}

function drawHistogram(
  element: SVGSVGElement,
  bins: readonly HistogramBin[],
  widthPx: number,
  heightPx: number,
): void {
  const innerWidth = Math.max(10, widthPx - margin.left - margin.right);
  const innerHeight = Math.max(10, heightPx - margin.top - margin.bottom);
  const first = bins[0];
  const last = bins[bins.length - 1];
  // One bin of a single non-whole value has no width: give it one around the value.
  const [low, high] =
    first === undefined || last === undefined
      ? [0, 1]
      : first.x0 === last.x1
        ? [first.x0 - 0.5, first.x0 + 0.5]
        : [first.x0, last.x1];
  const x = scaleLinear().domain([low, high]).range([0, innerWidth]);
  const countMax = Math.max(1, ...bins.map((bin) => bin.count));
  const y = scaleLinear().domain([0, countMax]).range([innerHeight, 0]).nice(3);

  const plot = plotGroup(element, margin);

  const yAxis = axisLeft(y)
    .tickValues(y.ticks(3).filter((tick) => Number.isInteger(tick)))
    .tickSize(-innerWidth)
    .tickFormat((value) => formatTick(Number(value)));
  layer(plot, 'chart-y-axis').call(yAxis);

  const xAxis = axisBottom(x)
    .tickSizeOuter(0)
    .tickFormat((value) => formatTick(Number(value)));
  const centres = perValueCentres(bins);
  if (centres === null) xAxis.ticks(Math.min(6, Math.max(2, Math.floor(innerWidth / 60))));
  else xAxis.tickValues(thin(centres, Math.max(2, Math.floor(innerWidth / 40))));
  layer(plot, 'chart-x-axis').attr('transform', `translate(0,${innerHeight})`).call(xAxis);

  layer(plot, 'histogram-bars')
    .selectAll<SVGRectElement, HistogramBin>('rect')
    .data(bins)
    .join('rect')
    .attr('class', 'histogram-bar')
    .attr('x', (bin) => (bin.x0 === bin.x1 ? x(low) : x(bin.x0)) + 1)
    .attr('width', (bin) =>
      Math.max(1, (bin.x0 === bin.x1 ? innerWidth : x(bin.x1) - x(bin.x0)) - 2),
    )
    .attr('y', (bin) => y(bin.count))
    .attr('height', (bin) => innerHeight - y(bin.count));
}

/** The whole numbers per-value bins are centred on, or null for range bins. */
function perValueCentres(bins: readonly HistogramBin[]): number[] | null {
  const centres = bins.map((bin) => (bin.x0 + bin.x1) / 2);
  const isPerValue = bins.every(
    (bin, index) => bin.x1 - bin.x0 === 1 && Number.isInteger(centres[index]),
  );
  return isPerValue ? centres : null;
}

/** Every k-th value, so that at most `countMax` remain. */
function thin(values: readonly number[], countMax: number): number[] {
  const every = Math.ceil(values.length / countMax);
  return values.filter((_, index) => index % every === 0);
}
