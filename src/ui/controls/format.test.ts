import { describe, expect, it } from 'vitest';
import { formatBounds, formatSimTime } from './format.ts';

describe('formatSimTime', () => {
  it('shows seconds with milliseconds', () => {
    expect(formatSimTime(2_456_000)).toBe('t = 2.456 s');
    expect(formatSimTime(0)).toBe('t = 0.000 s');
    expect(formatSimTime(5_000)).toBe('t = 0.005 s');
    expect(formatSimTime(3_600_000_000)).toBe('t = 3600.000 s');
  });

  it('truncates rather than rounds, so it never shows a time not yet reached', () => {
    expect(formatSimTime(999_999)).toBe('t = 0.999 s');
    expect(formatSimTime(1_999_600)).toBe('t = 1.999 s');
  });

  it('treats nonsense as zero', () => {
    expect(formatSimTime(-5)).toBe('t = 0.000 s');
    expect(formatSimTime(Number.NaN)).toBe('t = 0.000 s');
  });
});

describe('formatBounds', () => {
  it('joins the range and unit', () => {
    expect(formatBounds(10, 5000, 'ms')).toBe('10–5000 ms');
    expect(formatBounds(0, 1, '')).toBe('0–1');
  });
});
