import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { shardingTour } from './tour.ts';
import { metric, runFor, safetyViolations, sliceUs, start } from './testKit.ts';

describe('guided tour', () => {
  const readingMs = 500;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, shardingTour, { readingMs, sliceUs });
    const waits = shardingTour.filter((step) => step.waitFor !== undefined).length;
    expect(outcomes, outcomes.join(', ')).toHaveLength(waits);
    expect(
      outcomes.filter((outcome) => !outcome.endsWith(': met')),
      outcomes.join(', '),
    ).toEqual([]);
    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toEqual([]);
    expect(metric(sim, 'rebalances')).toBe(2); // the add and the remove
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = shardingTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
