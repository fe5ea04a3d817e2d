import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { ambassadorTour } from './tour.ts';
import { metric, runFor, safetyViolations, sliceUs, start } from './testKit.ts';

describe('guided tour', () => {
  const readingMs = 500;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, ambassadorTour, { readingMs, sliceUs });
    const waits = ambassadorTour.filter((step) => step.waitFor !== undefined).length;
    expect(outcomes, outcomes.join(', ')).toHaveLength(waits);
    expect(
      outcomes.filter((outcome) => !outcome.endsWith(': met')),
      outcomes.join(', '),
    ).toEqual([]);
    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toBe(0);
    // What the steps set out to show did happen.
    expect(metric(sim, 'budget-exhausted')).toBeGreaterThan(0);
    expect(metric(sim, 'hedges')).toBeGreaterThan(0);
    expect(metric(sim, 'breaker-trips')).toBeGreaterThan(0);
  });

  it('has 4–8 steps and asks questions whose answers are among their choices', () => {
    expect(ambassadorTour.length).toBeGreaterThanOrEqual(4);
    expect(ambassadorTour.length).toBeLessThanOrEqual(8);
    const questions = ambassadorTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
