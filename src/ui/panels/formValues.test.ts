import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import {
  emptyLinkForm,
  isLinkHeld,
  linkSetCommand,
  parseNumber,
  parseOptionalNumber,
} from './formValues.ts';

const bounds = { label: 'Pause duration', min: 1, max: 1000, unit: 'ms' };

describe('parseNumber', () => {
  it('accepts numbers within bounds', () => {
    expect(parseNumber(' 500 ', bounds)).toEqual({ isValid: true, value: 500 });
    expect(parseNumber('1', bounds)).toEqual({ isValid: true, value: 1 });
  });

  it('explains blank, non-numeric and out-of-range input', () => {
    expect(parseNumber('', bounds)).toEqual({
      isValid: false,
      error: 'Enter a number for Pause duration.',
    });
    expect(parseNumber('abc', bounds)).toEqual({
      isValid: false,
      error: 'Pause duration: "abc" is not a number.',
    });
    expect(parseNumber('Infinity', bounds).isValid).toBe(false);
    expect(parseNumber('0', bounds)).toEqual({
      isValid: false,
      error: 'Pause duration must be from 1 to 1000 ms.',
    });
    expect(parseNumber('1001', bounds).isValid).toBe(false);
  });

  it('lets optional fields be blank', () => {
    expect(parseOptionalNumber('  ', bounds)).toEqual({ isValid: true, value: null });
    expect(parseOptionalNumber('2000', bounds).isValid).toBe(false);
  });
});

describe('linkSetCommand', () => {
  it('turns mean ± jitter into a uniform latency in microseconds', () => {
    const result = linkSetCommand('n1', 'n2', {
      ...emptyLinkForm,
      latencyMs: '10',
      jitterMs: '2.5',
      lossPercent: '5',
      duplicatePercent: '1',
    });
    expect(result).toEqual({
      isValid: true,
      command: {
        type: 'link.set',
        from: 'n1',
        to: 'n2',
        isBothWays: true,
        latency: { kind: 'uniform', minUs: 7500, maxUs: 12_500 },
        lossProbability: 0.05,
        duplicateProbability: 0.01,
      },
    });
  });

  it('clamps the low end at zero and leaves blank settings unchanged', () => {
    const result = linkSetCommand('n1', 'n2', {
      ...emptyLinkForm,
      latencyMs: '1',
      jitterMs: '3',
      isBothWays: false,
    });
    expect(result).toEqual({
      isValid: true,
      command: {
        type: 'link.set',
        from: 'n1',
        to: 'n2',
        isBothWays: false,
        latency: { kind: 'uniform', minUs: 0, maxUs: 4000 },
      },
    });
    const lossOnly = linkSetCommand('n1', 'n2', { ...emptyLinkForm, lossPercent: '100' });
    expect(lossOnly.isValid && lossOnly.command).toEqual({
      type: 'link.set',
      from: 'n1',
      to: 'n2',
      isBothWays: true,
      lossProbability: 1,
    });
  });

  it('refuses out-of-range values, jitter without latency and an empty form', () => {
    const bad = linkSetCommand('n1', 'n2', {
      ...emptyLinkForm,
      lossPercent: '120',
      duplicatePercent: '-1',
      jitterMs: '5',
    });
    expect(bad.isValid).toBe(false);
    if (!bad.isValid) {
      expect(bad.errors.lossPercent).toBe('Loss must be from 0 to 100%.');
      expect(bad.errors.duplicatePercent).toBeDefined();
      expect(bad.errors.latencyMs).toBe('Enter a latency for the jitter to apply to.');
    }
    const empty = linkSetCommand('n1', 'n2', emptyLinkForm);
    expect(empty).toEqual({
      isValid: false,
      errors: { form: 'Enter at least one setting to change.' },
    });
    const huge = linkSetCommand('n1', 'n2', {
      ...emptyLinkForm,
      latencyMs: '60000',
      jitterMs: '1',
    });
    expect(!huge.isValid && huge.errors.jitterMs).toBe(
      'Latency plus jitter must stay within 60000 ms.',
    );
  });
});

describe('isLinkHeld', () => {
  const at = (atUs: number, command: RecordedCommand['command']): RecordedCommand => ({
    atUs,
    command,
  });

  it('follows holds, releases and heals of that direction only', () => {
    const commands = [
      at(1, { type: 'link.hold', from: 'n1', to: 'n2' }),
      at(2, { type: 'link.hold', from: 'n2', to: 'n3' }),
    ];
    expect(isLinkHeld(commands, 'n1', 'n2')).toBe(true);
    expect(isLinkHeld(commands, 'n2', 'n1')).toBe(false);
    expect(
      isLinkHeld([...commands, at(3, { type: 'link.release', from: 'n1', to: 'n2' })], 'n1', 'n2'),
    ).toBe(false);
    expect(isLinkHeld([...commands, at(3, { type: 'net.heal' })], 'n2', 'n3')).toBe(false);
    expect(isLinkHeld([], 'n1', 'n2')).toBe(false);
  });
});
