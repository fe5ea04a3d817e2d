import { useId, useState } from 'react';
import type { MetricFinal } from '../../engine/metrics.ts';
import { histogramBins, metricValues, valueStats } from '../../explore/histogram.ts';
import {
  type SeedFailure,
  type SeedOutcome,
  type SeedResult,
  batchCounts,
  countLine,
  violatingSeeds,
} from '../../explore/results.ts';
import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import { formatMetricValue } from '../charts/metricSeries.ts';
import { formatSimTime } from '../controls/format.ts';
import { useController } from '../state/context.ts';
import type { PoolProgress } from './explorePool.ts';
import { Histogram } from './Histogram.tsx';

/** Rows listed per kind (violating, failed); the count line always covers every seed. */
const listedSeedsMax = 200;

const statusText: Record<PoolProgress['status'], string> = {
  idle: '',
  running: 'Running…',
  done: 'Done.',
  cancelled: 'Cancelled; the seeds so far are kept.',
  stopped: 'Stopped; the seeds so far are kept.',
};

/** A batch's progress, counts, the chosen metric's histogram and the seeds worth opening. */
export function ExploreResults({ progress }: { readonly progress: PoolProgress }) {
  const progressId = useId();
  const { plan, outcomes } = progress;
  if (plan === null) return null;
  const counts = batchCounts(outcomes);
  const failed = outcomes.filter((outcome): outcome is SeedFailure => outcome.kind === 'failed');
  return (
    <div className="explore-results subsection">
      <div className="explore-progress">
        <label htmlFor={progressId}>
          {outcomes.length} of {progress.total} seeds
        </label>
        <progress id={progressId} max={progress.total} value={outcomes.length} />
      </div>
      <p className="explore-status" role="status">
        {statusText[progress.status]}
      </p>
      <p className="explore-counts">{countLine(counts)}</p>
      <MetricHistogram scenarioId={plan.scenarioId} outcomes={outcomes} />
      <ViolatingSeeds seeds={violatingSeeds(outcomes)} />
      {failed.length === 0 ? null : (
        <>
          <h3>Seeds that failed to run</h3>
          <ul className="explore-seeds">
            {failed.slice(0, listedSeedsMax).map((outcome) => (
              <li key={outcome.seed}>{outcome.message}</li>
            ))}
          </ul>
          <MoreLine count={failed.length} />
        </>
      )}
    </div>
  );
}

function MetricHistogram({
  scenarioId,
  outcomes,
}: {
  readonly scenarioId: string;
  readonly outcomes: readonly SeedOutcome[];
}) {
  const selectId = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  // The batch's own metrics (from its results), so the chart still reads right after the main
  // view moves to another scenario.
  const metrics = outcomes.find(
    (outcome): outcome is SeedResult => outcome.kind === 'ran',
  )?.metrics;
  if (metrics === undefined || metrics.length === 0) return null;
  const labels = getScenarioView(scenarioId)?.metricLabels ?? {};
  const titleOf = (metric: MetricFinal) => labels[metric.name] ?? metric.name;
  const metric = metrics.find((each) => each.name === chosen) ?? metrics[0];
  if (metric === undefined) return null;
  const { values, missing } = metricValues(outcomes, metric.name);
  const bins = histogramBins(values);
  const stats = valueStats(values);
  const unit = metric.unit === '' ? '' : ` ${metric.unit}`;
  const range = bins
    .map((bin) => `${formatMetricValue(bin.x0)} to ${formatMetricValue(bin.x1)}: ${bin.count}`)
    .join('; ');
  return (
    <div className="explore-metric">
      <div className="field">
        <label htmlFor={selectId}>Metric (final value per seed)</label>
        <select
          id={selectId}
          value={metric.name}
          onChange={(event) => {
            setChosen(event.currentTarget.value);
          }}
        >
          {metrics.map((each) => (
            <option key={each.name} value={each.name}>
              {titleOf(each)}
            </option>
          ))}
        </select>
      </div>
      {stats === null ? (
        <p className="muted hint">No seed recorded this metric.</p>
      ) : (
        <>
          <Histogram bins={bins} ariaLabel={`Seeds by ${titleOf(metric)}${unit}: ${range}`} />
          <p className="muted hint explore-stats">
            min {formatMetricValue(stats.min)}, median {formatMetricValue(stats.median)}, mean{' '}
            {formatMetricValue(stats.mean)}, max {formatMetricValue(stats.max)}
            {unit}
            {missing === 0 ? '' : ` (${missing} seeds without a value)`}
          </p>
        </>
      )}
    </div>
  );
}

function ViolatingSeeds({ seeds }: { readonly seeds: readonly SeedResult[] }) {
  const titleId = useId();
  if (seeds.length === 0) return null;
  return (
    <>
      <h3 id={titleId}>Seeds that violated an invariant</h3>
      <ul className="explore-seeds" aria-labelledby={titleId}>
        {seeds.slice(0, listedSeedsMax).map((result) => (
          <ViolatingSeed key={result.seed} result={result} />
        ))}
      </ul>
      <MoreLine count={seeds.length} />
    </>
  );
}

/**
 * One violating seed. "Open seed N" opens the run paused at its first violation (the load runs
 * every event at that microsecond, the violating one included), so the topology, the instrument
 * and the space-time diagram show the moment it broke; the time is written under the button
 * and is its accessible description.
 */
function ViolatingSeed({ result }: { readonly result: SeedResult }) {
  const controller = useController();
  const whereId = useId();
  const atUs = result.firstViolationUs;
  return (
    <li>
      <div className="explore-seed-head">
        <span className="mono">Seed {result.seed}</span>
        <button
          type="button"
          className="small"
          aria-describedby={whereId}
          onClick={() => {
            void controller.load(result.request, atUs ?? 0);
          }}
        >
          Open seed {result.seed}
        </button>
      </div>
      <p className="explore-violation">
        {[
          ...result.safetyViolated.map((id) => `${id} (safety)`),
          ...result.livenessMissed.map((id) => `${id} (liveness)`),
        ].join(', ')}
        {result.firstViolation === null ? null : (
          <span className="muted">: {result.firstViolation}</span>
        )}
      </p>
      <p id={whereId} className="muted explore-opens-at">
        {atUs === null
          ? 'Opens at the start of the run.'
          : `Opens paused at its first violation, ${formatSimTime(atUs)}.`}
      </p>
    </li>
  );
}

function MoreLine({ count }: { readonly count: number }) {
  if (count <= listedSeedsMax) return null;
  return <p className="muted hint">…and {count - listedSeedsMax} more.</p>;
}
