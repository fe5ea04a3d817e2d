import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { plantedViolation } from '../scenarios/planted-violation/model.ts';
import {
  type ExploreForm,
  batchDurationSMax,
  batchSeedsMax,
  checkExploreForm,
  requestFor,
  seedsOf,
} from './plan.ts';

const target = { scenarioId: 'planted-violation', params: { flushDelayMs: 40 } };
const form: ExploreForm = {
  seedFirst: '1',
  seedLast: '40',
  durationS: '10',
  isChaos: true,
  variant: 'pattern',
};

function problemsOf(overrides: Partial<ExploreForm>) {
  const checked = checkExploreForm({ ...form, ...overrides }, target);
  if (checked.ok) throw new Error('expected problems');
  return checked.problems;
}

describe('checkExploreForm', () => {
  it('turns a good form into a plan for the loaded scenario and its parameters', () => {
    const checked = checkExploreForm({ ...form, seedFirst: ' 7 ', durationS: '2.5' }, target);
    expect(checked).toEqual({
      ok: true,
      plan: {
        scenarioId: 'planted-violation',
        variant: 'pattern',
        params: { flushDelayMs: 40 },
        seedFirst: 7,
        seedLast: 40,
        durationUs: 2_500_000,
        isChaos: true,
      },
    });
  });

  it('says what is wrong with each seed field', () => {
    expect(problemsOf({ seedFirst: '' }).seedFirst).toMatch(/Enter the first seed/);
    expect(problemsOf({ seedFirst: '-1' }).seedFirst).toMatch(/whole number of 0 or more/);
    expect(problemsOf({ seedLast: '2.5' }).seedLast).toMatch(/whole number/);
    expect(problemsOf({ seedLast: '9007199254740992' }).seedLast).toMatch(/at most/);
    expect(problemsOf({ seedFirst: '10', seedLast: '9' }).seedLast).toBe(
      'The last seed must be at or after the first (10).',
    );
  });

  it(`allows at most ${batchSeedsMax} seeds, and names the last seed that fits`, () => {
    const fits = checkExploreForm({ ...form, seedFirst: '5', seedLast: '1004' }, target);
    expect(fits.ok).toBe(true);
    expect(problemsOf({ seedFirst: '5', seedLast: '1005' }).seedLast).toBe(
      `At most ${batchSeedsMax} seeds per batch: use 1004 or less.`,
    );
  });

  it('wants a positive duration up to the cap', () => {
    expect(problemsOf({ durationS: '' }).durationS).toMatch(/Enter a duration/);
    expect(problemsOf({ durationS: 'ten' }).durationS).toMatch(/must be a number/);
    expect(problemsOf({ durationS: '0' }).durationS).toMatch(/more than 0/);
    expect(problemsOf({ durationS: String(batchDurationSMax + 1) }).durationS).toMatch(
      /at most 600 s/,
    );
  });

  it('reports every wrong field at once, and only those', () => {
    const problems = problemsOf({ seedFirst: 'x', durationS: '-3' });
    expect(Object.keys(problems).sort((a, b) => a.localeCompare(b))).toEqual([
      'durationS',
      'seedFirst',
    ]);
  });
});

describe('requestFor', () => {
  const plan = {
    scenarioId: 'planted-violation',
    variant: 'pattern' as const,
    params: {},
    seedFirst: 3,
    seedLast: 6,
    durationUs: 5_000_000,
    isChaos: true,
  };

  it('lists the seeds in order', () => {
    expect(seedsOf(plan)).toEqual([3, 4, 5, 6]);
  });

  it("uses the CLI's chaos schedule for the seed and duration, or none when chaos is off", () => {
    const request = requestFor(plantedViolation, plan, 4);
    expect(request.seed).toBe(4);
    expect(request.commands).toEqual(
      chaosScheduleFor(plantedViolation, 4, 'pattern', {}, 5_000_000),
    );
    expect(request.commands.length).toBeGreaterThan(0);
    expect(requestFor(plantedViolation, { ...plan, isChaos: false }, 4).commands).toEqual([]);
  });
});
