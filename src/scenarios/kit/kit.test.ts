import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../engine/types.ts';
import { specProblem } from '../define.ts';
import { jitteredLink, linkLatencyParam } from './links.ts';
import { paramReader } from './params.ts';

const spec = (min: number, max: number, step = 1): ParamSpec => ({
  label: 'x',
  default: min,
  min,
  max,
  step,
  unit: '',
  help: '',
});

const specs = { delayMs: spec(0, 500), windowS: spec(1, 60), count: spec(2, 6), flag: spec(0, 1) };
const read = paramReader('demo', specs);

describe('paramReader', () => {
  it('reads values and converts units with rounding', () => {
    const source = { params: { delayMs: 2.4996, windowS: 1.5, count: 3.6, flag: 1 } };
    expect(read.paramOf(source, 'delayMs')).toBe(2.4996);
    expect(read.msParamUs(source, 'delayMs')).toBe(2500);
    expect(read.secondsParamUs(source, 'windowS')).toBe(1_500_000);
    expect(read.countParam(source, 'count')).toBe(4);
    expect(read.isOn(source, 'flag')).toBe(true);
    expect(read.isOn({ params: { ...source.params, flag: 0 } }, 'flag')).toBe(false);
  });

  it('keeps counts at their floor or inside the spec bounds', () => {
    expect(read.countParam({ params: { count: 0 } }, 'count')).toBe(1);
    expect(read.countParam({ params: { count: 0 } }, 'count', 0)).toBe(0);
    expect(read.boundedCount({ params: { count: 0 } }, 'count')).toBe(2);
    expect(read.boundedCount({ params: { count: 99 } }, 'count')).toBe(6);
  });

  it('fails loudly, naming the scenario, when a declared parameter has no value', () => {
    expect(() => read.paramOf({ params: {} }, 'delayMs')).toThrow(
      'demo: parameter delayMs is missing',
    );
  });

  it('accepts only declared keys (a misspelling fails the typecheck)', () => {
    // @ts-expect-error: 'delayMS' is not a key of the table
    expect(() => read.paramOf({ params: { delayMs: 1 } }, 'delayMS')).toThrow('missing');
  });
});

describe('shared link latency', () => {
  it('is a valid parameter spec with the given bounds', () => {
    const latency = linkLatencyParam({ default: 5, max: 200 });
    expect(specProblem(latency)).toBeNull();
    expect([latency.min, latency.default, latency.max, latency.unit]).toEqual([0, 5, 200, 'ms']);
    expect(linkLatencyParam({ default: 5, max: 500, min: 1 }).min).toBe(1);
  });

  it('jitters uniformly between half and one and a half times the mean', () => {
    expect(jitteredLink(5)).toEqual({
      latency: { kind: 'uniform', minUs: 2500, maxUs: 7500 },
      lossProbability: 0,
      duplicateProbability: 0,
    });
    expect(jitteredLink(0).latency).toEqual({ kind: 'uniform', minUs: 0, maxUs: 0 });
  });
});
