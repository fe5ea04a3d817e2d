import { SimError } from '../engine/errors.ts';
import type { Checkpoint } from '../engine/checkpoint.ts';
import { Simulation } from '../engine/simulation.ts';
import type { RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import type { RunRequest } from '../worker/protocol.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { checkOriginal, describeInput } from './checks.ts';
import { ShrinkError } from './errors.ts';

/**
 * "From when on was it bound to fail?" A violating run is forked at evenly spaced moments before
 * its violation; each fork keeps everything up to that moment (the same events, the same faults)
 * and is run on many times with the dice rolled afresh after it (`redrawRandomness`) and no
 * further scripted faults. The share of those runs that still break the same invariant, plotted
 * against the fork time, rises to 1 where the failure became inevitable. Notes [n] at the end.
 */

export interface InevitableInput {
  /** The violating run, as the page or a link describes it. */
  readonly run: RunRequest;
  /** How long each run may go on to break the invariant (µs): the original's length. */
  readonly durationUs: number;
  /** The safety invariant; by default the one the run violates first. */
  readonly invariantId?: string;
  /** Fork moments before the violation (evenly spaced from 0); default `forksDefault`. */
  readonly forks?: number;
  /** Runs per fork, each with its own roll of the dice; default `trialsDefault`. */
  readonly trials?: number;
}

export const forksDefault = 16;
export const trialsDefault = 24;
export const forksMax = 200;
export const trialsMax = 1000;

/** One point of the curve: of `trials` runs forked at `forkUs`, `violated` broke the invariant. */
export interface ForkPoint {
  readonly forkUs: number;
  readonly trials: number;
  readonly violated: number;
}

export interface InevitableProgress {
  /** The points measured so far, in fork time order. */
  readonly points: readonly ForkPoint[];
  readonly runs: number;
  readonly runsTotal: number;
  /** Forks in all, the violation's included. */
  readonly forksTotal: number;
}

export interface InevitableResult {
  readonly invariant: { readonly id: string; readonly description: string };
  /** When the original run first broke it. */
  readonly violationUs: number;
  /** Every fork, in time order; the last is at the violation itself. */
  readonly points: readonly ForkPoint[];
  /**
   * The earliest fork from which every run broke it, at that fork and every later one: from
   * there on it was bound to happen (at the latest, the violation itself).
   */
  readonly inevitableFromUs: number;
  readonly runs: number;
}

/** The fork moments: `forks` evenly spaced from 0 up to before the violation, then the violation. */
export function forkTimes(violationUs: number, forks: number): number[] {
  const times = new Set<number>();
  for (let index = 0; index < forks; index++) times.add(Math.floor((violationUs * index) / forks));
  times.add(violationUs);
  return [...times].sort((a, b) => a - b);
}

/**
 * [1] The order forks are measured in: the violation first, then coarse to fine (0, the middle,
 * the quarters…), so the curve's shape shows early and sharpens as the results stream in.
 */
export function measuringOrder(count: number): number[] {
  const order = [count - 1];
  const seen = new Set(order);
  for (let step = count; step >= 1; step = Math.floor(step / 2)) {
    for (let index = 0; index < count - 1; index += step) {
      if (!seen.has(index)) {
        seen.add(index);
        order.push(index);
      }
    }
    if (step === 1) break;
  }
  return order;
}

/** The earliest fork from which every fork's runs all broke the invariant. */
export function inevitableFrom(points: readonly ForkPoint[]): number {
  let from = points[points.length - 1]?.forkUs ?? 0;
  for (let index = points.length - 1; index >= 0; index--) {
    const point = points[index] as ForkPoint;
    if (point.violated !== point.trials) break;
    from = point.forkUs;
  }
  return from;
}

function countIn(name: string, value: number | undefined, fallback: number, max: number): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new ShrinkError(
      'bad-run',
      `${name} must be a whole number from 1 to ${max}; got ${count}.`,
    );
  }
  return count;
}

/** Whether a run forked from `checkpoint`, redrawn with `salt`, breaks the invariant in time. */
function breaks(
  scenario: Scenario,
  checkpoint: Checkpoint,
  salt: number,
  durationUs: number,
  index: number,
): boolean {
  const sim = Simulation.fromCheckpoint(scenario, checkpoint);
  sim.redrawRandomness(salt);
  // Stops after any violation's event, so the loop looks at the target's after each.
  sim.isStoppingOnViolation = true;
  for (;;) {
    if (sim.invariantResults()[index]?.firstViolation != null) return true;
    if (sim.nowUs >= durationUs) return false;
    sim.runUntil(durationUs);
  }
}

