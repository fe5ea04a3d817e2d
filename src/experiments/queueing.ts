import type { Simulation } from '../engine/simulation.ts';
import { finalOf } from './metricProbe.ts';
import type { ShardState } from '../scenarios/sharding/shardState.ts';
import type { Measures, Probe, SimulatedExperiment } from './types.ts';

/*
 * Queueing delay against utilisation for one shard of the Sharding scenario, with the M/D/1
 * curve. Why the shard is an M/D/1 queue here, from its code (shard.ts, client.ts): clients send
 * open-loop Poisson streams, whose sum is Poisson; each message's link delay is an independent
 * draw (links let messages overtake), and independently displaced Poisson arrivals are still
 * Poisson [1]; the shard serves one request at a time, first come first served, each for exactly
 * the service time (a whole number of microseconds); and with one active shard every key is its
 * own, so no request is forwarded or handed off. What is not M/D/1: the queue is bounded (200
 * here, so a full queue is out of reach below ρ = 0.9 [2]), and the run starts empty. Notes [n]
 * are at the end of the file.
 */

const shard = 's1';
const serviceTimeMs = 10;
const serviceRatePerS = 1000 / serviceTimeMs;
const runMs = 300_000;
/** How often the number of requests in the shard is read, for its time average (L). */
const sampleEveryUs = 5_000;

/** [3] Pollaczek–Khinchine for deterministic service: Wq = ρ / (2μ(1 − ρ)), in ms. */
export function mD1WaitMs(utilisation: number): number {
  return (utilisation / (2 * serviceRatePerS * (1 - utilisation))) * 1000;
}

/** Mean time in the shard, waiting and in service: W = Wq + 1/μ, in ms. */
export function mD1TimeInShardMs(utilisation: number): number {
  return mD1WaitMs(utilisation) + serviceTimeMs;
}

/** The request rate that loads the shard to `utilisation`: λ = ρμ. */
function requestRateOf(utilisation: number): number {
  return Math.round(utilisation * serviceRatePerS);
}

function shardStateOf(sim: Simulation): ShardState | null {
  const node = sim.node(shard);
  return node.status === 'up' ? (node.state as ShardState) : null;
}

/** Reads the shard's counters at the end and the number of requests in it every 5 ms. */
function shardProbe(): Probe {
  let samples = 0;
  let inShard = 0;
  let busy = 0;
  return {
    everyUs: sampleEveryUs,
    sample(sim) {
      const state = shardStateOf(sim);
      if (state === null) return;
      const isBusy = state.busy === null ? 0 : 1;
      samples++;
      inShard += state.queue.length + isBusy;
      busy += isBusy;
    },
    finish(sim): Measures {
      const state = shardStateOf(sim);
      const served = state?.served ?? 0;
      const seconds = sim.nowUs / 1_000_000;
      const timeInShardMs = served > 0 ? (state?.timeInShardUs ?? 0) / served / 1000 : 0;
      const arrivalRate = (state?.arrivals ?? 0) / seconds;
      const meanInShard = samples > 0 ? inShard / samples : 0;
      // [5] The utilisation this run's arrivals gave, and P–K at it.
      const utilisation = arrivalRate / serviceRatePerS;
      const pkTimeInShard = mD1TimeInShardMs(utilisation);
      return {
        wait: timeInShardMs - serviceTimeMs,
        timeInShard: timeInShardMs,
        pkTimeInShard,
        pkGap: timeInShardMs / pkTimeInShard - 1,
        served,
        rejected: finalOf(sim, 'rejected').value,
        utilisation,
        arrivalRate,
        busyShare: samples > 0 ? busy / samples : 0,
        meanInShard,
        // [4] Little's law: L = λW. Its two sides are measured apart: L as a time average of
        // the count in the shard, λ and W from the shard's own counters.
        littleLambdaW: arrivalRate * (timeInShardMs / 1000),
      };
    },
  };
}

export const queueing: SimulatedExperiment = {
  kind: 'simulated',
  id: 'queueing',
  title: 'Queueing delay against utilisation (M/D/1)',
  summary:
    'One shard holds every key and serves each request in exactly 10 ms; the clients’ Poisson ' +
    'request rate sets its utilisation ρ = λ × 10 ms. Measured: the mean wait in its queue ' +
    '(time in shard minus the service time) over a 300 s run. Theory: Pollaczek–Khinchine for ' +
    'M/D/1, Wq = ρ/(2μ(1−ρ)). Also reported: mean time in shard, the arrival rate, the busy ' +
    'share, P–K at the utilisation the run’s arrivals gave, and both sides of Little’s law ' +
    '(time-average count in shard, and λW).',
  reproduces:
    'The Pollaczek–Khinchine mean-value formula for the M/D/1 queue (Kleinrock, Queueing ' +
    'Systems vol. 1, 1975, §5.5) and Little’s law L = λW (Little, Operations Research 9(3), 1961).',
  scenarioId: 'sharding',
  x: {
    label: 'utilisation ρ',
    unit: 'ratio',
    values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  },
  y: { label: 'mean wait in queue', unit: 'ms', measure: 'wait' },
  series: [{ id: 'shard', label: `shard ${shard}` }],
  alsoShown: [
    { measure: 'timeInShard', label: 'W (ms)' },
    { measure: 'pkTimeInShard', label: 'P–K W at run ρ (ms)' },
    { measure: 'utilisation', label: 'run ρ' },
    { measure: 'meanInShard', label: 'L' },
    { measure: 'littleLambdaW', label: 'λW' },
  ],
  defaultSeeds: 10,
  theory: [{ id: 'pollaczek-khinchine', label: 'M/D/1 (P–K)', series: 'shard', at: mD1WaitMs }],
  runOf(x) {
    return {
      variant: 'pattern',
      params: {
        shardPoolSize: 2,
        initialShards: 1,
        storylineStartS: 0,
        keyDistribution: 0,
        requestRate: requestRateOf(x),
        serviceTimeMs,
        queueCapacity: 200,
        requestTimeoutMs: 10_000,
      },
      durationMs: runMs,
    };
  },
  probe: shardProbe,
};

/*
 * Notes
 *
 * [1] The displacement theorem: moving each point of a Poisson process by an independent,
 *     identically distributed delay gives a Poisson process of the same rate (Kingman, Poisson
 *     Processes, 1993, §5.2). The scenario's links draw each message's latency independently.
 * [2] The M/D/1 queue length has a geometric tail; at ρ = 0.9 the chance of 200 requests in
 *     the shard is below 10⁻¹⁵, so the bound never rejects (the tests check `rejected` is 0).
 * [3] Kleinrock, Queueing Systems vol. 1 (1975), eq. 5.73 with the service time's second moment
 *     x̄² = (1/μ)² for constant service.
 * [4] Little (1961). Over a finite run it holds up to the requests still inside at the end;
 *     the time average is read at 5 ms steps, an unbiased estimate of it for a stationary queue.
 * [5] A run's arrivals are a Poisson draw, so its utilisation misses the one asked for by about
 *     √(λT)/(λT); near ρ = 1 the wait is steep in ρ (dW/dρ = 1/(2μ(1−ρ)²)), and that miss, not
 *     the queue, dominates the gap to the curve. P–K at the run's own utilisation removes it.
 */
