import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { circuitBreakerTour } from './tour.ts';
import { invariant, metric, sliceUs, start } from './testKit.ts';
import { breakerValueOf } from './world.ts';

describe('guided tour', () => {
  const readingMs = 500;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes = walkTour(sim, circuitBreakerTour, { readingMs, sliceUs });
    expect(outcomes, outcomes.join(', ')).toEqual(
      circuitBreakerTour.flatMap((step) => (step.waitFor === undefined ? [] : [`${step.id}: met`])),
    );
    // What the steps narrate really happened: trips, fallbacks, and a closed breaker at the end.
    expect(metric(sim, 'breaker-trips')).toBeGreaterThanOrEqual(3);
    expect(metric(sim, 'fallbacks')).toBeGreaterThan(0);
    expect(breakerValueOf(sim)).toBe('closed');
    expect(invariant(sim, 'no-calls-while-open').violations).toBe(0);
    expect(invariant(sim, 'closes-after-heal').violations).toBe(0);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = circuitBreakerTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
