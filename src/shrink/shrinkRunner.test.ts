import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { plantedViolation } from '../scenarios/planted-violation/model.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { runHeadless } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';
import type { ShrinkReplyMessage } from './shrinkMessages.ts';
import { createShrinkRunner } from './shrinkRunner.ts';

/*
 * The shrink worker's message handling, in-process, on the planted violation (a hidden scenario
 * made for tests). Which chaos seed fails is computed, not typed in.
 */

const planted = plantedViolation;
const invariantId = 'no-value-issued-twice';
const durationUs = planted.defaultDurationUs;

function chaosRequest(seed: number): RunRequest {
  const commands = chaosScheduleFor(planted, seed, 'pattern', {}, durationUs);
  return { scenarioId: planted.id, seed, variant: 'pattern', params: {}, commands };
}

function violationUs(run: RunRequest): number | null {
  const summary = runHeadless(scenarioCatalogue, run, durationUs);
  return summary.invariants.find((each) => each.id === invariantId)?.firstViolation?.timeUs ?? null;
}

/** The first chaos seed whose run violates the planted invariant with commands to remove. */
function failingRequest(): RunRequest {
  for (let seed = 1; seed <= 50; seed++) {
    const request = chaosRequest(seed);
    const atUs = violationUs(request);
    if (atUs !== null && request.commands.filter((each) => each.atUs < atUs).length >= 3)
      return request;
  }
  throw new Error('no failing seed');
}

function collect() {
  const messages: ShrinkReplyMessage[] = [];
  const handle = createShrinkRunner(
    scenarioCatalogue,
    (message) => messages.push(message),
    () => Promise.resolve(),
  );
  return { messages, handle };
}

describe('shrink worker messages', () => {
  it('posts progress, then a minimal run that violates the same invariant', async () => {
    const run = failingRequest();
    const { messages, handle } = collect();
    await handle({ type: 'start', input: { run, durationUs, invariantId } });
    const last = messages.at(-1);
    if (last?.type !== 'done') throw new Error(`ended with ${JSON.stringify(last)}`);
    expect(messages.slice(0, -1).every((each) => each.type === 'progress')).toBe(true);
    expect(messages.length).toBeGreaterThan(2);
    const { result } = last;
    expect(result.invariant.id).toBe(invariantId);
    expect(result.minimal.run.commands.length).toBeLessThan(run.commands.length);
    // The minimal run, replayed through the host, breaks the same invariant at the time claimed.
    expect(violationUs(result.minimal.run)).toBe(result.minimal.violation.timeUs);
  });

  it('stops before its next run on cancel and posts the smallest failing run so far', async () => {
    const run = failingRequest();
    const messages: ShrinkReplyMessage[] = [];
    let handle: ((message: { type: 'cancel' }) => Promise<void>) | null = null;
    const runner = createShrinkRunner(
      scenarioCatalogue,
      (message) => {
        messages.push(message);
        // Cancel as soon as the search has done a few runs.
        if (message.type === 'progress' && message.progress.runs === 3)
          void handle?.({ type: 'cancel' });
      },
      () => Promise.resolve(),
    );
    handle = runner;
    await runner({ type: 'start', input: { run, durationUs, invariantId } });
    const last = messages.at(-1);
    if (last?.type !== 'cancelled') throw new Error(`ended with ${JSON.stringify(last)}`);
    expect(last.runs).toBeGreaterThanOrEqual(3);
    expect(last.smallest.scenarioId).toBe(planted.id);
    expect(violationUs(last.smallest)).not.toBeNull();
  });

  it('refuses a run without a violation in one sentence', async () => {
    const { messages, handle } = collect();
    const run: RunRequest = {
      scenarioId: planted.id,
      seed: 1,
      variant: 'pattern',
      params: {},
      commands: [],
    };
    await handle({ type: 'start', input: { run, durationUs: 1000, invariantId } });
    const last = messages.at(-1);
    if (last?.type !== 'failed') throw new Error(`got ${JSON.stringify(last)}`);
    expect(last.message).toMatch(/\.$/);
    expect(last.message.length).toBeGreaterThan(10);
    expect(messages.filter((each) => each.type === 'failed')).toHaveLength(1);
  });
});
