import { describe, expect, it } from 'vitest';
import { strategyConsistent, strategyModN } from '../scenarios/sharding/placement.ts';
import { runHeadless } from '../worker/headless.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { keySamplingSd, keysMoved, movedShare } from './keysMoved.ts';
import { requestOf, planExperiment, resultOf, runTask, tasksOf } from './run.ts';

const shardCounts = [2, 3, 4, 5, 6, 7];
/** Three standard deviations: a deterministic check that still fails on a wrong formula. */
const tolerance = 3;

describe('keys moved when a shard joins', () => {
  const plan = planExperiment(keysMoved);
  const result = resultOf(
    scenarioCatalogue,
    plan,
    tasksOf(plan).map((task) => runTask(scenarioCatalogue, task)),
  );
  const seriesOf = (id: string) => result.series.find((series) => series.id === id)?.points ?? [];

  it('moves N/(N+1) of the keys with hash mod N, within the sampling error of the keys, N = 2…7', () => {
    const points = seriesOf('mod-n');
    expect(points.map((point) => point.x)).toEqual(shardCounts);
    for (const point of points) {
      const theory = point.x / (point.x + 1);
      expect(Math.abs(point.y.mean - theory), `N = ${point.x}`).toBeLessThan(
        tolerance * keySamplingSd(theory),
      );
    }
  });

  it('moves 1/(N+1) with consistent hashing, averaged over ring layouts, N = 2…7', () => {
    for (const point of seriesOf('consistent')) {
      const theory = 1 / (point.x + 1);
      const standardError = point.y.sd / Math.sqrt(point.y.n);
      expect(standardError, `N = ${point.x}`).toBeGreaterThan(0);
      expect(Math.abs(point.y.mean - theory), `N = ${point.x}`).toBeLessThan(
        tolerance * standardError,
      );
      // And nearer its own theory than mod N's: the strategies are told apart at every N.
      const midway = (theory + point.x / (point.x + 1)) / 2;
      expect(point.y.mean).toBeLessThan(midway);
    }
  });

  it('gives the same shares for a fixed seed set (pinned)', () => {
    const pinned = shardCounts.map((n) => [
      movedShare(n, strategyModN, 1),
      movedShare(n, strategyConsistent, 1),
      movedShare(n, strategyConsistent, 2),
    ]);
    expect(pinned).toEqual([
      [0.661, 0.361, 0.367],
      [0.73, 0.304, 0.22],
      [0.811, 0.203, 0.218],
      [0.822, 0.123, 0.157],
      [0.853, 0.149, 0.174],
      [0.875, 0.12, 0.12],
    ]);
  });

  it("equals the scenario's own moved-keys metric for seed 1, the run each point opens", () => {
    for (const series of ['mod-n', 'consistent']) {
      for (const n of [2, 5]) {
        const { request, spec } = requestOf(keysMoved, n, series, 1);
        const summary = runHeadless(scenarioCatalogue, request, spec.durationMs * 1000);
        const metric = summary.metrics.find((each) => each.name === 'moved-keys');
        const rebalances = summary.metrics.find((each) => each.name === 'rebalances');
        expect(rebalances?.value, `${series} N = ${n}`).toBe(1);
        expect(metric?.value, `${series} N = ${n}`).toBe(keysMoved.compute(n, series, 1)['moved']);
      }
    }
  });
});