/** The run up to `forkUs` with the faults scheduled up to then and none after. [2] */
function prefixAt(scenario: Scenario, run: RunDescription, forkUs: number): Simulation {
  const commands = run.commands.filter((entry) => entry.atUs <= forkUs);
  const sim = new Simulation(scenario, { ...run, commands });
  sim.runUntil(forkUs);
  return sim;
}

/**
 * The search, one run per step: yields progress before every run and returns the curve. Throws a
 * ShrinkError when the input cannot be used (no such invariant, no violation).
 */
export function* inevitability(
  catalogue: ScenarioCatalogue,
  input: InevitableInput,
): Generator<InevitableProgress, InevitableResult> {
  const forks = countIn('The number of forks', input.forks, forksDefault, forksMax);
  const trials = countIn('The number of runs per fork', input.trials, trialsDefault, trialsMax);
  const { scenario, run } = describeInput(catalogue, input.run);
  const { invariant, violation } = checkOriginal(
    scenario,
    run,
    input.durationUs,
    input.invariantId,
  );
  const index = scenario.invariants.findIndex((each) => each.id === invariant.id);
  const times = forkTimes(violation.timeUs, forks);
  const measured: (ForkPoint | null)[] = times.map(() => null);
  const runsTotal = times.length * trials;
  let runs = 0;
  const progress = (): InevitableProgress => ({
    points: measured.filter((point): point is ForkPoint => point !== null),
    runs,
    runsTotal,
    forksTotal: times.length,
  });
  try {
    for (const at of measuringOrder(times.length)) {
      const forkUs = times[at] as number;
      const checkpoint = prefixAt(scenario, run, forkUs).checkpoint();
      let violated = 0;
      for (let trial = 1; trial <= trials; trial++) {
        yield progress();
        if (breaks(scenario, checkpoint, trial, input.durationUs, index)) violated++;
        runs++;
      }
      measured[at] = { forkUs, trials, violated };
    }
  } catch (error) {
    if (error instanceof SimError) throw new ShrinkError('bad-run', error.message);
    throw error;
  }
  const points = measured.filter((point): point is ForkPoint => point !== null);
  return {
    invariant: { id: invariant.id, description: invariant.description },
    violationUs: violation.timeUs,
    points,
    inevitableFromUs: inevitableFrom(points),
    runs,
  };
}

/** How a search is watched and stopped (as `shrink`'s). */
export interface InevitableOptions {
  readonly onProgress?: (progress: InevitableProgress) => void;
  readonly isCancelled?: () => boolean;
}

/** Stopped on request: the runs done and the points measured until then. */
export class InevitableCancelledError extends ShrinkError {
  constructor(readonly progress: InevitableProgress) {
    super('cancelled', `Stopped after ${String(progress.runs)} runs.`);
    this.name = 'InevitableCancelledError';
  }
}

/**
 * `inevitable` that awaits `pause` between runs (by default a macrotask), so a worker can take a
 * cancel message while it measures.
 */
export async function inevitableAsync(
  catalogue: ScenarioCatalogue,
  input: InevitableInput,
  options: InevitableOptions & { readonly pause?: () => Promise<void> } = {},
): Promise<InevitableResult> {
  const pause =
    options.pause ??
    (() =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, 0);
      }));
  const search = inevitability(catalogue, input);
  for (let next = search.next(); ; next = search.next()) {
    if (next.done === true) return next.value;
    await pause();
    if (options.isCancelled?.() === true) throw new InevitableCancelledError(next.value);
    options.onProgress?.(next.value);
  }
}

/** The curve, in this thread. Throws a ShrinkError when it cannot, or when cancelled. */
export function inevitable(
  catalogue: ScenarioCatalogue,
  input: InevitableInput,
  options: InevitableOptions = {},
): InevitableResult {
  const search = inevitability(catalogue, input);
  for (let next = search.next(); ; next = search.next()) {
    if (next.done === true) return next.value;
    if (options.isCancelled?.() === true) throw new InevitableCancelledError(next.value);
    options.onProgress?.(next.value);
  }
}

/*
 * Notes
 *
 * [1] Antithesis calls this the moment a bug became inevitable and finds it the same way, by
 *     branching a failing history and replaying the branches with new randomness. Each fork's
 *     point is a binomial estimate: with 24 runs, a point of 1 means every run broke; the picture
 *     and the CLI show the counts, not only the share.
 * [2] "The same faults up to it": the scripted faults (a person's or a chaos schedule's) after a
 *     fork are left out, so a failure that needs a later fault shows as not yet inevitable
 *     before that fault; the randomness after the fork (latencies, losses, timer jitter, the
 *     scenario's own draws) is rolled afresh with the run's salt 1, 2, 3… per fork.
 */
