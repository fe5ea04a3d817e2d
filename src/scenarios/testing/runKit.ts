import type { InvariantResult } from '../../engine/invariants.ts';
import type { MetricFinal } from '../../engine/metrics.ts';
import { defaultSimulationOptions, Simulation } from '../../engine/simulation.ts';
import type {
  Behaviour,
  Command,
  NodeId,
  RecordedCommand,
  ScenarioModel,
  Variant,
  WorldView,
} from '../../engine/types.ts';
import type { TourStep } from '../define.ts';

/**
 * Helpers every scenario's test kit shares: start a run by seed and command log, run it for a
 * while or until something holds, walk a guided tour, and read results from the metrics, the
 * invariants and the trace. Plain functions over a `Simulation`; each scenario's `testKit.ts`
 * binds its own model, slice and defaults.
 */

/** What a test run is described by, besides its model and seed; every field has a default. */
export interface RunSpec {
  /** `'pattern'` when absent. */
  readonly variant?: Variant;
  /** Parameter overrides; the scenario's defaults for the rest. */
  readonly params?: Readonly<Record<string, number>>;
  /** The command log to replay. */
  readonly commands?: readonly RecordedCommand[];
}

/** How `startRun` starts a run. */
export interface StartOptions extends RunSpec {
  /** Trace events kept for reading (the engine's default when absent). */
  readonly traceWindowMax?: number;
  /** The scenario the run description names, when it is not `model` (e.g. a wrapped copy). */
  readonly scenario?: Pick<ScenarioModel, 'id' | 'version'>;
}

/** A new simulation of `model` from `seed` and the options' variant, params and commands. */
export function startRun(
  model: ScenarioModel,
  seed: number,
  options: StartOptions = {},
): Simulation {
  const scenario = options.scenario ?? model;
  const traceWindowMax = options.traceWindowMax;
  return new Simulation(
    model,
    {
      scenarioId: scenario.id,
      scenarioVersion: scenario.version,
      seed,
      variant: options.variant ?? 'pattern',
      params: options.params ?? {},
      commands: options.commands ?? [],
    },
    traceWindowMax === undefined
      ? defaultSimulationOptions
      : { ...defaultSimulationOptions, traceWindowMax },
  );
}

/** Runs `ms` milliseconds of simulated time. */
export function runFor(sim: Simulation, ms: number): void {
  sim.runUntil(sim.nowUs + ms * 1000);
}

/**
 * Runs in slices of `sliceUs` (never past `limitMs` from now) until `isMet` holds; whether it
 * did within `limitMs`.
 */
export function runUntilMet(
  sim: Simulation,
  isMet: (world: WorldView) => boolean,
  limitMs: number,
  sliceUs: number,
): boolean {
  const endUs = sim.nowUs + limitMs * 1000;
  for (;;) {
    if (isMet(sim)) return true;
    if (sim.nowUs >= endUs) return false;
    sim.runUntil(Math.min(endUs, sim.nowUs + sliceUs));
  }
}

/** Every parameter's default from `specs`, with `overrides` on top. */
export function paramsWithDefaults(
  specs: Readonly<Record<string, { readonly default: number }>>,
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) values[key] = spec.default;
  return { ...values, ...overrides };
}

/** The result of the invariant `id`; throws when the scenario has none by that id. */
export function invariantOf(sim: Simulation, id: string): InvariantResult {
  const result = sim.invariantResults().find((each) => each.id === id);
  if (result === undefined) throw new Error(`no invariant ${id}`);
  return result;
}

/** Safety invariants with at least one violation. */
export function violatedSafetyInvariants(sim: Simulation): InvariantResult[] {
  return sim.invariantResults().filter((each) => each.kind === 'safety' && each.violations > 0);
}

/** A metric's final value (by its aggregate); 0 when never recorded or not declared. */
export function metricOf(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.value ?? 0;
}

/** How many samples a metric got; 0 when not declared. */
export function metricCountOf(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.count ?? 0;
}

/** A metric's final; throws when the scenario declares no metric by that name. */
export function declaredMetricFinal(sim: Simulation, name: string): MetricFinal {
  const found = sim.metricFinals().find((each) => each.name === name);
  if (found === undefined) throw new Error(`no metric ${name}`);
  return found;
}

/** A metric's final value; 0 when never recorded, throws when not declared. */
export function declaredMetricOf(sim: Simulation, name: string): number {
  return declaredMetricFinal(sim, name).value ?? 0;
}

