import { useId, useMemo } from 'react';
import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import { formatMetricValue, unitSuffix } from '../charts/metricSeries.ts';
import { useCompareStore, type SideState } from './compareStore.ts';
import { headlineOf, metricAt, sharedMetrics, sideLabel, type SharedMetric } from './labels.ts';
import { OverlayChart } from './OverlayChart.tsx';

const microsecondsPerSecond = 1_000_000;

/**
 * The metrics both sides report, side by side: a table of the values now, then one chart per
 * metric with both sides' lines, so a person sees what the pattern buys.
 */
export function MetricComparison() {
  const a = useCompareStore((state) => state.sides.a);
  const b = useCompareStore((state) => state.sides.b);
  const titleId = useId();
  const metrics = useMemo(() => sharedMetrics(a.info, b.info), [a.info, b.info]);
  const labels = getScenarioView(a.info?.meta.id ?? '')?.metricLabels ?? {};
  const labelA = sideLabel(a.info, b.info);
  const labelB = sideLabel(b.info, a.info);
  return (
    <section className="compare-metrics" aria-labelledby={titleId}>
      <h2 id={titleId}>Metrics, side by side</h2>
      {metrics.length === 0 ? (
        <p className="muted">
          {a.info === null || b.info === null
            ? 'The metrics appear when both sides have loaded.'
            : 'The two sides have no metric in common.'}
        </p>
      ) : (
        <>
          <MetricTable metrics={metrics} labels={labels} a={a} b={b} names={[labelA, labelB]} />
          <div className="compare-legend" aria-hidden="true">
            <span className="legend-item">
              <span className="legend-swatch legend-swatch-a" /> Side a: {labelA}
            </span>
            <span className="legend-item">
              <span className="legend-swatch legend-swatch-b" /> Side b: {labelB}
            </span>
          </div>
          <div className="compare-charts">
            {metrics.map((metric) => (
              <MetricOverlay
                key={metric.name}
                metric={metric}
                title={labels[metric.name] ?? metric.name}
                a={a}
                b={b}
                names={[labelA, labelB]}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

interface MetricTableProps {
  readonly metrics: readonly SharedMetric[];
  readonly labels: Readonly<Record<string, string>>;
  readonly a: SideState;
  readonly b: SideState;
  readonly names: readonly [string, string];
}

function MetricTable({ metrics, labels, a, b, names }: MetricTableProps) {
  return (
    <table className="compare-table">
      <caption className="visually-hidden">Current value of each metric on both sides</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Side a: {names[0]}</th>
          <th scope="col">Side b: {names[1]}</th>
        </tr>
      </thead>
      <tbody>
        {metrics.map((metric) => {
          const title = labels[metric.name] ?? metric.name;
          return (
            <tr key={metric.name} data-metric={metric.name}>
              <th scope="row" title={metric.a.description}>
                {title}
              </th>
              <td data-side="a">{cellText(metric, title, a, 'a')}</td>
              <td data-side="b">{cellText(metric, title, b, 'b')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function cellText(metric: SharedMetric, title: string, side: SideState, name: 'a' | 'b'): string {
  const spec = metric[name];
  const value = headlineOf(metricAt(spec, side.series[metric.name], side.chartUs));
  return value === null ? '—' : `${formatMetricValue(value)}${unitSuffix(spec.unit, title)}`;
}

interface MetricOverlayProps {
  readonly metric: SharedMetric;
  readonly title: string;
  readonly a: SideState;
  readonly b: SideState;
  readonly names: readonly [string, string];
}

function MetricOverlay({ metric, title, a, b, names }: MetricOverlayProps) {
  const titleId = useId();
  const dataA = useMemo(
    () => metricAt(metric.a, a.series[metric.name], a.chartUs),
    [metric.a, metric.name, a.series, a.chartUs],
  );
  const dataB = useMemo(
    () => metricAt(metric.b, b.series[metric.name], b.chartUs),
    [metric.b, metric.name, b.series, b.chartUs],
  );
  const lines = useMemo(
    () => [
      { side: 'a' as const, ...dataA, xMaxS: a.chartUs / microsecondsPerSecond },
      { side: 'b' as const, ...dataB, xMaxS: b.chartUs / microsecondsPerSecond },
    ],
    [dataA, dataB, a.chartUs, b.chartUs],
  );
  const suffix = unitSuffix(metric.a.unit, title);
  const describe = (value: number | null) =>
    value === null ? 'no samples yet' : `${formatMetricValue(value)}${suffix}`;
  const ariaLabel = `${title}: side a (${names[0]}) ${describe(headlineOf(dataA))}; side b (${names[1]}) ${describe(headlineOf(dataB))}`;
  return (
    <figure className="metric compare-metric" aria-labelledby={titleId}>
      <h3 id={titleId} title={metric.a.description}>
        {title}
      </h3>
      <OverlayChart lines={lines} ariaLabel={ariaLabel} />
      <p className="metric-caption muted">
        {metric.a.unit === '' ? dataA.caption : `${dataA.caption}, ${metric.a.unit}`}
      </p>
    </figure>
  );
}
