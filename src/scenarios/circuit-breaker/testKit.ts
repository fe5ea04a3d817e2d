import { percentile } from '../../engine/metrics.ts';
import type { Simulation } from '../../engine/simulation.ts';
import type { Command, ScenarioModel } from '../../engine/types.ts';
import { paramsWithDefaults, type RunSpec, runUntilMet, startRun } from '../testing/runKit.ts';
import { closeBoundUs } from './invariants.ts';
import { circuitBreaker } from './model.ts';
import { circuitBreakerParams } from './params.ts';
import { dependencyId, serviceId } from './world.ts';

export {
  at,
  invariantOf as invariant,
  meanOf,
  metricOf as metric,
  notesOf,
  reproduction,
  runFor,
  samplesOf,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it, and read
 * results from the world, the metrics, the invariants and the trace.
 */

export interface RunOptions extends RunSpec {
  /** Another model with the same id (a deliberately broken service, for the safety test). */
  readonly model?: ScenarioModel;
  /** Trace events kept for reading (the engine keeps the last 20,000 by default). */
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  return startRun(options.model ?? circuitBreaker, seed, options);
}

export const sliceUs = 10_000;

/** Runs in slices until `isMet` holds; whether it did within `limitMs`. */
export function runUntil(sim: Simulation, isMet: () => boolean, limitMs: number): boolean {
  return runUntilMet(sim, isMet, limitMs, sliceUs);
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(circuitBreakerParams, params);
}

/** The liveness bound for these parameters, in ms (what the scenario itself promises). */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return closeBoundUs(defaultsWith(params)) / 1000;
}

/** A dependency fault as a command. */
export function dependencyFault(fault: string, args: Record<string, number> = {}): Command {
  return { type: 'scenario.fault', fault, node: dependencyId, args };
}

/** A service control as a command. */
export function serviceControl(control: string): Command {
  return { type: 'scenario.fault', fault: control, node: serviceId, args: {} };
}

/** A percentile of some samples, the way the engine computes metric finals. */
export function percentileOf(values: readonly number[], fraction: number): number {
  return percentile(values, fraction);
}
