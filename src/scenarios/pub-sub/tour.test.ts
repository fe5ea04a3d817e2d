import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { pubSubTour } from './tour.ts';
import { metric, runFor, safetyViolations, start } from './testKit.ts';

describe('guided tour', () => {
  const readingMs = 500;
  const sliceUs = 50_000;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, pubSubTour, { readingMs, sliceUs });
    expect(outcomes).toEqual(
      pubSubTour.flatMap((step) => (step.waitFor ? [`${step.id}: met`] : [])),
    );
    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toEqual([]);
    // What the steps showed: a loss to the in-memory subscriber, duplicates from lost acks,
    // and none lost to durable subscribers through the broker crash.
    expect(metric(sim, 'lost-s3')).toBeGreaterThan(0);
    expect(metric(sim, 'lost')).toBe(metric(sim, 'lost-s3'));
    expect(metric(sim, 'duplicates')).toBeGreaterThan(0);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = pubSubTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
