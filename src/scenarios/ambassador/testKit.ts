import type { NodeId, RecordedCommand, ScenarioModel } from '../../engine/types.ts';
import type { Simulation } from '../../engine/simulation.ts';
import { paramsWithDefaults, type RunSpec, startRun, withWrappedRole } from '../testing/runKit.ts';
import {
  type AmbassadorFlaws,
  type AmbassadorState,
  makeAmbassadorBehaviour,
} from './ambassador.ts';
import { ambassador } from './model.ts';
import { ambassadorParams } from './params.ts';
import { ambassadorRole, remoteId } from './protocol.ts';
import { storylineOff } from './storyline.ts';
import { ambassadorsOf, arrivalsTotal, issuedTotal } from './world.ts';

export {
  invariantOf as invariant,
  metricCountOf as metricCount,
  metricOf as metric,
  reproduction,
  runFor,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it, and read
 * results from the world, the metrics, the invariants and the trace.
 */

export interface RunOptions extends RunSpec {
  /** A model with deliberately broken behaviours (tests that prove an invariant can fail). */
  readonly model?: ScenarioModel;
}

/**
 * A run without the storyline's scheduled overload unless the test's parameters ask for it: the
 * tests here are about what they inject themselves (storyline.test.ts covers the storyline).
 */
export function start(seed: number, options: RunOptions = {}): Simulation {
  const params = { ...storylineOff, ...options.params };
  return startRun(options.model ?? ambassador, seed, { ...options, params });
}

export const sliceUs = 10_000;

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(ambassadorParams, params);
}

/** Safety violations of every safety invariant, summed. */
export function safetyViolations(sim: Simulation): number {
  return sim
    .invariantResults()
    .filter((each) => each.kind === 'safety')
    .reduce((total, each) => total + each.violations, 0);
}

/** The scenario with its ambassadors replaced by a deliberately broken implementation. */
export function brokenModel(flaws: AmbassadorFlaws): ScenarioModel {
  const broken = makeAmbassadorBehaviour(flaws);
  return withWrappedRole(ambassador, ambassadorRole, () => broken);
}

/** A scenario fault on every remote instance at `atUs`. */
export function onEveryRemote(
  atUs: number,
  fault: string,
  args: Readonly<Record<string, number>> = {},
  remoteCount = ambassadorParams.remoteCount.default,
): RecordedCommand[] {
  return Array.from({ length: remoteCount }, (_, index) => ({
    atUs,
    command: { type: 'scenario.fault', fault, node: remoteId(index), args },
  }));
}

/** Requests issued by the apps and calls that reached the remotes, as the world shows now. */
export function loadCounters(sim: Simulation): { issued: number; arrivals: number } {
  return { issued: issuedTotal(sim), arrivals: arrivalsTotal(sim) };
}

/** The ambassador's state (throws when it is down). */
export function ambassadorState(sim: Simulation, id: NodeId): AmbassadorState {
  const state = ambassadorsOf(sim).find((each) => each.id === id)?.state;
  if (state === null || state === undefined) throw new Error(`${id} is down`);
  return state;
}
