import { describe, expect, it } from 'vitest';
import { cqrsTour } from './tour.ts';
import { invariant, metric, runFor, sliceUs, start } from './testKit.ts';

describe('guided tour', () => {
  const readingMs = 1000;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1);
    const outcomes: string[] = [];
    for (const step of cqrsTour) {
      runFor(sim, readingMs); // the learner reads the narration while the run goes on
      for (const command of step.actions?.(sim) ?? []) sim.apply(command);
      const wait = step.waitFor;
      if (wait === undefined) continue;
      const endUs = sim.nowUs + wait.timeoutMs * 1000;
      while (!wait.isMet(sim) && sim.nowUs < endUs) sim.runUntil(sim.nowUs + sliceUs);
      outcomes.push(`${step.id}: ${wait.isMet(sim) ? 'met' : 'timed out'}`);
    }
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
