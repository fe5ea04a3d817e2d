import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampSpeed,
  fasterSpeed,
  formatSpeed,
  sliderMax,
  sliderMin,
  sliderToSpeed,
  slowerSpeed,
  speedMax,
  speedMin,
  speedToSlider,
} from './speedScale.ts';

describe('speed scale', () => {
  it('maps the slider ends to 0.01× and 1000× and 1× to the second decade', () => {
    expect(sliderToSpeed(sliderMin)).toBe(speedMin);
    expect(sliderToSpeed(sliderMax)).toBe(speedMax);
    expect(speedToSlider(1)).toBe(200);
    expect(sliderToSpeed(200)).toBe(1);
    expect(sliderToSpeed(100)).toBe(0.1);
    expect(sliderToSpeed(400)).toBe(100);
  });

  it('rounds to readable speeds', () => {
    // 10^0.3 is 1.995…: the label should say 2×.
    expect(sliderToSpeed(230)).toBe(2);
    expect(sliderToSpeed(170)).toBe(0.5);
  });

  it('clamps positions and speeds outside the range', () => {
    expect(sliderToSpeed(-50)).toBe(speedMin);
    expect(sliderToSpeed(9999)).toBe(speedMax);
    expect(speedToSlider(1e6)).toBe(sliderMax);
    expect(speedToSlider(0)).toBe(sliderMin);
    expect(clampSpeed(Number.NaN)).toBe(1);
  });

  it('round-trips every slider position', () => {
    fc.assert(
      fc.property(fc.integer({ min: sliderMin, max: sliderMax }), (position) => {
        const speed = sliderToSpeed(position);
        expect(speed).toBeGreaterThanOrEqual(speedMin);
        expect(speed).toBeLessThanOrEqual(speedMax);
        // Two significant digits can move a position by at most a couple of steps.
        expect(Math.abs(speedToSlider(speed) - position)).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('is monotonic', () => {
    for (let position = sliderMin; position < sliderMax; position++) {
      expect(sliderToSpeed(position + 1)).toBeGreaterThanOrEqual(sliderToSpeed(position));
    }
  });

  it('formats speeds as multiples of real time', () => {
    expect(formatSpeed(2)).toBe('2×');
    expect(formatSpeed(0.1)).toBe('0.1×');
    expect(formatSpeed(1000)).toBe('1000×');
    expect(formatSpeed(0.01)).toBe('0.01×');
    expect(formatSpeed(0.25)).toBe('0.25×');
    expect(formatSpeed(1.995)).toBe('2×');
    expect(formatSpeed(123.4)).toBe('123×');
  });

  it('doubles and halves within the bounds', () => {
    expect(fasterSpeed(1)).toBe(2);
    expect(slowerSpeed(1)).toBe(0.5);
    expect(fasterSpeed(800)).toBe(1000);
    expect(slowerSpeed(0.015)).toBe(0.01);
  });
});
