import type { Simulation } from '../engine/simulation.ts';
import type { Variant } from '../engine/types.ts';

/*
 * What an experiment is: one scenario, fixed parameters, one parameter swept over values, each
 * value run with every seed of a seed set, in one or more series (the pattern and its baseline,
 * retries on and off…). Every run gives a few named numbers (its measures); one of them is the
 * figure's y. The theory curves, where there is a theory, are computed here too, so the figure
 * and `sim experiment --json` print the same numbers.
 */

/** Named numbers one run gives: `y` is the one drawn; the others are reported beside it. */
export type Measures = Readonly<Record<string, number>>;

/** One line of the figure: a label and what makes it differ from the other lines. */
export interface Series {
  readonly id: string;
  readonly label: string;
}

/** A curve from theory, drawn over the measured points. */
export interface TheoryCurve {
  readonly id: string;
  readonly label: string;
  /** The series it predicts, or null for one that stands alone. */
  readonly series: string | null;
  readonly at: (x: number) => number;
}

/** The swept parameter and the measured quantity, as the figure's axes name them. */
export interface Axis {
  readonly label: string;
  readonly unit: string;
}

/** What every experiment describes, whether it simulates or computes its runs. */
interface ExperimentBase {
  readonly id: string;
  readonly title: string;
  /** One paragraph: what is swept, what is measured, and what the theory predicts. */
  readonly summary: string;
  /** The published result it reproduces, with its source. */
  readonly reproduces: string;
  readonly scenarioId: string;
  readonly x: Axis & { readonly values: readonly number[] };
  readonly y: Axis & { readonly measure: string };
  readonly series: readonly Series[];
  readonly defaultSeeds: number;
  readonly theory: readonly TheoryCurve[];
  /** Other measures worth a column in the text output (mean over the seeds), with labels. */
  readonly alsoShown: readonly { readonly measure: string; readonly label: string }[];
}

/** The run one point of a simulated experiment makes with one seed. */
export interface RunSpec {
  readonly variant: Variant;
  readonly params: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

/**
 * Reads a run while it goes and when it ends. `everyUs` asks for `sample` at every multiple of
 * it (time averages, such as the number of requests in a queue); null samples nothing.
 */
export interface Probe {
  readonly everyUs: number | null;
  sample(sim: Simulation): void;
  finish(sim: Simulation): Measures;
}

/** Every point is a run of the scenario, measured by a probe made afresh for each run. */
export interface SimulatedExperiment extends ExperimentBase {
  readonly kind: 'simulated';
  runOf(x: number, series: string): RunSpec;
  probe(x: number, series: string): Probe;
}

/**
 * Every point is a pure computation on the scenario's own exported functions, for a quantity
 * its runs do not vary (where keys live is a function of the placement, not of the run).
 */
export interface ComputedExperiment extends ExperimentBase {
  readonly kind: 'computed';
  compute(x: number, series: string, seed: number): Measures;
  /** The scenario run the seed-1 point stands for, so it can be opened and watched. */
  runOf(x: number, series: string): RunSpec;
}

export type Experiment = SimulatedExperiment | ComputedExperiment;
