import type { Simulation } from '../../engine/simulation.ts';
import type { Command, NodeId, ScenarioModel } from '../../engine/types.ts';
import {
  paramsWithDefaults,
  reproduction as reproductionLine,
  type RunSpec,
  runUntilMet,
  startRun,
} from '../testing/runKit.ts';
import { buggyReleaseFault, fixReleaseControl } from './backend.ts';
import { moveAllControl, moveRouteControl, setRouteControl } from './controls.ts';
import { stranglerFig } from './model.ts';
import { errorBudget } from './monitor.ts';
import { stranglerFigParams } from './params.ts';
import { facadeId, newServiceId } from './protocol.ts';
import { clientsOf } from './world.ts';

export {
  at,
  invariantOf as invariant,
  metricOf as metric,
  runFor,
  violatedSafetyInvariants as safetyViolations,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, build the scenario's
 * commands, run until something happens, and read results from the world, the metrics, the
 * invariants and the trace.
 */

export interface RunOptions extends RunSpec {
  /** Another model (a deliberately broken one) with the same id and parameters. */
  readonly model?: ScenarioModel;
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  return startRun(options.model ?? stranglerFig, seed, options);
}

export const sliceUs = 10_000;

/** The storyline (storyline.ts) turned off: the operator-less run of version 1. */
export const storylineOff: Readonly<Record<string, number>> = { planStartS: 0 };

/** Runs in small slices until `isMet`; true when it was met within `limitMs`. */
export function runUntil(sim: Simulation, isMet: () => boolean, limitMs: number): boolean {
  return runUntilMet(sim, isMet, limitMs, sliceUs);
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(stranglerFigParams, params);
}

/** The error budget the SLO allows over one budget period, in failed requests. */
export function budgetRequests(params: Readonly<Record<string, number>> = {}): number {
  const values = defaultsWith(params);
  return errorBudget({ params: values }, values.clientCount ?? 0);
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

/** One line that replays a run: paste it into a RunDescription (or the CLI's fault file). */
export function reproduction(sim: Simulation): string {
  return reproductionLine(sim, { withParams: false });
}
