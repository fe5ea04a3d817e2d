import { describe, expect, it } from 'vitest';
import type { RunDescription } from '../../engine/types.ts';
import { choiceOf, sideBRequest, valueProblem, variedParam } from './sideChoice.ts';

const aRun: RunDescription = {
  scenarioId: 'fixture',
  scenarioVersion: 2,
  seed: 4,
  variant: 'pattern',
  params: { rate: 5, pool: 4 },
  commands: [{ atUs: 10, event: 3, command: { type: 'net.heal' } }],
};

describe('side b choices', () => {
  it("builds side b from side a's run, with commands applying by time", () => {
    expect(sideBRequest(aRun, { kind: 'baseline' })).toEqual({
      scenarioId: 'fixture',
      scenarioVersion: 2,
      seed: 4,
      variant: 'baseline',
      params: { rate: 5, pool: 4 },
      commands: [{ atUs: 10, command: { type: 'net.heal' } }],
    });
    expect(sideBRequest(aRun, { kind: 'param', key: 'pool', value: 8 })).toMatchObject({
      variant: 'pattern',
      params: { rate: 5, pool: 8 },
    });
  });

  it('reads back what side b is', () => {
    const baseline = { ...aRun, variant: 'baseline' as const };
    expect(choiceOf(aRun, baseline)).toEqual({ kind: 'baseline' });
    expect(choiceOf(aRun, { ...aRun, params: { rate: 5, pool: 8 } })).toEqual({
      kind: 'param',
      key: 'pool',
      value: 8,
    });
    // Two changes, another seed or scenario: not one of the choices.
    expect(choiceOf(aRun, { ...aRun, params: { rate: 1, pool: 8 } })).toBeNull();
    expect(choiceOf(aRun, { ...baseline, seed: 5 })).toBeNull();
    expect(choiceOf(aRun, aRun)).toBeNull();
    expect(variedParam({ kind: 'param', key: 'pool', value: 8 })).toBe('pool');
    expect(variedParam({ kind: 'baseline' })).toBeNull();
  });

  it('checks a typed parameter value', () => {
    const spec = { label: 'Pool', default: 4, min: 1, max: 16, step: 1, unit: '', help: '' };
    expect(valueProblem('8', spec)).toBeNull();
    expect(valueProblem('', spec)).toBe('Type a number.');
    expect(valueProblem('abc', spec)).toBe('Type a number.');
    expect(valueProblem('40', spec)).toBe('Pool goes from 1 to 16.');
    expect(valueProblem('8', undefined)).toBe('Choose a parameter.');
  });
});