/** Samples of a metric recorded in [fromUs, toUs), read from the kept trace window. */
export function samplesOf(sim: Simulation, name: string, fromUs = 0, toUs = Infinity): number[] {
  return sim
    .traceEvents(0)
    .filter(
      (event) =>
        event.type === 'metric.sampled' &&
        event.label === name &&
        event.timeUs >= fromUs &&
        event.timeUs < toUs,
    )
    .map((event) => event.value);
}

/** The mean of some samples (NaN for none). */
export function meanOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Trace notes (annotations) of a node after `sinceUs`, oldest first. */
export function notesOf(sim: Simulation, id: NodeId, sinceUs = 0): string[] {
  const index = sim.node(id).index;
  return sim
    .traceEvents(0)
    .filter(
      (event) => event.type === 'note.added' && event.node === index && event.timeUs > sinceUs,
    )
    .map((event) => event.label);
}

/** A command at a time in ms (hand-written fault file style: no event index). */
export function at(ms: number, command: Command): RecordedCommand {
  return { atUs: ms * 1000, command };
}

/**
 * One line that replays a run: paste it into a RunDescription (or the CLI's fault file). With
 * `withParams: false` the line leaves the parameters out.
 */
export function reproduction(sim: Simulation, { withParams = true } = {}): string {
  const run = sim.describe();
  return JSON.stringify(
    withParams
      ? { seed: run.seed, variant: run.variant, params: run.params, commands: run.commands }
      : { seed: run.seed, variant: run.variant, commands: run.commands },
  );
}

/** A copy of `model` (same id) whose nodes of `role` run `wrap(behaviour)` instead. */
export function withWrappedRole(
  model: ScenarioModel,
  role: string,
  wrap: (behaviour: Behaviour) => Behaviour,
): ScenarioModel {
  return {
    ...model,
    topology(params, variant) {
      const topology = model.topology(params, variant);
      return {
        ...topology,
        nodes: topology.nodes.map((node) =>
          node.role === role ? { ...node, behaviour: wrap(node.behaviour) } : node,
        ),
      };
    },
  };
}

/** How `walkTour` paces the tour. */
export interface TourPace {
  /** Simulated time the learner spends reading each step before its actions, in ms. */
  readonly readingMs: number;
  /** Slice the run advances by while a step waits for its condition. */
  readonly sliceUs: number;
  /** Called for each step after the reading time, before its actions are applied. */
  readonly onStepStart?: (step: TourStep, sim: Simulation) => void;
}

/**
 * Walks a guided tour as a learner would: for each step, runs for the reading time, applies the
 * step's actions, then runs in slices until its wait is met or its timeout passes. Returns one
 * outcome per step with a wait, in order: `"<id>: met"` or `"<id>: timed out"`.
 */
export function walkTour(sim: Simulation, steps: readonly TourStep[], pace: TourPace): string[] {
  return walkTourTimed(sim, steps, pace).outcomes;
}

/** When a step started (after its reading time) and when its wait was met (-1: never, or none). */
export interface TourStepTimes {
  readonly startUs: number;
  readonly metUs: number;
}

/** `walkTour`, also saying when each step started and when its wait was met, by step id. */
export function walkTourTimed(
  sim: Simulation,
  steps: readonly TourStep[],
  { readingMs, sliceUs, onStepStart }: TourPace,
): { outcomes: string[]; times: Map<string, TourStepTimes> } {
  const outcomes: string[] = [];
  const times = new Map<string, TourStepTimes>();
  for (const step of steps) {
    runFor(sim, readingMs); // the learner reads the narration while the run goes on
    onStepStart?.(step, sim);
    const startUs = sim.nowUs;
    for (const command of step.actions?.(sim) ?? []) sim.apply(command);
    const wait = step.waitFor;
    if (wait === undefined) {
      times.set(step.id, { startUs, metUs: -1 });
      continue;
    }
    const endUs = sim.nowUs + wait.timeoutMs * 1000;
    while (!wait.isMet(sim) && sim.nowUs < endUs) sim.runUntil(sim.nowUs + sliceUs);
    const isMet = wait.isMet(sim);
    times.set(step.id, { startUs, metUs: isMet ? sim.nowUs : -1 });
    outcomes.push(`${step.id}: ${isMet ? 'met' : 'timed out'}`);
  }
  return { outcomes, times };
}
