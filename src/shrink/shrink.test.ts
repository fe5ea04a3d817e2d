import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { Simulation } from '../engine/simulation.ts';
import type { RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { leaderElection } from '../scenarios/leader-election/model.ts';
import { plantedViolation } from '../scenarios/planted-violation/model.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { runHeadless } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';
import { decodeShareLink, encodeShareLink } from '../worker/shareLink.ts';
import {
  type ShrinkInput,
  type ShrinkProgress,
  type ShrinkResult,
  ShrinkCancelledError,
  ShrinkError,
  shrink,
  shrinkAsync,
} from './shrink.ts';

/*
 * Shrinking real failures: the planted violation (a crash of the primary inside its save window)
 * and Bully's split brain under chaos. Which seeds fail is computed, never typed in; every claim
 * about a result is checked by running it again through the page's headless host.
 */

const planted = plantedViolation;
const plantedInvariant = 'no-value-issued-twice';

/** A chaos run of the scenario as `sim run <id> --chaos --seed N` makes it. */
function chaosRequest(
  scenario: Scenario,
  seed: number,
  variant: RunRequest['variant'] = 'pattern',
  params: Record<string, number> = {},
): RunRequest {
  const commands = chaosScheduleFor(scenario, seed, variant, params, scenario.defaultDurationUs);
  return { scenarioId: scenario.id, seed, variant, params, commands };
}

/** The target's first violation when the run plays through the host, or null. */
function hostViolationUs(run: RunRequest, durationUs: number, invariantId: string): number | null {
  const summary = runHeadless(scenarioCatalogue, run, durationUs);
  return summary.invariants.find((each) => each.id === invariantId)?.firstViolation?.timeUs ?? null;
}

/**
 * The first chaos seed from 1 on whose run violates the planted invariant after at least five
 * commands, so that there is something to remove.
 */
function firstFailingSeed(): number {
  for (let seed = 1; seed <= 50; seed++) {
    const request = chaosRequest(planted, seed);
    const atUs = hostViolationUs(request, planted.defaultDurationUs, plantedInvariant);
    if (atUs !== null && request.commands.filter((each) => each.atUs < atUs).length >= 5)
      return seed;
  }
  throw new Error('no failing seed');
}

/** The parameters set away from their defaults. */
function changedKeys(run: RunDescription, defaults: Scenario['params']): string[] {
  return Object.keys(run.params).filter((key) => defaults[key]?.default !== run.params[key]);
}

function changedParamCount(run: RunDescription, defaults: Scenario['params']): number {
  return changedKeys(run, defaults).length;
}

/** The run without its i-th entry: a command, or (after the commands) a parameter change. */
function withoutEntry(
  run: RunDescription,
  index: number,
  defaults: Scenario['params'],
): RunDescription {
  if (index < run.commands.length) {
    return { ...run, commands: run.commands.filter((_, i) => i !== index) };
  }
  const dropped = changedKeys(run, defaults)[index - run.commands.length];
  const params = Object.fromEntries(Object.entries(run.params).filter(([key]) => key !== dropped));
  return { ...run, params };
}

/** Everything a shrink result promises, checked independently of the search. */
function expectShrunk(
  result: ShrinkResult,
  input: ShrinkInput,
  defaults: Scenario['params'],
): void {
  const { minimal, original, invariant } = result;
  // The same invariant fails, and the share link opens to that failure.
  const link = decodeShareLink(encodeShareLink(minimal.run, minimal.durationUs), scenarioCatalogue);
  if (!link.ok) throw new Error(link.problem.message);
  expect(hostViolationUs(link.shared.request, link.shared.positionUs, invariant.id)).toBe(
    minimal.violation.timeUs,
  );
  // Just past the violation.
  expect(minimal.durationUs).toBeGreaterThan(minimal.violation.timeUs);
  expect(minimal.durationUs - minimal.violation.timeUs).toBeLessThanOrEqual(1000);
  // No bigger than the original.
  expect(minimal.run.commands.length).toBeLessThanOrEqual(original.run.commands.length);
  expect(changedParamCount(minimal.run, defaults)).toBeLessThanOrEqual(
    changedParamCount(original.run, defaults),
  );
  // 1-minimal: without any one entry, the invariant holds for the whole original duration.
  const entryCount = minimal.run.commands.length + changedParamCount(minimal.run, defaults);
  for (let i = 0; i < entryCount; i++) {
    const smaller = withoutEntry(minimal.run, i, defaults);
    expect(hostViolationUs(smaller, input.durationUs, invariant.id), `without entry ${i}`).toBe(
      null,
    );
  }
}

describe('shrink on the planted violation', () => {
  const seed = firstFailingSeed();
  const input: ShrinkInput = {
    run: chaosRequest(planted, seed),
    durationUs: planted.defaultDurationUs,
    invariantId: plantedInvariant,
  };
  const progress: ShrinkProgress[] = [];
  const result = shrink(scenarioCatalogue, input, { onProgress: (each) => progress.push(each) });

  it('keeps the same invariant failing with a 1-minimal run that is no bigger', () => {
    expect(result.invariant.id).toBe(plantedInvariant);
    expect(result.minimal.run.commands.length).toBeGreaterThan(0);
    expect(result.minimal.run.commands.length).toBeLessThan(input.run.commands.length);
    expectShrunk(result, input, planted.params);
  });

  it('reports the original run and its first violation as the host sees them', () => {
    expect(result.original.run.commands).toEqual(input.run.commands);
    expect(result.original.violation.timeUs).toBe(
      hostViolationUs(input.run, input.durationUs, plantedInvariant),
    );
    expect(result.steps.some((step) => step.kind === 'removed')).toBe(true);
    expect(result.steps.at(-1)).toEqual({
      kind: 'duration-cut',
      fromUs: input.durationUs,
      toUs: result.minimal.durationUs,
    });
  });

  it('reports progress before every run, in order, with a shrinking size', () => {
    expect(progress.length).toBe(result.runs);
    expect(progress.map((each) => each.runs)).toEqual(progress.map((_, i) => i));
    const searching = progress.filter((each) => each.phase !== 'checking');
    const sizes = searching.map((each) => each.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes.at(-1)).toBe(result.minimal.run.commands.length);
    expect(progress.at(-1)?.phase).toBe('verifying');
  });

  it('gives the same result every time, and the same asynchronously', async () => {
    expect(shrink(scenarioCatalogue, input)).toEqual(result);
    expect(await shrinkAsync(scenarioCatalogue, input, { pause: () => Promise.resolve() })).toEqual(
      result,
    );
  });

  it('picks the invariant the run violates first when none is named', () => {
    const unnamed: ShrinkInput = { run: input.run, durationUs: input.durationUs };
    expect(shrink(scenarioCatalogue, unnamed).invariant.id).toBe(plantedInvariant);
  });

  it('stops when cancelled, says so, and hands back the smallest failing run so far', async () => {
    const controller = new AbortController();
    let seen = 0;
    const stopAfter = 6;
    let caught: unknown = null;
    try {
      shrink(scenarioCatalogue, input, {
        signal: controller.signal,
        onProgress: () => {
          seen++;
          if (seen === stopAfter) controller.abort();
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShrinkCancelledError);
    const cancelled = caught as ShrinkCancelledError;
    expect(cancelled.code).toBe('cancelled');
    expect(cancelled.runs).toBe(stopAfter);
    expect(cancelled.message).toBe(`Shrinking was cancelled after ${stopAfter} runs.`);
    expect(hostViolationUs(cancelled.smallest, input.durationUs, plantedInvariant)).not.toBeNull();
    expect(cancelled.smallest.commands.length).toBeLessThanOrEqual(input.run.commands.length);

    let asks = 0;
    await expect(
      shrinkAsync(scenarioCatalogue, input, { isCancelled: () => ++asks > 2 }),
    ).rejects.toThrow('Shrinking was cancelled after 2 runs.');
  });

  it('removes parameter changes that do not matter and keeps the ones that do', () => {
    // A longer save window than the increment interval: every crash of the primary reissues.
    const params = { flushDelayMs: 400, linkLatencyMs: 7 };
    const withParams: ShrinkInput = {
      run: { ...chaosRequest(planted, seed, 'pattern', params) },
      durationUs: planted.defaultDurationUs,
      invariantId: plantedInvariant,
    };
    const shrunk = shrink(scenarioCatalogue, withParams);
    expectShrunk(shrunk, withParams, planted.params);
    expect(shrunk.minimal.run.params['linkLatencyMs'] ?? 5).toBe(5);
  });

  it('shrinks a command log recorded in the app, with event counts', () => {
    // The chaos faults given by hand at their times, as the page records them.
    const sim = new Simulation(planted, {
      scenarioId: planted.id,
      scenarioVersion: planted.version,
      seed,
      variant: 'pattern',
      params: {},
      commands: [],
    });
    for (const { atUs, command } of input.run.commands) {
      sim.runUntil(atUs);
      sim.apply(command);
    }
    const recorded = sim.describe();
    expect(recorded.commands.every((record) => record.event !== undefined)).toBe(true);
    const own: ShrinkInput = { run: recorded, durationUs: input.durationUs };
    const shrunk = shrink(scenarioCatalogue, own);
    expect(shrunk.steps[0]).toEqual({ kind: 'event-counts-dropped' });
    expectShrunk(shrunk, own, planted.params);
  });
});

describe('shrink on Bully split brain', () => {
  it('shrinks a chaos seed of the baseline to a 1-minimal run with two leaders in a term', () => {
    const request = chaosRequest(leaderElection, 1, 'baseline');
    const input: ShrinkInput = { run: request, durationUs: leaderElection.defaultDurationUs };
    const result = shrink(scenarioCatalogue, input);
    expect(result.invariant.id).toBe('one-leader-per-term');
    expect(result.minimal.violation.message).toMatch(/^two leaders in term/);
    expectShrunk(result, input, leaderElection.params);
  });
});

describe('shrink refuses what it cannot shrink', () => {
  const input: ShrinkInput = {
    run: chaosRequest(planted, 1),
    durationUs: planted.defaultDurationUs,
  };
  const refusal = (each: ShrinkInput): ShrinkError => {
    try {
      shrink(scenarioCatalogue, each);
    } catch (error) {
      if (error instanceof ShrinkError) return error;
      throw error;
    }
    throw new Error('it shrank');
  };

  it('a run that violates nothing', () => {
    const clean = refusal({ ...input, run: { ...input.run, variant: 'baseline' } });
    expect(clean.code).toBe('no-violation');
    expect(clean.message).toBe(
      'The run does not violate any safety invariant within 10 s: there is nothing to shrink.',
    );
  });

  it('an unknown or liveness invariant', () => {
    expect(refusal({ ...input, invariantId: 'nope' }).message).toBe(
      'planted-violation has no invariant "nope" (safety invariants: no-value-issued-twice).',
    );
    const liveness = refusal({ ...input, invariantId: 'backup-catches-up' });
    expect(liveness.code).toBe('not-safety');
    expect(liveness.message).toMatch(/only safety invariants can be shrunk/);
  });

  it('a run the host would not load', () => {
    expect(refusal({ ...input, run: { ...input.run, scenarioId: 'nope' } }).code).toBe(
      'unknown-scenario',
    );
    const badNode = refusal({
      ...input,
      run: {
        ...input.run,
        commands: [{ atUs: 1000, command: { type: 'node.crash', node: 'x9' } }],
      },
    });
    expect(badNode.code).toBe('bad-run');
    expect(refusal({ ...input, durationUs: 0 }).message).toBe(
      'The duration must be above 0 µs, got 0.',
    );
  });
});
