import { Simulation } from '../engine/simulation.ts';
import type { Variant } from '../engine/types.ts';
import type { RunRequest } from '../worker/protocol.ts';
import { encodeShareLink } from '../worker/shareLink.ts';
import { describeRun, requireScenario, type ScenarioCatalogue } from '../worker/runs.ts';
import { getExperiment } from './registry.ts';
import { type PointStats, pointStats } from './stats.ts';
import type { Experiment, Measures, RunSpec, SimulatedExperiment } from './types.ts';

/*
 * Planning an experiment into runs, running one, and putting the results together. A run is a
 * plain-data task (experiment id, x, series, seed), so a worker process or a web worker can run
 * it from the registry; results are put together in task order, whoever ran them, so the
 * numbers never depend on how the runs were spread.
 */

/** Most seeds per point. */
export const experimentSeedsMax = 200;

/** What to run: the experiment's values and duration unless a test narrows them. */
export interface ExperimentPlan {
  readonly experiment: Experiment;
  readonly seedCount: number;
  readonly values: readonly number[];
  /** Simulated duration of every run; null keeps each run's own. */
  readonly durationMs: number | null;
}

export function planExperiment(
  experiment: Experiment,
  options: {
    readonly seedCount?: number;
    readonly values?: readonly number[];
    readonly durationMs?: number;
  } = {},
): ExperimentPlan {
  return {
    experiment,
    seedCount: options.seedCount ?? experiment.defaultSeeds,
    values: options.values ?? experiment.x.values,
    durationMs: options.durationMs ?? null,
  };
}

/** One run of an experiment: plain data, so it crosses to a worker as is. */
export interface ExperimentTask {
  readonly experimentId: string;
  readonly x: number;
  readonly series: string;
  readonly seed: number;
  readonly durationMs: number | null;
}

/** What one run gives: its measures, and for a simulated run its fingerprint. */
export interface TaskResult {
  readonly measures: Measures;
  readonly traceHash: string | null;
  readonly events: number;
}

/** Every run of the plan, x by x, then series by series, then seed by seed (seeds 1…N). */
export function tasksOf(plan: ExperimentPlan): ExperimentTask[] {
  const tasks: ExperimentTask[] = [];
  for (const x of plan.values) {
    for (const series of plan.experiment.series) {
      for (let seed = 1; seed <= plan.seedCount; seed++) {
        tasks.push({
          experimentId: plan.experiment.id,
          x,
          series: series.id,
          seed,
          durationMs: plan.durationMs,
        });
      }
    }
  }
  return tasks;
}

/** The run a point makes, as a request the page or `sim run` accepts. */
export function requestOf(experiment: Experiment, x: number, series: string, seed: number) {
  const spec = experiment.runOf(x, series);
  const request: RunRequest = {
    scenarioId: experiment.scenarioId,
    seed,
    variant: spec.variant,
    params: spec.params,
    commands: [],
  };
  return { request, spec };
}

/** Runs one task: computes it, or simulates it and reads it with the experiment's probe. */
export function runTask(catalogue: ScenarioCatalogue, task: ExperimentTask): TaskResult {
  const experiment = getExperiment(task.experimentId);
  if (experiment === undefined) throw new Error(`There is no experiment "${task.experimentId}".`);
  if (experiment.kind === 'computed') {
    return {
      measures: experiment.compute(task.x, task.series, task.seed),
      traceHash: null,
      events: 0,
    };
  }
  return simulate(catalogue, experiment, task);
}

function simulate(
  catalogue: ScenarioCatalogue,
  experiment: SimulatedExperiment,
  task: ExperimentTask,
): TaskResult {
  const scenario = requireScenario(catalogue, experiment.scenarioId);
  const { request, spec } = requestOf(experiment, task.x, task.series, task.seed);
  // The run the page and `sim run` make from the same request (the host builds it alike).
  const sim = new Simulation(scenario, describeRun(scenario, request));
  const durationUs = Math.round((task.durationMs ?? spec.durationMs) * 1000);
  const probe = experiment.probe(task.x, task.series);
  const everyUs = probe.everyUs;
  if (everyUs !== null) {
    // Stopping at a time changes nothing in the run: the same events happen in the same order.
    for (let atUs = everyUs; atUs < durationUs; atUs += everyUs) {
      sim.runUntil(atUs);
      probe.sample(sim);
    }
  }
  sim.runUntil(durationUs);
  return { measures: probe.finish(sim), traceHash: sim.traceHash, events: sim.eventCount };
}

