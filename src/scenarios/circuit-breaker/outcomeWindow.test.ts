import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appended,
  emptyWindow,
  oldestTimeUs,
  type OutcomeBits,
  type OutcomeWindow,
  outcomesOf,
  timesOf,
  withoutOldest,
} from './outcomeWindow.ts';

/**
 * The window as plain arrays, the way the breaker kept it before the chunked window: the
 * outcomes, and their finish times only while a time window records them.
 */
interface ArrayWindow {
  readonly outcomes: readonly OutcomeBits[];
  readonly timesUs: readonly number[];
}

type Step =
  | { readonly kind: 'count'; readonly bits: OutcomeBits; readonly size: number }
  | { readonly kind: 'time'; readonly bits: OutcomeBits; readonly windowUs: number }
  | { readonly kind: 'probe'; readonly bits: OutcomeBits }
  | { readonly kind: 'clear' };

/** The breaker's old window code, step by step. */
function arrayStep(window: ArrayWindow, step: Step, nowUs: number): ArrayWindow {
  switch (step.kind) {
    case 'clear':
      return { outcomes: [], timesUs: [] };
    case 'probe':
      return { outcomes: [...window.outcomes, step.bits], timesUs: window.timesUs };
    case 'count': {
      const outcomes = [...window.outcomes, step.bits];
      const excess = Math.max(0, outcomes.length - Math.max(1, step.size));
      return { outcomes: outcomes.slice(excess), timesUs: [] };
    }
    case 'time': {
      const outcomes = [...window.outcomes, step.bits];
      const times = [...window.timesUs, nowUs];
      const timed = outcomes.slice(outcomes.length - times.length);
      let first = 0;
      while (first < times.length && (times[first] ?? 0) <= nowUs - step.windowUs) first++;
      return { outcomes: timed.slice(first), timesUs: times.slice(first) };
    }
  }
}

/** The same step on the chunked window, as breaker.ts takes it. */
function chunkedStep(window: OutcomeWindow, step: Step, nowUs: number): OutcomeWindow {
  switch (step.kind) {
    case 'clear':
      return emptyWindow;
    case 'probe':
      return appended(window, step.bits, nowUs, false);
    case 'count': {
      let next = appended(window, step.bits, nowUs, false);
      while (next.calls > Math.max(1, step.size)) next = withoutOldest(next);
      return next;
    }
    case 'time': {
      let next = appended(window.isTimed ? window : emptyWindow, step.bits, nowUs, true);
      while ((oldestTimeUs(next) ?? Infinity) <= nowUs - step.windowUs) next = withoutOldest(next);
      return next;
    }
  }
}

const bitsArb = fc.integer({ min: 0, max: 3 });

describe('outcome window', () => {
  it('holds what the plain arrays held, with the right counts, on random sequences', () => {
    // Runs of one kind of step (a window fills up, trims and spills over several chunks), with
    // the occasional switch of kind, half-open period or reset in between.
    const runArb = fc.oneof(
      fc.record({
        kind: fc.constant('count' as const),
        size: fc.integer({ min: 0, max: 100 }),
        bits: fc.array(bitsArb, { maxLength: 150, size: 'max' }),
      }),
      fc.record({
        kind: fc.constant('time' as const),
        windowUs: fc.integer({ min: 0, max: 60_000 }),
        bits: fc.array(bitsArb, { maxLength: 150, size: 'max' }),
      }),
      fc.record({ kind: fc.constant('probe' as const), bits: fc.array(bitsArb, { maxLength: 5 }) }),
      fc.record({ kind: fc.constant('clear' as const), bits: fc.constant([]) }),
    );
    fc.assert(
      fc.property(
        fc.array(runArb, { maxLength: 8 }),
        fc.integer({ min: 1, max: 1_000 }),
        (runs, seed) => {
          let plain: ArrayWindow = { outcomes: [], timesUs: [] };
          let chunked = emptyWindow;
          let nowUs = 0;
          const steps: Step[] = [];
          for (const run of runs) {
            if (run.kind === 'clear') steps.push(run);
            for (const bits of run.bits) {
              if (run.kind === 'count') steps.push({ kind: 'count', bits, size: run.size });
              else if (run.kind === 'time')
                steps.push({ kind: 'time', bits, windowUs: run.windowUs });
              else if (run.kind === 'probe') steps.push({ kind: 'probe', bits });
            }
          }
          for (const [index, step] of steps.entries()) {
            nowUs += ((index * 7919 + seed) % 701) + 1;
            // The breaker records trial calls only into the empty window of a half-open period.
            if (step.kind === 'probe' && plain.timesUs.length > 0) continue;
            plain = arrayStep(plain, step, nowUs);
            chunked = chunkedStep(chunked, step, nowUs);
            const outcomes = outcomesOf(chunked);
            expect(outcomes).toEqual(plain.outcomes);
            expect(timesOf(chunked)).toEqual(plain.timesUs);
            expect(chunked.calls).toBe(outcomes.length);
            expect(chunked.failures).toBe(outcomes.filter((bits) => (bits & 1) !== 0).length);
            expect(chunked.slow).toBe(outcomes.filter((bits) => (bits & 2) !== 0).length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never changes a window that a later one was made from', () => {
    let window = emptyWindow;
    const versions: { window: OutcomeWindow; json: string }[] = [];
    for (let index = 0; index < 200; index++) {
      window = appended(window, index % 4, index, true);
      if (index % 3 === 0) window = withoutOldest(window);
      versions.push({ window, json: JSON.stringify(window) });
    }
    for (const version of versions) expect(JSON.stringify(version.window)).toBe(version.json);
  });
});
