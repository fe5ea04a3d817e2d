import { Simulation } from '../engine/simulation.ts';
import type { InvariantResult } from '../engine/invariants.ts';
import type { RunDescription, ScenarioModel } from '../engine/types.ts';

/** What the normal engine made of a found schedule. */
export interface Replay {
  readonly traceHash: string;
  readonly events: number;
  readonly invariant: InvariantResult | undefined;
}

/**
 * Replays a found schedule's run in a plain `Simulation` (default options, no explorer) for
 * `events` events: the same run a share link or `sim run --link` plays.
 */
export function replayRun(
  model: ScenarioModel,
  run: RunDescription,
  events: number,
  invariantId: string,
): Replay {
  const sim = new Simulation(model, run);
  while (sim.eventCount < events && sim.step()) {
    // Each step is one event; the recorded commands apply between them by event index.
  }
  return {
    traceHash: sim.traceHash,
    events: sim.eventCount,
    invariant: sim.invariantResults().find((result) => result.id === invariantId),
  };
}
