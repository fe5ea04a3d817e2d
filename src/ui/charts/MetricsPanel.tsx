import { useId, useMemo, useState } from 'react';
import type { MetricSpec } from '../../engine/types.ts';
import { useViewHints } from '../state/selectors.ts';
import { seriesUpTo, useSimStore, type Series, type SimStore } from '../state/store.ts';
import './charts.css';
import type { ScenarioViewHints } from '../../scenarios/viewHints.ts';
import { BarGroupChart, StackedAreaChart } from './GroupCharts.tsx';
import { LineChart } from './LineChart.tsx';
import { chartAriaLabel, chartData, formatMetricValue, unitSuffix } from './metricSeries.ts';
import { useThrottledStore } from './useThrottledStore.ts';

/** Charts redraw at most this often while the run plays (about 5 times a second). */
const redrawIntervalMs = 200;

interface Shown {
  readonly series: SimStore['series'];
  readonly timeUs: number;
}

/**
 * Series and time read together, as one value (two throttled values would each fire their own
 * timer and redraw every chart twice); the same object while neither changed.
 */
function shownSelector(): (state: SimStore) => Shown {
  let last: Shown = { series: {}, timeUs: -1 };
  return (state) => {
    const timeUs = state.frame?.timeUs ?? 0;
    if (state.series !== last.series || timeUs !== last.timeUs)
      last = { series: state.series, timeUs };
    return last;
  };
}

/** One small time-series chart per metric of the loaded scenario. */
export function MetricsPanel() {
  const metrics = useSimStore((state) => state.view?.meta.metrics);
  const hints = useViewHints();
  const [selectShown] = useState(shownSelector);
  const { series: heldSeries, timeUs } = useThrottledStore(selectShown, redrawIntervalMs);
  // The store holds samples up to the run's frontier; after a seek back, show the moment seen.
  const series = useMemo(() => seriesUpTo(heldSeries, timeUs), [heldSeries, timeUs]);
  const xMaxS = timeUs / 1_000_000;
  const grouped = useMemo(() => groupedMetrics(hints), [hints]);
  const singles = (metrics ?? []).filter((spec) => !grouped.has(spec.name));
  return (
    <section className="panel metrics-panel" aria-labelledby="metrics-panel-title">
      <h2 id="metrics-panel-title">Metrics</h2>
      {metrics === undefined || metrics.length === 0 ? (
        <p className="muted">No metrics for this scenario.</p>
      ) : (
        <div className="metric-list">
          {(hints?.stackedAreas ?? []).map((spec) => (
            <StackedAreaChart key={spec.title} area={spec} series={series} xMaxS={xMaxS} />
          ))}
          {(hints?.barGroups ?? []).map((group) => (
            <BarGroupChart key={group.title} group={group} series={series} />
          ))}
          {singles.map((spec) => (
            <MetricChart
              key={spec.name}
              spec={spec}
              title={hints?.metricLabels[spec.name] ?? spec.name}
              series={series[spec.name]}
              xMaxS={xMaxS}
            />
          ))}
        </div>
      )}
    </section>
  );
}

/** Metrics drawn in a group chart, which therefore get no chart of their own. */
function groupedMetrics(hints: ScenarioViewHints | undefined): Set<string> {
  const names = new Set<string>();
  for (const group of hints?.barGroups ?? []) for (const bar of group.bars) names.add(bar.metric);
  for (const spec of hints?.stackedAreas ?? []) {
    for (const layer of spec.layers) names.add(layer.metric);
  }
  return names;
}

interface MetricChartProps {
  readonly spec: MetricSpec;
  readonly title: string;
  readonly series: Series | undefined;
  readonly xMaxS: number;
}

function MetricChart({ spec, title, series, xMaxS }: MetricChartProps) {
  const titleId = useId();
  const data = useMemo(() => chartData(spec.aggregate, series), [spec.aggregate, series]);
  const suffix = unitSuffix(spec.unit, title);
  // A percentile metric's headline is its percentile over the run (the title says "p99"), and
  // its line that percentile of the last seconds; others show the line's latest value.
  const headline = data.percentile?.value ?? data.latest;
  const note =
    data.percentile === null || data.latest === null
      ? ''
      : ` · now ${formatMetricValue(data.latest)}${suffix}; figure above: ${data.percentile.label} of ${data.percentile.over}`;
  return (
    <figure className="metric" aria-labelledby={titleId}>
      <div className="metric-heading">
        <h3 id={titleId} title={spec.description}>
          {title}
        </h3>
        {headline === null ? null : (
          <span className="metric-latest" aria-hidden="true">
            {formatMetricValue(headline)}
            {suffix}
          </span>
        )}
      </div>
      {data.latest === null ? (
        <p className="metric-empty muted">No samples yet</p>
      ) : (
        <>
          <LineChart
            points={data.points}
            curve={data.curve}
            xMaxS={xMaxS}
            ariaLabel={chartAriaLabel(title, spec.unit, data)}
          />
          <p className="metric-caption muted">
            {spec.unit === '' ? data.caption : `${data.caption}, ${spec.unit}`}
            {note}
          </p>
        </>
      )}
    </figure>
  );
}