/** One point of a series: the y statistics, every measure's mean, and the run it stands for. */
export interface ExperimentPoint {
  readonly x: number;
  readonly y: PointStats;
  /** The y value of each seed, seed 1 first. */
  readonly values: readonly number[];
  /** Every measure's mean over the seeds. */
  readonly means: Measures;
  readonly run: {
    readonly scenario: string;
    readonly variant: Variant;
    readonly params: Readonly<Record<string, number>>;
    readonly durationMs: number;
    /** The seed-1 run: `sim run` with it reproduces the point's first value (simulated only). */
    readonly reproduce: string;
    /** The same run as a share link's fragment (`run=…`): the app opens it after `#/?`. */
    readonly link: string;
  };
}

export interface ExperimentResult {
  readonly experiment: {
    readonly id: string;
    readonly title: string;
    readonly kind: Experiment['kind'];
    readonly scenario: string;
    readonly scenarioVersion: number;
    readonly reproduces: string;
    readonly x: { readonly label: string; readonly unit: string };
    readonly y: { readonly label: string; readonly unit: string; readonly measure: string };
    readonly seeds: string;
  };
  readonly series: readonly {
    readonly id: string;
    readonly label: string;
    readonly points: readonly ExperimentPoint[];
  }[];
  readonly theory: readonly {
    readonly id: string;
    readonly label: string;
    readonly series: string | null;
    readonly points: readonly { readonly x: number; readonly y: number }[];
  }[];
}

/** The `sim run` command line of a point's run with `seed`. */
export function reproductionOf(experiment: Experiment, spec: RunSpec, seed: number): string {
  const parts = ['npm run sim -- run', experiment.scenarioId, `--seed ${seed}`];
  if (spec.variant === 'baseline') parts.push('--baseline');
  parts.push(`--duration-ms ${spec.durationMs}`);
  for (const [key, value] of Object.entries(spec.params)) parts.push(`--param ${key}=${value}`);
  return parts.join(' ');
}

/** The share link of a point's seed-1 run, at its end (where the measures were read). */
export function linkOf(experiment: Experiment, spec: RunSpec, scenarioVersion: number): string {
  return encodeShareLink(
    {
      scenarioId: experiment.scenarioId,
      scenarioVersion,
      seed: 1,
      variant: spec.variant,
      params: spec.params,
      commands: [],
    },
    spec.durationMs * 1000,
  );
}

/** Puts the results (in `tasksOf` order) together into points per series. */
export function resultOf(
  catalogue: ScenarioCatalogue,
  plan: ExperimentPlan,
  results: readonly TaskResult[],
): ExperimentResult {
  const { experiment, seedCount } = plan;
  const expected = plan.values.length * experiment.series.length * seedCount;
  if (results.length !== expected) {
    throw new Error(`Expected ${expected} run results, got ${results.length}.`);
  }
  const scenario = requireScenario(catalogue, experiment.scenarioId);
  const seriesCount = experiment.series.length;
  const series = experiment.series.map((each, seriesIndex) => ({
    id: each.id,
    label: each.label,
    points: plan.values.map((x, valueIndex) => {
      const first = (valueIndex * seriesCount + seriesIndex) * seedCount;
      const runs = results.slice(first, first + seedCount);
      const base = experiment.runOf(x, each.id);
      const spec = { ...base, durationMs: plan.durationMs ?? base.durationMs };
      return {
        x,
        y: pointStats(runs.map((run) => run.measures[experiment.y.measure] ?? NaN)),
        values: runs.map((run) => run.measures[experiment.y.measure] ?? NaN),
        means: meansOf(runs),
        run: {
          scenario: experiment.scenarioId,
          variant: spec.variant,
          params: spec.params,
          durationMs: spec.durationMs,
          reproduce: reproductionOf(experiment, spec, 1),
          link: linkOf(experiment, spec, scenario.version),
        },
      };
    }),
  }));
  return {
    experiment: {
      id: experiment.id,
      title: experiment.title,
      kind: experiment.kind,
      scenario: experiment.scenarioId,
      scenarioVersion: scenario.version,
      reproduces: experiment.reproduces,
      x: { label: experiment.x.label, unit: experiment.x.unit },
      y: { label: experiment.y.label, unit: experiment.y.unit, measure: experiment.y.measure },
      seeds: `1..${seedCount}`,
    },
    series,
    theory: experiment.theory.map((curve) => ({
      id: curve.id,
      label: curve.label,
      series: curve.series,
      points: plan.values.map((x) => ({ x, y: curve.at(x) })),
    })),
  };
}

/** Each measure's mean over the runs, in the first run's order of measures. */
function meansOf(runs: readonly TaskResult[]): Measures {
  const names = Object.keys(runs[0]?.measures ?? {});
  return Object.fromEntries(
    names.map((name) => [name, pointStats(runs.map((run) => run.measures[name] ?? NaN)).mean]),
  );
}
