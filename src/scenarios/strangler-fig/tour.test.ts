import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { stranglerFigTour } from './tour.ts';
import { metric, runFor, safetyViolations, sliceUs, start } from './testKit.ts';
import { isLegacyRetired } from './world.ts';

describe('guided tour', () => {
  const readingMs = 500;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, stranglerFigTour, { readingMs, sliceUs });
    expect(outcomes).toHaveLength(stranglerFigTour.filter((step) => step.waitFor).length);
    expect(
      outcomes.filter((outcome) => !outcome.endsWith(': met')),
      outcomes.join(', '),
    ).toEqual([]);
    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toEqual([]);
    // What the tour claims to show, read from the run.
    expect(metric(sim, 'mismatches')).toBeGreaterThan(0);
    expect(metric(sim, 'wrong-answers')).toBe(0);
    expect(metric(sim, 'rollbacks')).toBe(1);
    expect(isLegacyRetired(sim)).toBe(true);
    expect(metric(sim, 'share-legacy')).toBe(0);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = stranglerFigTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
