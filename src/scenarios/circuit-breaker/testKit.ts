import type { InvariantResult } from '../../engine/invariants.ts';
import { percentile } from '../../engine/metrics.ts';
import { defaultSimulationOptions, Simulation } from '../../engine/simulation.ts';
import type { Command, RecordedCommand, ScenarioModel, Variant } from '../../engine/types.ts';
import { closeBoundUs } from './invariants.ts';
import { circuitBreaker } from './model.ts';
import { circuitBreakerParams } from './params.ts';
import { dependencyId, serviceId } from './world.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it, and read
 * results from the world, the metrics, the invariants and the trace.
 */

export interface RunOptions {
  readonly variant?: Variant;
  readonly params?: Readonly<Record<string, number>>;
  readonly commands?: readonly RecordedCommand[];
  /** Another model with the same id (a deliberately broken service, for the safety test). */
  readonly model?: ScenarioModel;
  /** Trace events kept for reading (the engine keeps the last 20,000 by default). */
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  const model = options.model ?? circuitBreaker;
  return new Simulation(
    model,
    {
      scenarioId: model.id,
      scenarioVersion: model.version,
      seed,
      variant: options.variant ?? 'pattern',
      params: options.params ?? {},
      commands: options.commands ?? [],
    },
    {
      ...defaultSimulationOptions,
      traceWindowMax: options.traceWindowMax ?? defaultSimulationOptions.traceWindowMax,
    },
  );
}

export const sliceUs = 10_000;

export function runFor(sim: Simulation, ms: number): void {
  sim.runUntil(sim.nowUs + ms * 1000);
}

/** Runs in slices until `isMet` holds; whether it did within `limitMs`. */
export function runUntil(sim: Simulation, isMet: () => boolean, limitMs: number): boolean {
  const endUs = sim.nowUs + limitMs * 1000;
  for (;;) {
    if (isMet()) return true;
    if (sim.nowUs >= endUs) return false;
    sim.runUntil(Math.min(endUs, sim.nowUs + sliceUs));
  }
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, spec] of Object.entries(circuitBreakerParams)) values[key] = spec.default;
  return { ...values, ...params };
}

/** The liveness bound for these parameters, in ms (what the scenario itself promises). */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return closeBoundUs(defaultsWith(params)) / 1000;
}

export function invariant(sim: Simulation, id: string): InvariantResult {
  const result = sim.invariantResults().find((each) => each.id === id);
  if (result === undefined) throw new Error(`no invariant ${id}`);
  return result;
}

/** A metric's final value (by its aggregate); 0 when never recorded. */
export function metric(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.value ?? 0;
}

/** A dependency fault as a command. */
export function dependencyFault(fault: string, args: Record<string, number> = {}): Command {
  return { type: 'scenario.fault', fault, node: dependencyId, args };
}

/** A service control as a command. */
export function serviceControl(control: string): Command {
  return { type: 'scenario.fault', fault: control, node: serviceId, args: {} };
}

/** A command at a time in ms (hand-written fault file style: no event index). */
export function at(ms: number, command: Command): RecordedCommand {
  return { atUs: ms * 1000, command };
}

/** Trace notes (annotations) of a node after `sinceUs`, oldest first. */
export function notesOf(sim: Simulation, id: string, sinceUs = 0): string[] {
  const index = sim.node(id).index;
  return sim
    .traceEvents(0)
    .filter(
      (event) => event.type === 'note.added' && event.node === index && event.timeUs > sinceUs,
    )
    .map((event) => event.label);
}

/** One line that replays a run: paste it into a RunDescription (or the CLI's fault file). */
export function reproduction(sim: Simulation): string {
  const run = sim.describe();
  return JSON.stringify({
    seed: run.seed,
    variant: run.variant,
    params: run.params,
    commands: run.commands,
  });
}

/**
 * Samples of a metric recorded in [fromUs, toUs), read from the trace (each sample is a
 * `metric.sampled` event): a metric over a window of the run rather than the whole run. The
 * run needs a trace window that still holds them (`traceWindowMax`).
 */
export function samplesOf(sim: Simulation, name: string, fromUs: number, toUs: number): number[] {
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

/** A percentile of some samples, the way the engine computes metric finals. */
export function percentileOf(values: readonly number[], fraction: number): number {
  return percentile(values, fraction);
}
