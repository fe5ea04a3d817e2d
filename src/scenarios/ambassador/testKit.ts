import type { InvariantResult } from '../../engine/invariants.ts';
import { Simulation } from '../../engine/simulation.ts';
import type { NodeId, RecordedCommand, ScenarioModel, Variant } from '../../engine/types.ts';
import {
  type AmbassadorFlaws,
  type AmbassadorState,
  makeAmbassadorBehaviour,
} from './ambassador.ts';
import { ambassador } from './model.ts';
import { ambassadorParams } from './params.ts';
import { ambassadorRole, remoteId } from './protocol.ts';
import { ambassadorsOf, arrivalsTotal, issuedTotal } from './world.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it, and read
 * results from the world, the metrics, the invariants and the trace.
 */

export interface RunOptions {
  readonly variant?: Variant;
  readonly params?: Readonly<Record<string, number>>;
  readonly commands?: readonly RecordedCommand[];
  /** A model with deliberately broken behaviours (tests that prove an invariant can fail). */
  readonly model?: ScenarioModel;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  const model = options.model ?? ambassador;
  return new Simulation(model, {
    scenarioId: model.id,
    scenarioVersion: model.version,
    seed,
    variant: options.variant ?? 'pattern',
    params: options.params ?? {},
    commands: options.commands ?? [],
  });
}

export const sliceUs = 10_000;

export function runFor(sim: Simulation, ms: number): void {
  sim.runUntil(sim.nowUs + ms * 1000);
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, spec] of Object.entries(ambassadorParams)) values[key] = spec.default;
  return { ...values, ...params };
}

export function invariant(sim: Simulation, id: string): InvariantResult {
  const result = sim.invariantResults().find((each) => each.id === id);
  if (result === undefined) throw new Error(`no invariant ${id}`);
  return result;
}

export function metric(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.value ?? 0;
}

export function metricCount(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.count ?? 0;
}

/** Safety violations of every safety invariant, summed. */
export function safetyViolations(sim: Simulation): number {
  return sim
    .invariantResults()
    .filter((each) => each.kind === 'safety')
    .reduce((total, each) => total + each.violations, 0);
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

/** The scenario with its ambassadors replaced by a deliberately broken implementation. */
export function brokenModel(flaws: AmbassadorFlaws): ScenarioModel {
  const broken = makeAmbassadorBehaviour(flaws);
  return {
    ...ambassador,
    topology(params, variant) {
      const topology = ambassador.topology(params, variant);
      return {
        ...topology,
        nodes: topology.nodes.map((node) =>
          node.role === ambassadorRole ? { ...node, behaviour: broken } : node,
        ),
      };
    },
  };
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
