import { runHeadless } from '../worker/headless.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { type ExplorePlan, requestFor } from './plan.ts';
import { type SeedOutcome, seedResultOf } from './results.ts';

/**
 * Runs one seed of a batch to the plan's duration through the same host code the page and the
 * CLI use (`runHeadless`). A run that cannot start or throws becomes a failed outcome with the
 * reason, so one bad seed never loses the rest of the batch.
 */
export function runSeed(
  catalogue: ScenarioCatalogue,
  plan: ExplorePlan,
  seed: number,
): SeedOutcome {
  const scenario = catalogue.get(plan.scenarioId);
  if (scenario === undefined) {
    return { kind: 'failed', seed, message: `There is no scenario "${plan.scenarioId}".` };
  }
  try {
    const request = requestFor(scenario, plan, seed);
    return seedResultOf(runHeadless(catalogue, request, plan.durationUs), request, plan.durationUs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', seed, message: `Seed ${seed} could not run: ${reason}` };
  }
}
