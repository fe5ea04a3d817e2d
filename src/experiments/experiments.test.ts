import { describe, expect, it } from 'vitest';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { ambassadorLoss } from './ambassadorLoss.ts';
import { breakerCascade } from './breakerCascade.ts';
import { experiments, getExperiment } from './registry.ts';
import { type ExperimentPlan, planExperiment, resultOf, runTask, tasksOf } from './run.ts';
import { pointStats } from './stats.ts';
import type { FromExperimentWorker } from './messages.ts';
import { handleExperimentMessage } from './workerRunner.ts';
import { Simulation } from '../engine/simulation.ts';
import { decodeShareLink } from '../worker/shareLink.ts';
import { describeRun, requireScenario } from '../worker/runs.ts';
import { requestOf } from './run.ts';

function run(plan: ExperimentPlan) {
  return resultOf(
    scenarioCatalogue,
    plan,
    tasksOf(plan).map((task) => runTask(scenarioCatalogue, task)),
  );
}

function pointsOf(result: ReturnType<typeof run>, series: string) {
  return result.series.find((each) => each.id === series)?.points ?? [];
}

describe('the experiment registry', () => {
  it('lists each experiment once, on a registered scenario, with its measure and theory series', () => {
    expect(new Set(experiments.map((each) => each.id)).size).toBe(experiments.length);
    for (const experiment of experiments) {
      expect(getExperiment(experiment.id)).toBe(experiment);
      expect(scenarioCatalogue.get(experiment.scenarioId), experiment.id).toBeDefined();
      const seriesIds = experiment.series.map((each) => each.id);
      for (const curve of experiment.theory) {
        if (curve.series !== null) expect(seriesIds, curve.id).toContain(curve.series);
      }
    }
  });

  it('lays tasks out x by x, series by series, seed by seed, and points put them back', () => {
    const plan = planExperiment(breakerCascade, { seedCount: 2, values: [5, 10] });
    const tasks = tasksOf(plan);
    expect(tasks.map((task) => `${task.x}/${task.series}/${task.seed}`)).toEqual([
      '5/breaker/1',
      '5/breaker/2',
      '5/no-breaker/1',
      '5/no-breaker/2',
      '10/breaker/1',
      '10/breaker/2',
      '10/no-breaker/1',
      '10/no-breaker/2',
    ]);
    // Fake results numbered by task: each point must get its own two.
    const result = resultOf(
      scenarioCatalogue,
      plan,
      tasks.map((_, index) => ({ measures: { failed: index }, traceHash: null, events: 0 })),
    );
    expect(pointsOf(result, 'breaker').map((point) => point.values)).toEqual([
      [0, 1],
      [4, 5],
    ]);
    expect(pointsOf(result, 'no-breaker').map((point) => point.values)).toEqual([
      [2, 3],
      [6, 7],
    ]);
    expect(pointsOf(result, 'no-breaker')[0]?.run.reproduce).toBe(
      'npm run sim -- run circuit-breaker --seed 1 --baseline --duration-ms 35000 --param incidentStartS=10 --param incidentLengthS=5',
    );
  });

  it('gives every point a run its scenario accepts, and a share link that opens it', () => {
    for (const experiment of experiments) {
      const scenario = requireScenario(scenarioCatalogue, experiment.scenarioId);
      const plan = planExperiment(experiment, { seedCount: 1 });
      const tasks = tasksOf(plan);
      const result = resultOf(
        scenarioCatalogue,
        plan,
        tasks.map(() => ({ measures: {}, traceHash: null, events: 0 })),
      );
      for (const task of tasks) {
        const { request } = requestOf(experiment, task.x, task.series, 1);
        // Building the simulation checks every parameter against its bounds.
        expect(
          () => new Simulation(scenario, describeRun(scenario, request)),
          `${experiment.id} ${task.x} ${task.series}`,
        ).not.toThrow();
      }
      for (const series of result.series) {
        for (const point of series.points) {
          const decoded = decodeShareLink(point.run.link, scenarioCatalogue);
          expect(decoded.ok && decoded.notes, `${experiment.id} ${point.x}`).toEqual([]);
          if (!decoded.ok) continue;
          expect(decoded.shared.request).toMatchObject({
            scenarioId: experiment.scenarioId,
            seed: 1,
            variant: point.run.variant,
            params: point.run.params,
          });
          expect(decoded.shared.positionUs).toBe(point.run.durationMs * 1000);
        }
      }
    }
  });

  it('summarises a point: mean, sample sd and the t interval', () => {
    const stats = pointStats([1, 2, 3, 4]);
    expect(stats.mean).toBe(2.5);
    expect(stats.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(stats.ci95).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 12);
    expect(pointStats([7])).toMatchObject({ mean: 7, sd: 0, ci95: 0 });
  });
});

