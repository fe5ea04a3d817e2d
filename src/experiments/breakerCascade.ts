import { circuitBreakerParams } from '../scenarios/circuit-breaker/params.ts';
import { finalOf, metricProbe } from './metricProbe.ts';
import type { SimulatedExperiment } from './types.ts';

/*
 * The Circuit Breaker's cascade against the length of the dependency's incident, with the
 * breaker and without (the baseline: plain timeouts). The incident slows the dependency 20×
 * from 10 s on; without a breaker the service's workers all wait on it, its queue fills and its
 * own clients fail (the cascade); with the breaker (and its fallback, the scenario's default)
 * the calls are refused at once while it is open. Measured: client requests that failed (a
 * Failure answer or a client timeout) over the run, which lasts 20 s past the incident.
 */

const incidentStartS = 10;
const recoveryTailS = 20;
/** The scenario's default load: 2 clients × 20 requests per second. */
const clientRequestsPerS =
  circuitBreakerParams.clientCount.default * circuitBreakerParams.requestRatePerSecond.default;

export const breakerCascade: SimulatedExperiment = {
  kind: 'simulated',
  id: 'breaker-cascade',
  title: 'Circuit Breaker: the cascade against incident length',
  summary:
    'The dependency works 20× slower for L seconds from 10 s on; each run lasts until 20 s after ' +
    'the incident. Measured: client requests that failed (Failure or client timeout), with the ' +
    'breaker (fallback on, the default) and without (plain timeouts). Without the breaker the ' +
    'failures grow with the incident; with it they stay at what it takes to open and to probe.',
  reproduces:
    'Nygard, Release It! (2nd ed., 2018), "Circuit Breaker": a breaker stops a slow ' +
    'dependency from exhausting its caller’s threads; without it the failure cascades.',
  scenarioId: 'circuit-breaker',
  x: { label: 'incident length', unit: 's', values: [5, 10, 20, 30, 45, 60] },
  y: { label: 'client requests failed', unit: 'requests', measure: 'failed' },
  series: [
    { id: 'breaker', label: 'with breaker' },
    { id: 'no-breaker', label: 'without breaker (baseline)' },
  ],
  alsoShown: [
    { measure: 'requests', label: 'requests' },
    { measure: 'rejections', label: 'rejected by service' },
    { measure: 'fallbacks', label: 'fallbacks' },
  ],
  defaultSeeds: 5,
  theory: [
    {
      // [1] The naive model of a full cascade: nothing gets through while the incident lasts.
      id: 'every-request-in-incident',
      label: 'λL (all fail)',
      series: 'no-breaker',
      at: (lengthS) => clientRequestsPerS * lengthS,
    },
  ],
  runOf(x, series) {
    return {
      variant: series === 'breaker' ? 'pattern' : 'baseline',
      params: { incidentStartS, incidentLengthS: x },
      durationMs: (incidentStartS + x + recoveryTailS) * 1000,
    };
  },
  probe: () =>
    metricProbe((sim) => {
      const success = finalOf(sim, 'client-success');
      return {
        // The share failed times the requests settled: a count, exact to rounding.
        failed: Math.round(success.count * (1 - success.value)),
        requests: success.count,
        rejections: finalOf(sim, 'service-rejections').value,
        fallbacks: finalOf(sim, 'fallbacks').value,
      };
    }),
};

/*
 * Notes
 *
 * [1] During the incident the dependency serves 4 calls at a time at 20 × 20 ms, about 10 calls
 *     a second, against 40 requests a second: without a breaker the service's 8 workers and its
 *     queue fill within a second, and nearly every request until the incident ends times out or
 *     is rejected, so the failures approach λL (Nygard's cascading failure). The few that get
 *     through keep the measured count a little under it.
 */
