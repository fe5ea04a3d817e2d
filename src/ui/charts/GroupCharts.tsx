import { axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { area, curveStepAfter, stack, type SeriesPoint } from 'd3-shape';
import { useEffect, useId, useMemo, useRef } from 'react';
import type { BarGroup, StackedArea } from '../../scenarios/viewHints.ts';
import type { Series } from '../state/store.ts';
import './charts.css';
import { latestBars, stackedRows, type StackedRow } from './groupSeries.ts';
import { formatMetricValue, formatTick } from './metricSeries.ts';
import { useWidth } from './useWidth.ts';
import { layer, plotGroup, timeAxis } from './d3Parts.ts';

interface BarGroupChartProps {
  readonly group: BarGroup;
  readonly series: Readonly<Record<string, Series>>;
}

/** The latest value of each sampled metric in the group, as labelled horizontal bars. */
export function BarGroupChart({ group, series }: BarGroupChartProps) {
  const titleId = useId();
  // Bars for metrics never sampled (a sixth subscriber in a run of four) are left out.
  const bars = latestBars(group.bars, series).filter((bar) => bar.value !== null);
  const highest = Math.max(0, ...bars.map((bar) => bar.value ?? 0));
  const unit = group.unit === '' ? '' : ` ${group.unit}`;
  return (
    <figure className="metric bar-group" aria-labelledby={titleId}>
      <div className="metric-heading">
        <h3 id={titleId}>{group.title}</h3>
      </div>
      {bars.length === 0 ? <p className="metric-empty muted">No samples yet</p> : null}
      <ul className="bar-list">
        {bars.map((bar) => {
          const value = bar.value ?? 0; // only sampled bars are left
          const share = highest === 0 ? 0 : value / highest;
          const text = `${formatMetricValue(value)}${unit}`;
          return (
            <li key={bar.label} className="bar-row" aria-label={`${bar.label}: ${text}`}>
              <span className="bar-label">{bar.label}</span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
              </span>
              <span className="bar-value" aria-hidden="true">
                {formatMetricValue(value)}
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

interface StackedAreaChartProps {
  readonly area: StackedArea;
  readonly series: Readonly<Record<string, Series>>;
  readonly xMaxS: number;
}

const margin = { top: 8, right: 10, bottom: 20, left: 40 };
const heightPx = 110;

/** The group's metrics stacked over time, each layer in its own colour, with a legend. */
export function StackedAreaChart({ area: spec, series, xMaxS }: StackedAreaChartProps) {
  const titleId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const widthPx = useWidth(wrapper);
  const rows = useMemo(
    () => stackedRows(spec.layers.map((entry) => series[entry.metric])),
    [spec.layers, series],
  );
  // Stable across renders, so the chart redraws only when its data or size changes.
  const colours = useMemo(() => spec.layers.map((entry) => entry.colour), [spec.layers]);

  useEffect(() => {
    if (svg.current === null || widthPx <= 0 || rows.length === 0) return;
    drawStack(svg.current, rows, colours, xMaxS, widthPx);
  }, [rows, colours, xMaxS, widthPx]);

  const latest = rows.at(-1);
  const unit = spec.unit;
  const summary =
    latest === undefined
      ? 'no samples yet'
      : spec.layers
          .map((entry, index) => `${entry.label} ${formatMetricValue(latest.values[index] ?? 0)}`)
          .join(', ');
  return (
    <figure className="metric stacked-area" aria-labelledby={titleId}>
      <div className="metric-heading">
        <h3 id={titleId}>{spec.title}</h3>
      </div>
      {latest === undefined ? <p className="metric-empty muted">No samples yet</p> : null}
      <div ref={wrapper} className="line-chart">
        <svg
          ref={svg}
          role="img"
          aria-label={`${spec.title}${unit === '' ? '' : ` (${spec.unit})`}: ${summary}`}
          width={widthPx}
          height={latest === undefined ? 0 : heightPx}
        />
      </div>
      <ul className="stack-legend">
        {spec.layers.map((entry, index) => (
          <li key={entry.metric}>
            <span className="stack-swatch" style={{ background: entry.colour }} />
            {entry.label}
            {latest === undefined ? null : (
              <span className="muted"> {formatMetricValue(latest.values[index] ?? 0)}</span>
            )}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function drawStack(
  element: SVGSVGElement,
  rows: readonly StackedRow[],
  colours: readonly string[],
  xMaxS: number,
  widthPx: number,
): void {
  const innerWidth = Math.max(10, widthPx - margin.left - margin.right);
  const innerHeight = Math.max(10, heightPx - margin.top - margin.bottom);
  const last = rows.at(-1);
  // Hold the last row up to "now", as the line charts do.
  const drawn = last !== undefined && xMaxS > last.t ? [...rows, { ...last, t: xMaxS }] : rows;
  const keys = colours.map((_, index) => index);
  const layers = stack<StackedRow, number>()
    .keys(keys)
    .value((row, key) => row.values[key] ?? 0)([...drawn]);
  const top = Math.max(0, ...drawn.map((row) => row.values.reduce((sum, v) => sum + v, 0)));
  const x = scaleLinear()
    .domain([0, Math.max(xMaxS, last?.t ?? 0, 0.001)])
    .range([0, innerWidth]);
  const y = scaleLinear()
    .domain([0, top === 0 ? 1 : top])
    .range([innerHeight, 0])
    .nice(3);
  const shape = area<SeriesPoint<StackedRow>>()
    .x((point) => x(point.data.t))
    .y0((point) => y(point[0]))
    .y1((point) => y(point[1]))
    .curve(curveStepAfter);

  const plot = plotGroup(element, margin);
  plot
    .selectAll<SVGPathElement, (typeof layers)[number]>('path.stack-layer')
    .data(layers)
    .join('path')
    .attr('class', 'stack-layer')
    .attr('fill', (band) => colours[band.key] ?? 'currentColor')
    .attr('d', (band) => shape(band) ?? '');
  layer(plot, 'chart-y-axis').call(
    axisLeft(y)
      .ticks(3)
      .tickSize(-innerWidth)
      .tickFormat((value) => formatTick(Number(value))),
  );
  layer(plot, 'chart-x-axis')
    .attr('transform', `translate(0,${innerHeight})`)
    .call(timeAxis(x, innerWidth));
}