describe('the experiment worker', () => {
  const answers = (message: Parameters<typeof handleExperimentMessage>[1]) => {
    const replies: FromExperimentWorker[] = [];
    handleExperimentMessage(scenarioCatalogue, message, (reply) => replies.push(reply));
    return replies;
  };

  it('lists every experiment with its runs per seed', () => {
    const [reply] = answers({ type: 'list' });
    expect(reply?.type === 'list' ? reply.experiments.map((each) => each.id) : []).toEqual(
      experiments.map((each) => each.id),
    );
    const keys = reply?.type === 'list' ? reply.experiments[0] : undefined;
    expect(keys?.runsPerSeed).toBe(12);
  });

  it('reports progress after every run, then the result', () => {
    const replies = answers({ type: 'run', experimentId: 'keys-moved', seedCount: 2 });
    expect(replies.filter((reply) => reply.type === 'progress')).toHaveLength(24);
    expect(replies.at(-2)).toEqual({ type: 'progress', done: 24, total: 24 });
    const last = replies.at(-1);
    expect(last?.type === 'result' ? last.result.experiment.seeds : null).toBe('1..2');
  });

  it('answers a request it cannot run with one sentence', () => {
    expect(answers({ type: 'run', experimentId: 'nope', seedCount: 2 })).toEqual([
      { type: 'failed', message: 'There is no experiment "nope".' },
    ]);
    expect(answers({ type: 'run', experimentId: 'queueing', seedCount: 0.5 })).toEqual([
      { type: 'failed', message: 'Seeds must be a whole number from 1 to 200.' },
    ]);
  });
});

describe('Ambassador: success against WAN loss', () => {
  const result = run(
    planExperiment(ambassadorLoss, { seedCount: 2, values: [20, 50], durationMs: 20_000 }),
  );

  it('follows 1 − p without retries and 1 − p⁴ with them, within the binomial error', () => {
    for (const curve of result.theory) {
      for (const point of pointsOf(result, curve.series ?? '')) {
        const theory = curve.points.find((each) => each.x === point.x)?.y ?? NaN;
        const requests = (point.means['requests'] ?? 0) * point.y.n;
        const sd = Math.sqrt((theory * (1 - theory)) / requests);
        expect(requests).toBeGreaterThan(1000);
        expect(Math.abs(point.y.mean - theory), `${curve.id} at ${point.x}%`).toBeLessThan(
          4 * sd + 0.002,
        );
      }
    }
    // Retries are what tells the two series apart.
    const [withRetries, without] = [pointsOf(result, 'retries'), pointsOf(result, 'no-retries')];
    expect(withRetries[1]?.y.mean).toBeGreaterThan((without[1]?.y.mean ?? 1) + 0.3);
  });

  it('gives the same success rates for a fixed seed set (pinned)', () => {
    expect(result.series.map((series) => series.points.map((point) => point.values))).toEqual([
      [
        [0.9987029831387808, 1],
        [0.9501312335958005, 0.9353562005277045],
      ],
      [
        [0.7963683527885862, 0.8002594033722439],
        [0.5077720207253886, 0.5078125],
      ],
    ]);
  });
});

describe('Circuit Breaker: the cascade against incident length', () => {
  const result = run(planExperiment(breakerCascade, { seedCount: 1, values: [5, 30] }));
  const withBreaker = pointsOf(result, 'breaker');
  const without = pointsOf(result, 'no-breaker');

  it('cascades without the breaker, nearly every request of the incident failing, and not with it', () => {
    for (const [index, point] of without.entries()) {
      const allFail = result.theory[0]?.points[index]?.y ?? NaN;
      expect(point.y.mean, `L = ${point.x}`).toBeGreaterThan(0.75 * allFail);
      expect(point.y.mean, `L = ${point.x}`).toBeLessThanOrEqual(allFail);
      expect(withBreaker[index]?.y.mean, `L = ${point.x}`).toBeLessThan(0.2 * point.y.mean);
    }
    // The breaker's failures do not grow with the incident: they are the price of opening.
    expect(withBreaker[1]?.y.mean).toBeLessThanOrEqual((withBreaker[0]?.y.mean ?? 0) + 5);
    expect(withBreaker[1]?.means['fallbacks']).toBeGreaterThan(
      withBreaker[0]?.means['fallbacks'] ?? 0,
    );
  });

  it('gives the same counts for a fixed seed set (pinned)', () => {
    expect(result.series.map((series) => series.points.map((point) => point.values))).toEqual([
      [[18], [18]],
      [[165], [1153]],
    ]);
  });
});
