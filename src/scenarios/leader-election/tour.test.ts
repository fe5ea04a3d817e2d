import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { leaderElectionTour } from './tour.ts';
import { invariant, metric, runFor, sliceUs, start } from './testKit.ts';

describe('guided tour', () => {
  const readingMs = 500;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, leaderElectionTour, { readingMs, sliceUs });
    // Without randomness the election may livelock past the step's wait (the tour then offers
    // to move on, and the next step restores randomness); every other wait must be met.
    const required = outcomes.filter((outcome) => !outcome.startsWith('kill-without-randomness:'));
    expect(required, outcomes.join(', ')).toHaveLength(outcomes.length - 1);
    expect(
      required.filter((outcome) => !outcome.endsWith(': met')),
      outcomes.join(', '),
    ).toEqual([]);
    expect(outcomes.at(-1)).toBe('compare-bully: met');
    runFor(sim, readingMs);
    expect(invariant(sim, 'one-leader-per-term').violations).toBe(0);
    expect(metric(sim, 'split-votes')).toBeGreaterThan(0); // the no-randomness steps show them
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = leaderElectionTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
