import { SimError } from '../engine/errors.ts';
import type { InvariantResult } from '../engine/invariants.ts';
import { Simulation } from '../engine/simulation.ts';
import type { RunDescription, SafetyInvariant } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { runHeadless } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';
import { type ScenarioCatalogue, describeRun } from '../worker/runs.ts';
import { parseRunRequest } from '../worker/schema.ts';
import { decodeShareLink, encodeShareLink } from '../worker/shareLink.ts';
import { ShrinkError } from './errors.ts';
import type { TargetViolation } from './target.ts';

/* The checks around the search: what it starts from, and that its result opens as promised. */

/** The scenario and the run description the host would make of the input, or a ShrinkError. */
export function describeInput(
  catalogue: ScenarioCatalogue,
  request: RunRequest,
): { scenario: Scenario; run: RunDescription } {
  const parsed = parseRunRequest(request);
  if (!parsed.ok)
    throw new ShrinkError('bad-run', `The run is invalid: ${parsed.problems.join('; ')}.`);
  const scenario = catalogue.get(parsed.value.scenarioId);
  if (scenario === undefined) {
    const known = catalogue.scenarios.map((each) => each.id).join(', ');
    throw new ShrinkError(
      'unknown-scenario',
      `There is no scenario "${parsed.value.scenarioId}" (scenarios: ${known}).`,
    );
  }
  try {
    return { scenario, run: describeRun(scenario, parsed.value) };
  } catch (error) {
    if (error instanceof SimError) throw new ShrinkError('bad-run', error.message);
    throw error;
  }
}

/**
 * Checks the original run: the named invariant exists, is a safety invariant and is violated
 * within the duration (or, with none named, picks the safety invariant violated first).
 */
export function checkOriginal(
  scenario: Scenario,
  run: RunDescription,
  durationUs: number,
  invariantId: string | undefined,
): { invariant: SafetyInvariant; violation: TargetViolation } {
  const safetyIds = scenario.invariants
    .filter((each) => each.kind === 'safety')
    .map((each) => each.id);
  const named =
    invariantId === undefined
      ? undefined
      : scenario.invariants.find((each) => each.id === invariantId);
  if (invariantId !== undefined && named === undefined) {
    throw new ShrinkError(
      'unknown-invariant',
      `${scenario.id} has no invariant "${invariantId}" (safety invariants: ${safetyIds.join(', ') || 'none'}).`,
    );
  }
  if (named?.kind === 'liveness') {
    throw new ShrinkError(
      'not-safety',
      `"${named.id}" is a liveness invariant; only safety invariants can be shrunk (${scenario.id} has: ${safetyIds.join(', ') || 'none'}).`,
    );
  }
  let results: InvariantResult[];
  try {
    const sim = new Simulation(scenario, run);
    sim.runUntil(durationUs);
    results = sim.invariantResults();
  } catch (error) {
    if (error instanceof SimError) throw new ShrinkError('bad-run', error.message);
    throw error;
  }
  const violated = results
    .filter((result) => result.kind === 'safety' && result.firstViolation !== null)
    .sort((a, b) => (a.firstViolation?.timeUs ?? 0) - (b.firstViolation?.timeUs ?? 0));
  const seconds = `${durationUs / 1_000_000} s`;
  const chosen =
    named === undefined ? violated[0] : violated.find((result) => result.id === named.id);
  if (chosen?.firstViolation == null) {
    const others = violated.map((result) => result.id).join(', ');
    const what = named === undefined ? 'any safety invariant' : `"${named.id}"`;
    throw new ShrinkError(
      'no-violation',
      `The run does not violate ${what} within ${seconds}${others === '' ? '' : ` (it violates ${others})`}: there is nothing to shrink.`,
    );
  }
  const invariant = scenario.invariants.find((each) => each.id === chosen.id) as SafetyInvariant;
  const { timeUs, message } = chosen.firstViolation;
  return { invariant, violation: { timeUs, message } };
}

/**
 * Opens the result as the page opens a share link (decode, then the host's headless run) and
 * checks that it violates the target at the same time: the promise the result makes.
 */
export function checkShareLink(
  catalogue: ScenarioCatalogue,
  run: RunDescription,
  durationUs: number,
  invariantId: string,
  expected: TargetViolation,
): void {
  const decoded = decodeShareLink(encodeShareLink(run, durationUs), catalogue);
  if (!decoded.ok) throw new ShrinkError('replay-mismatch', decoded.problem.message);
  const summary = runHeadless(catalogue, decoded.shared.request, decoded.shared.positionUs);
  const first = summary.invariants.find((result) => result.id === invariantId)?.firstViolation;
  if (first?.timeUs !== expected.timeUs) {
    throw new ShrinkError(
      'replay-mismatch',
      `The shrunk run's share link does not replay to the violation of "${invariantId}" at ${expected.timeUs} µs.`,
    );
  }
}
