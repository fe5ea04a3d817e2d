import type { Operation } from '../../consistency/history.ts';
import { Simulation } from '../../engine/simulation.ts';
import type { ScenarioModel } from '../../engine/types.ts';
import { historyOf } from '../histories.ts';
import { type RunSpec, startRun } from './runKit.ts';

/**
 * A recorded history lives in the monitor's memory, which checkpoints copy: seeking must neither
 * lose nor repeat operations, also ones open across the checkpoint. This runs a scenario straight
 * to `untilMs`, and again with a checkpoint taken once `fromMs` has passed and `isOpen` holds
 * (an operation is in flight), resumed from it to the same time. Each scenario's consistency
 * test compares the two.
 */

export interface ResumeCase {
  readonly seed: number;
  readonly run?: RunSpec;
  /** Run at least this far before looking for a moment to checkpoint. */
  readonly fromMs: number;
  readonly untilMs: number;
  /** Whether an operation is open now (the checkpoint waits for one). */
  readonly isOpen: (sim: Simulation) => boolean;
}

/** Search step while waiting for an open operation: one simulated millisecond. */
const waitStepUs = 1_000;

export interface ResumedRuns {
  readonly straight: Simulation;
  readonly resumed: Simulation;
  readonly straightHistory: Operation[];
  readonly resumedHistory: Operation[];
}

export function runStraightAndResumed(model: ScenarioModel, each: ResumeCase): ResumedRuns {
  const untilUs = each.untilMs * 1000;
  const straight = startRun(model, each.seed, each.run);
  straight.runUntil(untilUs);
  const first = startRun(model, each.seed, each.run);
  first.runUntil(each.fromMs * 1000);
  while (!each.isOpen(first) && first.nowUs < untilUs) first.runUntil(first.nowUs + waitStepUs);
  const resumed = Simulation.fromCheckpoint(model, first.checkpoint());
  resumed.runUntil(untilUs);
  return {
    straight,
    resumed,
    straightHistory: historyOf(straight) ?? [],
    resumedHistory: historyOf(resumed) ?? [],
  };
}
