import type { Simulation } from '../../engine/simulation.ts';
import type { NodeId } from '../../engine/types.ts';
import {
  paramsWithDefaults,
  reproduction as reproductionLine,
  type RunSpec,
  runUntilMet,
  startRun,
} from '../testing/runKit.ts';
import { leaderElected } from './invariants.ts';
import { leaderElection } from './model.ts';
import { leaderElectionParams } from './params.ts';
import { storylineOff } from './storyline.ts';
import { membersOf, usableLeader } from './world.ts';

export { invariantOf as invariant, metricOf as metric, runFor } from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until
 * something happens, and read results from the world, the metrics, the invariants and the trace.
 */

export const members: readonly NodeId[] = ['n1', 'n2', 'n3', 'n4', 'n5'];

export type RunOptions = RunSpec;

/**
 * A run without the storyline's freeze unless the test asks for it (`withStoryline`, or its
 * own `freezeAtS`): the mechanism's tests break things by hand and need a quiet cluster.
 */
export function start(
  seed: number,
  options: RunOptions & { readonly withStoryline?: boolean } = {},
): Simulation {
  const { withStoryline = false, ...spec } = options;
  const params = withStoryline ? spec.params : { ...storylineOff, ...spec.params };
  return startRun(leaderElection, seed, params === undefined ? spec : { ...spec, params });
}

export const sliceUs = 5_000;

/** Runs in small slices until a usable leader exists; its id, or null after `limitMs`. */
export function runUntilLeader(sim: Simulation, limitMs: number): NodeId | null {
  runUntilMet(sim, (world) => usableLeader(world) !== null, limitMs, sliceUs);
  return usableLeader(sim);
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(leaderElectionParams, params);
}

/** The liveness bound for these parameters, in ms (what the scenario itself promises). */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return leaderElected.boundUs(defaultsWith(params)) / 1000;
}

export function termOf(sim: Simulation, id: NodeId): number {
  return membersOf(sim).find((member) => member.id === id)?.term ?? -1;
}

/** Summary labels a node took on after `sinceUs`, read from the trace. */
export function labelsSince(sim: Simulation, id: NodeId, sinceUs: number): string[] {
  const index = sim.node(id).index;
  return sim.trace
    .since(0)
    .filter(
      (event) => event.type === 'node.state' && event.node === index && event.timeUs > sinceUs,
    )
    .map((event) => event.label.split('|')[0] ?? '');
}

/** One line that replays a run: paste it into a RunDescription (or the CLI's fault file). */
export function reproduction(sim: Simulation): string {
  return reproductionLine(sim, { withParams: false });
}
