import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../engine/types.ts';
import { parseParam, parseSeed, seedMax } from './validation.ts';

describe('parseSeed', () => {
  it('accepts whole numbers from 0 to 2^53 − 1', () => {
    expect(parseSeed('0')).toEqual({ isValid: true, value: 0 });
    expect(parseSeed(' 42 ')).toEqual({ isValid: true, value: 42 });
    expect(parseSeed('9007199254740991')).toEqual({ isValid: true, value: seedMax });
  });

  it('rejects everything else with a message', () => {
    for (const text of ['', '  ', '-1', '1.5', '1e3', 'abc', '0x10', '9007199254740992']) {
      const parsed = parseSeed(text);
      expect(parsed.isValid, text).toBe(false);
      if (!parsed.isValid) expect(parsed.error.length, text).toBeGreaterThan(10);
    }
  });

  it('names the limit when the seed is too large', () => {
    const parsed = parseSeed('99999999999999999999');
    expect(parsed.isValid ? '' : parsed.error).toContain('9007199254740991');
  });
});

const timeout: ParamSpec = {
  label: 'Timeout',
  default: 150,
  min: 10,
  max: 5000,
  step: 10,
  unit: 'ms',
  help: '',
};

describe('parseParam', () => {
  it('accepts values inside the bounds on the step grid', () => {
    expect(parseParam('150', timeout)).toEqual({ isValid: true, value: 150 });
    expect(parseParam('10', timeout)).toEqual({ isValid: true, value: 10 });
    expect(parseParam('5000', timeout)).toEqual({ isValid: true, value: 5000 });
  });

  it('rejects out-of-range values and says the range', () => {
    const parsed = parseParam('5', timeout);
    expect(parsed.isValid).toBe(false);
    expect(parsed.isValid ? '' : parsed.error).toContain('10 to 5000 ms');
    expect(parseParam('5010', timeout).isValid).toBe(false);
  });

  it('rejects empty, non-numeric and off-grid values', () => {
    expect(parseParam('', timeout).isValid).toBe(false);
    expect(parseParam('abc', timeout).isValid).toBe(false);
    expect(parseParam('155', timeout).isValid).toBe(false);
  });

  it('allows decimal steps despite binary rounding', () => {
    const ratio: ParamSpec = { ...timeout, min: 0, max: 1, step: 0.1, unit: '' };
    expect(parseParam('0.3', ratio)).toEqual({ isValid: true, value: 0.3 });
    expect(parseParam('0.35', ratio).isValid).toBe(false);
  });

  it('accepts only the named values of a parameter with choices, and names them', () => {
    const strategy: ParamSpec = {
      ...{ label: 'Strategy', default: 0, min: 0, max: 3, step: 1, unit: '', help: '' },
      choices: [
        { value: 0, label: 'hash mod N' },
        { value: 2, label: 'range partitioning' },
      ],
    };
    expect(parseParam('2', strategy)).toEqual({ isValid: true, value: 2 });
    const unnamed = parseParam('1', strategy);
    expect(unnamed.isValid ? '' : unnamed.error).toBe(
      'Pick one of: hash mod N, range partitioning.',
    );
    // Bounds still come first: a value outside them says the range.
    const outside = parseParam('7', strategy);
    expect(outside.isValid ? '' : outside.error).toContain('0 to 3');
  });
});
