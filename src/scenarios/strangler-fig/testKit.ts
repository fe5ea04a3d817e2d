import type { InvariantResult } from '../../engine/invariants.ts';
import {
  defaultSimulationOptions,
  Simulation,
  type SimulationOptions,
} from '../../engine/simulation.ts';
import type {
  Command,
  NodeId,
  RecordedCommand,
  ScenarioModel,
  Variant,
} from '../../engine/types.ts';
import { buggyReleaseFault, fixReleaseControl } from './backend.ts';
import { moveAllControl, moveRouteControl, setRouteControl } from './controls.ts';
import { stranglerFig } from './model.ts';
import { errorBudget } from './monitor.ts';
import { stranglerFigParams } from './params.ts';
import { facadeId, newServiceId } from './protocol.ts';
import { clientsOf } from './world.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, build the scenario's
 * commands, run until something happens, and read results from the world, the metrics, the
 * invariants and the trace.
 */

export interface RunOptions {
  readonly variant?: Variant;
  readonly params?: Readonly<Record<string, number>>;
  readonly commands?: readonly RecordedCommand[];
  /** Another model (a deliberately broken one) with the same id and parameters. */
  readonly model?: ScenarioModel;
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  const model = options.model ?? stranglerFig;
  const simOptions: SimulationOptions = {
    ...defaultSimulationOptions,
    traceWindowMax: options.traceWindowMax ?? defaultSimulationOptions.traceWindowMax,
  };
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
    simOptions,
  );
}

export const sliceUs = 10_000;

export function runFor(sim: Simulation, ms: number): void {
  sim.runUntil(sim.nowUs + ms * 1000);
}

/** Runs in small slices until `isMet`; true when it was met within `limitMs`. */
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
  for (const [key, spec] of Object.entries(stranglerFigParams)) values[key] = spec.default;
  return { ...values, ...params };
}

/** The error budget the SLO allows over one budget period, in failed requests. */
export function budgetRequests(params: Readonly<Record<string, number>> = {}): number {
  const values = defaultsWith(params);
  return errorBudget({ params: values }, values.clientCount ?? 0);
}

export function invariant(sim: Simulation, id: string): InvariantResult {
  const result = sim.invariantResults().find((each) => each.id === id);
  if (result === undefined) throw new Error(`no invariant ${id}`);
  return result;
}

export function safetyViolations(sim: Simulation): InvariantResult[] {
  return sim.invariantResults().filter((each) => each.kind === 'safety' && each.violations > 0);
}

export function metric(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.value ?? 0;
}

/** Client-visible failures so far, summed over clients. */
export function clientFailures(sim: Simulation): number {
  return clientsOf(sim).reduce((sum, client) => sum + (client.state?.bad ?? 0), 0);
}

/** Notes (annotations) in the kept trace window containing `text`, with their times. */
export function notes(sim: Simulation, text: string): { timeUs: number; label: string }[] {
  return sim.trace
    .since(0)
    .filter((event) => event.type === 'note.added' && event.label.includes(text))
    .map((event) => ({ timeUs: event.timeUs, label: event.label }));
}

/** Messages of `type` sent to `to` after `sinceUs`, read from the kept trace window. */
export function messagesTo(sim: Simulation, to: NodeId, type: string, sinceUs: number): number {
  const index = sim.node(to).index;
  return sim.trace
    .since(0)
    .filter(
      (event) =>
        event.type === 'message.sent' &&
        event.peer === index &&
        event.label === type &&
        event.timeUs > sinceUs,
    ).length;
}

// ---- Commands ------------------------------------------------------------------------------

export function setRoute(route: number, sharePct: number, shadow = 0): Command {
  return {
    type: 'scenario.fault',
    fault: setRouteControl,
    node: facadeId,
    args: { route: route + 1, sharePct, shadow },
  };
}

export function moveRoute(route: number): Command {
  return {
    type: 'scenario.fault',
    fault: moveRouteControl,
    node: facadeId,
    args: { route: route + 1 },
  };
}

export function moveAll(): Command {
  return { type: 'scenario.fault', fault: moveAllControl, node: facadeId };
}

export function buggyRelease(route: number, errorRatePct: number, wrongRatePct = 0): Command {
  return {
    type: 'scenario.fault',
    fault: buggyReleaseFault,
    node: newServiceId(route),
    args: { errorRatePct, wrongRatePct },
  };
}

export function fixRelease(route: number): Command {
  return { type: 'scenario.fault', fault: fixReleaseControl, node: newServiceId(route) };
}

export function at(ms: number, command: Command): RecordedCommand {
  return { atUs: ms * 1000, command };
}

/** One line that replays a run: paste it into a RunDescription (or the CLI's fault file). */
export function reproduction(sim: Simulation): string {
  const run = sim.describe();
  return JSON.stringify({ seed: run.seed, variant: run.variant, commands: run.commands });
}
