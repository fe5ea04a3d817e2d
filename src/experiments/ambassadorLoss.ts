import { pow } from '../engine/detMath.ts';
import { finalOf, metricProbe } from './metricProbe.ts';
import type { SimulatedExperiment } from './types.ts';

/*
 * The Ambassador's success rate against WAN loss, with retries and without. The loss parameter
 * is round-trip loss p (a call and its reply both arrive with probability 1 − p, README), so one
 * attempt succeeds with 1 − p and k independent attempts with 1 − p^k [1]. To compare with that,
 * the retry budget is off (it would cap retries at a share of requests), the storyline's
 * overload is off (the remote stays healthy) and the request deadline is long enough for every
 * attempt and backoff. Notes [n] are at the end of the file.
 */

const seriesRetries = 'retries';
const seriesSingle = 'no-retries';
const attemptsWithRetries = 4;
/** Four tries of 250 ms and three backoffs of at most 100, 200 and 400 ms fit in 3 s. */
const deadlineMs = 3000;
const runMs = 60_000;

export const ambassadorLoss: SimulatedExperiment = {
  kind: 'simulated',
  id: 'ambassador-loss',
  title: 'Ambassador: success against WAN loss, with and without retries',
  summary:
    'Two apps call a remote across a lossy WAN through their ambassadors for 60 s. With ' +
    `retries the ambassador makes up to ${attemptsWithRetries} attempts (per-try timeout 250 ms, ` +
    'exponential backoff with full jitter, no retry budget); without, one attempt. Measured: ' +
    'the share of app requests answered with success. Theory: 1 − p for one attempt, 1 − p⁴ ' +
    'for four independent attempts.',
  reproduces:
    'Retries against independent loss: k attempts fail together with probability p^k (the ' +
    'reasoning behind exponential backoff and retries in the AWS Builders’ Library, "Timeouts, ' +
    'retries, and backoff with jitter", 2019).',
  scenarioId: 'ambassador',
  x: { label: 'WAN round-trip loss', unit: '%', values: [0, 10, 20, 30, 40, 50, 60, 70] },
  y: { label: 'requests answered with success', unit: 'ratio', measure: 'success' },
  series: [
    { id: seriesRetries, label: `retries (${attemptsWithRetries} attempts)` },
    { id: seriesSingle, label: 'no retries (1 attempt)' },
  ],
  alsoShown: [
    { measure: 'requests', label: 'requests' },
    { measure: 'attemptsPerRequest', label: 'attempts/request' },
  ],
  defaultSeeds: 5,
  theory: [
    {
      id: 'one-minus-p-to-the-k',
      label: `1 − p^${attemptsWithRetries}`,
      series: seriesRetries,
      at: (percent) => 1 - pow(percent / 100, attemptsWithRetries),
    },
    { id: 'one-minus-p', label: '1 − p', series: seriesSingle, at: (percent) => 1 - percent / 100 },
  ],
  runOf(x, series) {
    return {
      variant: 'pattern',
      params: {
        wanLossPercent: x,
        maxAttempts: series === seriesRetries ? attemptsWithRetries : 1,
        isRetryBudgetOn: 0,
        overloadStartS: 0,
        requestTimeoutMs: deadlineMs,
      },
      durationMs: runMs,
    };
  },
  probe: () =>
    metricProbe((sim) => {
      const success = finalOf(sim, 'app-success');
      return {
        success: success.value,
        requests: success.count,
        attemptsPerRequest: finalOf(sim, 'attempts-per-request').value,
      };
    }),
};

/*
 * Notes
 *
 * [1] The scenario drops each direction independently with 1 − √(1 − p) (links.ts), so an
 *     attempt's fate is independent of the others'; the instances are healthy and far from full,
 *     so nothing else fails. The retries choose instances the request has not tried, which does
 *     not matter when every instance's link loses alike.
 */
