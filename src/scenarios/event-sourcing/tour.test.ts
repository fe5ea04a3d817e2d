import { describe, expect, it } from 'vitest';
import { walkTour } from '../testing/runKit.ts';
import { eventSourcingTour } from './tour.ts';
import { asOfHistoryMax } from './asOf.ts';
import {
  invariant,
  meanOf,
  metric,
  replayAsOf,
  runFor,
  safetyViolations,
  samplesOf,
  sliceUs,
  start,
} from './testKit.ts';
import { clientsOf, handlersOf } from './world.ts';

describe('guided tour', () => {
  const readingMs = 500;

  it('reaches every wait in order on the default run', () => {
    const sim = start(1, { traceWindowMax: 400_000 });
    let snapshotsFromUs = 0;
    const outcomes = walkTour(sim, eventSourcingTour, {
      readingMs,
      sliceUs,
      onStepStart: (step) => {
        if (step.id === 'snapshots') snapshotsFromUs = sim.nowUs;
      },
    });
    expect(outcomes, outcomes.join(', ')).toEqual(
      eventSourcingTour.flatMap((step) => (step.waitFor === undefined ? [] : [`${step.id}: met`])),
    );
    // What the steps narrate really happened: the race conflicted and was retried, projections
    // were rebuilt, snapshots were saved, and the "as of" answer is in handler-1's state.
    const race = clientsOf(sim).find((client) => client.node.id === 'client-1')?.state?.race;
    expect(
      race?.details.some((detail) => detail.includes('retr')),
      JSON.stringify(race),
    ).toBe(true);
    expect(metric(sim, 'conflicts')).toBeGreaterThan(0);
    expect(metric(sim, 'projection-rebuilds')).toBeGreaterThanOrEqual(2);
    expect(metric(sim, 'snapshots')).toBeGreaterThan(0);
    const asOf = handlersOf(sim).find((handler) => handler.node.id === 'handler-1')?.state?.asOf;
    expect(asOf?.balance).not.toBeNull();
    expect(asOf?.history.length).toBe(Math.min(asOf?.version ?? 0, asOfHistoryMax));
    expect(asOf?.balance).toBe(replayAsOf(sim, 'acct-1', asOf?.version ?? -1).balance);
    expect(asOf?.version).toBeLessThan(asOf?.latestVersion ?? 0);
    // Loads read the whole stream before snapshots, and fewer than 2 × 10 events after the first
    // snapshot of each account (a load may start just before the snapshot it needs is saved).
    const before = samplesOf(sim, 'replay-length', 0, snapshotsFromUs);
    const tourEndUs = sim.nowUs;
    runFor(sim, 3000);
    const after = samplesOf(sim, 'replay-length', tourEndUs, sim.nowUs);
    expect(Math.max(...before)).toBeGreaterThanOrEqual(50);
    expect(after.length).toBeGreaterThan(10);
    expect(Math.max(...after)).toBeLessThan(20);
    expect(meanOf(after)).toBeLessThan(meanOf(before) / 3);
    expect(safetyViolations(sim)).toEqual([]);
    expect(invariant(sim, 'projections-catch-up').violations).toBe(0);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = eventSourcingTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
