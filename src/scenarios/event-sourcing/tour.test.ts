import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { type TourStepTimes, walkTour, walkTourTimed } from '../testing/runKit.ts';
import { asOfHistoryMax } from './asOf.ts';
import { balancesId } from './protocol.ts';
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
import { eventSourcingTour } from './tour.ts';
import { handlersOf } from './world.ts';

/*
 * The tour is walked on the default run as the page starts it (pattern, default parameters), on
 * seed 1 and seed 7, as a learner would: each step after some reading time. What each step relies
 * on from the storyline (a conflict retried before any action of the tour) and what its narration
 * points at (the moments it names, the figures it reads) is asserted, so a storyline or moment
 * change that breaks the tour fails here.
 */

const readingMs = 500;

function timesOf(times: Map<string, TourStepTimes>, id: string): TourStepTimes {
  const entry = times.get(id);
  if (entry === undefined) throw new Error(`no step ${id}`);
  return entry;
}

function momentsOf(sim: Simulation, kind: string, fromUs: number, toUs: number) {
  return sim.moments.filter(
    (each) => each.kind === kind && each.timeUs >= fromUs && each.timeUs <= toUs,
  );
}

const allMet = eventSourcingTour.flatMap((step) =>
  step.waitFor === undefined ? [] : [`${step.id}: met`],
);

describe('guided tour', () => {
  it.each([1, 7])('reaches every wait in order on the default run, seed %i', (seed) => {
    const sim = start(seed, { traceWindowMax: 400_000 });
    const { outcomes, times } = walkTourTimed(sim, eventSourcingTour, { readingMs, sliceUs });
    expect(outcomes, outcomes.join(', ')).toEqual(allMet);

    // The storyline plays the conflict: no step before it has actions, and a "Conflict retried"
    // moment comes before its wait is met.
    const conflict = timesOf(times, 'conflict');
    const before = eventSourcingTour.slice(
      0,
      eventSourcingTour.findIndex((step) => step.id === 'conflict') + 1,
    );
    expect(before.every((step) => step.actions === undefined)).toBe(true);
    expect(momentsOf(sim, 'conflict-retried', 0, conflict.metUs).length).toBeGreaterThan(0);
    expect(sim.describe().commands.filter((each) => each.atUs <= conflict.metUs)).toEqual([]);

    // The crashed projection rebuilds: "Projection rebuilding" then "Projection rebuilt" ticks,
    // both on balances, within the rebuild step.
    const rebuild = timesOf(times, 'rebuild');
    for (const kind of ['projection-rebuilding', 'projection-rebuilt']) {
      const found = momentsOf(sim, kind, rebuild.startUs, rebuild.metUs);
      expect(
        found.map((each) => each.nodes),
        kind,
      ).toEqual([[balancesId]]);
    }

    // Switching snapshots on brings "Snapshot taken" ticks before the step's wait is met.
    const snapshots = timesOf(times, 'snapshots');
    expect(
      momentsOf(sim, 'snapshot-taken', snapshots.startUs, snapshots.metUs).length,
    ).toBeGreaterThan(0);
    expect(momentsOf(sim, 'snapshot-taken', 0, snapshots.startUs)).toEqual([]);

    // The "as of" answer is in handler-1's state, and it is the fold of the stream.
    const asOf = handlersOf(sim).find((handler) => handler.node.id === 'handler-1')?.state?.asOf;
    expect(asOf?.balance).not.toBeNull();
    expect(asOf?.history.length).toBe(Math.min(asOf?.version ?? 0, asOfHistoryMax));
    expect(asOf?.balance).toBe(replayAsOf(sim, 'acct-1', asOf?.version ?? -1).balance);
    expect(asOf?.version).toBeLessThan(asOf?.latestVersion ?? 0);

    // Loads read the whole stream before snapshots, and fewer than 2 × 10 events after the first
    // snapshot of each account (a load may start just before the snapshot it needs is saved).
    const beforeSnapshots = samplesOf(sim, 'replay-length', 0, snapshots.startUs);
    const tourEndUs = sim.nowUs;
    runFor(sim, 3000);
    const after = samplesOf(sim, 'replay-length', tourEndUs, sim.nowUs);
    expect(Math.max(...beforeSnapshots)).toBeGreaterThanOrEqual(50);
    expect(after.length).toBeGreaterThan(10);
    expect(Math.max(...after)).toBeLessThan(20);
    expect(meanOf(after)).toBeLessThan(meanOf(beforeSnapshots) / 3);
    expect(metric(sim, 'projection-rebuilds')).toBeGreaterThanOrEqual(1);
    expect(safetyViolations(sim)).toEqual([]);
    expect(invariant(sim, 'projections-catch-up').violations).toBe(0);
  });

  it('compares with the baseline where the baseline cannot answer "as of"', () => {
    const compared = eventSourcingTour.filter((step) => step.comparesWithBaseline === true);
    expect(compared.map((step) => step.id)).toEqual(['as-of']);
    // The side by side replays the tour's commands on the baseline (those on nodes it has): its
    // handler-1 answers that the history is lost, and its timeline has conflicts too. (By time only:
    // the baseline processes other events, so the pattern's event indices mean nothing there.)
    const sim = start(1);
    walkTour(sim, eventSourcingTour, { readingMs, sliceUs });
    const baselineNodes = new Set(start(1, { variant: 'baseline' }).nodes.map((node) => node.id));
    const commands: RecordedCommand[] = sim
      .describe()
      .commands.filter((each) => !('node' in each.command) || baselineNodes.has(each.command.node))
      .map((each) => ({ atUs: each.atUs, command: each.command }));
    expect(commands.some((each) => each.command.type === 'scenario.fault')).toBe(true);
    const baseline = start(1, { variant: 'baseline', commands });
    baseline.runUntil(sim.nowUs + 1_000_000);
    const asOf = handlersOf(baseline).find((handler) => handler.node.id === 'handler-1')?.state
      ?.asOf;
    expect(asOf?.balance).toBeNull();
    expect(asOf?.note).toContain('lost');
    expect(baseline.moments.some((each) => each.kind === 'conflict-retried')).toBe(true);
    expect(baseline.moments.some((each) => each.kind === 'projection-rebuilt')).toBe(false);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = eventSourcingTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
