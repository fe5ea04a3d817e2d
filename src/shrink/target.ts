import { SimError } from '../engine/errors.ts';
import { Simulation } from '../engine/simulation.ts';
import type { RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';

/** Where a run first violated the target invariant. */
export interface TargetViolation {
  readonly timeUs: number;
  readonly message: string;
}

/**
 * Runs `run` until the invariant `invariantId` is first violated or `durationUs` passes, and
 * returns that violation or null. The run is built the way the host builds a run it loads
 * (`new Simulation(scenario, run)`, default options), so its trace is the one the page and
 * `sim run` replay; it only stops early, which never changes what happens before the stop.
 * Throws the engine's SimError when the run does not fit the scenario or its code throws.
 */
export function firstViolation(
  scenario: Scenario,
  run: RunDescription,
  durationUs: number,
  invariantId: string,
): TargetViolation | null {
  const sim = new Simulation(scenario, run);
  sim.isStoppingOnViolation = true;
  const index = scenario.invariants.findIndex((invariant) => invariant.id === invariantId);
  while (sim.nowUs < durationUs) {
    sim.runUntil(durationUs);
    const first = sim.invariantResults()[index]?.firstViolation ?? null;
    if (first !== null) return { timeUs: first.timeUs, message: first.message };
  }
  return null;
}

/**
 * `firstViolation` for a candidate of the search: one that does not fit the scenario (a command
 * naming a node its parameters no longer create) or whose scenario code throws counts as not
 * violating, since it is not a smaller instance of the same failure.
 */
export function violationOf(
  scenario: Scenario,
  run: RunDescription,
  durationUs: number,
  invariantId: string,
): TargetViolation | null {
  try {
    return firstViolation(scenario, run, durationUs, invariantId);
  } catch (error) {
    if (error instanceof SimError) return null;
    throw error;
  }
}
