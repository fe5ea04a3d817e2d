import { describe, expect, it } from 'vitest';
import { runHeadless } from '../worker/headless.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { mD1TimeInShardMs, mD1WaitMs, queueing } from './queueing.ts';
import {
  type ExperimentPlan,
  planExperiment,
  requestOf,
  resultOf,
  runTask,
  tasksOf,
} from './run.ts';

function run(plan: ExperimentPlan) {
  return resultOf(
    scenarioCatalogue,
    plan,
    tasksOf(plan).map((task) => runTask(scenarioCatalogue, task)),
  );
}

/** The tolerance for the mean time in shard against Pollaczek–Khinchine. */
const pkTolerance = 0.002;
/** Little's law: the time average of the count against λW, both measured. */
const littleTolerance = 0.005;

describe('a shard as an M/D/1 queue', () => {
  it('P–K gives the formula for deterministic service', () => {
    // ρ = 0.5, μ = 100/s: Wq = 0.5 / (2 · 100 · 0.5) s = 5 ms, W = 15 ms.
    expect(mD1WaitMs(0.5)).toBeCloseTo(5, 12);
    expect(mD1TimeInShardMs(0.5)).toBeCloseTo(15, 12);
  });

  it('has a mean time in shard within 0.2% of P–K at the utilisation its arrivals gave, and Little holds', () => {
    const result = run(planExperiment(queueing, { seedCount: 4, values: [0.3, 0.5, 0.7] }));
    for (const point of result.series[0]?.points ?? []) {
      const {
        timeInShard = NaN,
        pkTimeInShard = NaN,
        meanInShard = NaN,
        littleLambdaW = NaN,
      } = point.means;
      expect(Math.abs(timeInShard / pkTimeInShard - 1), `ρ = ${point.x}`).toBeLessThan(pkTolerance);
      expect(Math.abs(meanInShard / littleLambdaW - 1), `ρ = ${point.x}`).toBeLessThan(
        littleTolerance,
      );
      // The asked-for utilisation is what the runs got, within Poisson noise.
      expect(Math.abs((point.means['utilisation'] ?? NaN) / point.x - 1)).toBeLessThan(0.02);
      expect(point.means['rejected']).toBe(0);
    }
  });

  it('never fills the bounded queue, even at ρ = 0.9, so it stays M/D/1', () => {
    const result = run(planExperiment(queueing, { seedCount: 1, values: [0.9] }));
    const point = result.series[0]?.points[0];
    expect(point?.means['rejected']).toBe(0);
    expect(point?.means['served']).toBeGreaterThan(25_000);
    const { meanInShard = NaN, littleLambdaW = NaN } = point?.means ?? {};
    expect(Math.abs(meanInShard / littleLambdaW - 1)).toBeLessThan(littleTolerance);
  });

  it('gives the same waits for a fixed seed set (pinned)', () => {
    const result = run(
      planExperiment(queueing, { seedCount: 2, values: [0.2, 0.8], durationMs: 20_000 }),
    );
    expect(result.series[0]?.points.map((point) => point.values)).toEqual([
      [1.478160804020101, 1.2494427860696522],
      [14.820688579017265, 17.596550470219434],
    ]);
  });

  it('reads the run without changing it: the same trace as a headless run of the request', () => {
    const { request } = requestOf(queueing, 0.5, 'shard', 3);
    const durationMs = 5_000;
    const sampled = runTask(scenarioCatalogue, {
      experimentId: queueing.id,
      x: 0.5,
      series: 'shard',
      seed: 3,
      durationMs,
    });
    const headless = runHeadless(scenarioCatalogue, request, durationMs * 1000);
    expect(sampled.traceHash).toBe(headless.traceHash);
    expect(sampled.events).toBe(headless.events);
  });
});
