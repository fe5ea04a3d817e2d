import type { InvariantResult } from '../../engine/invariants.ts';
import { Simulation } from '../../engine/simulation.ts';
import type { NodeId, RecordedCommand, Variant } from '../../engine/types.ts';
import { leaderElected } from './invariants.ts';
import { leaderElection } from './model.ts';
import { leaderElectionParams } from './params.ts';
import { membersOf, usableLeader } from './world.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until
 * something happens, and read results from the world, the metrics, the invariants and the trace.
 */

export const members: readonly NodeId[] = ['n1', 'n2', 'n3', 'n4', 'n5'];

export interface RunOptions {
  readonly variant?: Variant;
  readonly params?: Readonly<Record<string, number>>;
  readonly commands?: readonly RecordedCommand[];
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  return new Simulation(leaderElection, {
    scenarioId: leaderElection.id,
    scenarioVersion: leaderElection.version,
    seed,
    variant: options.variant ?? 'pattern',
    params: options.params ?? {},
    commands: options.commands ?? [],
  });
}

export const sliceUs = 5_000;

export function runFor(sim: Simulation, ms: number): void {
  sim.runUntil(sim.nowUs + ms * 1000);
}

/** Runs in small slices until a usable leader exists; its id, or null after `limitMs`. */
export function runUntilLeader(sim: Simulation, limitMs: number): NodeId | null {
  const endUs = sim.nowUs + limitMs * 1000;
  for (;;) {
    const leader = usableLeader(sim);
    if (leader !== null || sim.nowUs >= endUs) return leader;
    sim.runUntil(Math.min(endUs, sim.nowUs + sliceUs));
  }
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, spec] of Object.entries(leaderElectionParams)) values[key] = spec.default;
  return { ...values, ...params };
}

/** The liveness bound for these parameters, in ms (what the scenario itself promises). */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return leaderElected.boundUs(defaultsWith(params)) / 1000;
}

export function invariant(sim: Simulation, id: string): InvariantResult {
  const result = sim.invariantResults().find((each) => each.id === id);
  if (result === undefined) throw new Error(`no invariant ${id}`);
  return result;
}

export function metric(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.value ?? 0;
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
  const run = sim.describe();
  return JSON.stringify({ seed: run.seed, variant: run.variant, commands: run.commands });
}
