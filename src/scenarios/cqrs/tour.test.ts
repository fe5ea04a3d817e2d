import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { cqrsTour } from './tour.ts';
import { invariant, metric, sliceUs, start } from './testKit.ts';

describe('guided tour', () => {
  const readingMs = 1000;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, cqrsTour, { readingMs, sliceUs });
    expect(
      outcomes.filter((outcome) => !outcome.endsWith(': met')),
      outcomes.join(', '),
    ).toEqual([]);
    expect(outcomes).toHaveLength(cqrsTour.filter((step) => step.waitFor !== undefined).length);
    expect(invariant(sim, 'read-model-is-prefix').violations).toBe(0);
    expect(metric(sim, 'ryow-violations')).toBeGreaterThan(0);
    expect(metric(sim, 'ryow-waits')).toBeGreaterThan(0);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = cqrsTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
