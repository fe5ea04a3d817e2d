import { describe, expect, it } from 'vitest';
import { defaultWindow, framesMax, planFrames, secondsToUs, usToSeconds } from './framePlan.ts';

const runEndUs = 60_000_000;

describe('planFrames', () => {
  it('takes frame i at from + i/fps, before the window’s end', () => {
    const result = planFrames({ fromUs: 1_000_000, toUs: 2_000_000, fps: 5, runEndUs });
    expect(result).toEqual({
      ok: true,
      plan: {
        timesUs: [1_000_000, 1_200_000, 1_400_000, 1_600_000, 1_800_000],
        fps: 5,
        frameMs: 200,
      },
    });
  });

  it('keeps whole microseconds where 1/fps is not one', () => {
    const result = planFrames({ fromUs: 0, toUs: 1_000_000, fps: 15, runEndUs });
    if (!result.ok) throw new Error(result.problem);
    expect(result.plan.timesUs).toHaveLength(15);
    expect(result.plan.timesUs.slice(0, 4)).toEqual([0, 66_666, 133_333, 200_000]);
    expect(result.plan.timesUs.every(Number.isSafeInteger)).toBe(true);
    expect(result.plan.frameMs).toBe(67);
  });

  it('counts a part of a frame interval as a frame', () => {
    const result = planFrames({ fromUs: 0, toUs: 250_000, fps: 10, runEndUs });
    expect(result.ok && result.plan.timesUs).toEqual([0, 100_000, 200_000]);
  });

  it('allows a window that ends exactly where the run has got to', () => {
    const result = planFrames({ fromUs: 0, toUs: runEndUs, fps: 5, runEndUs });
    expect(result.ok && result.plan.timesUs.length).toBe(300);
  });

  it.each([
    [{ fromUs: 2_000_000, toUs: 1_000_000, fps: 5 }, /must end after it starts/],
    [{ fromUs: 1_000_000, toUs: 1_000_000, fps: 5 }, /must end after it starts/],
    [{ fromUs: -1, toUs: 1_000_000, fps: 5 }, /cannot start before the run/],
    [{ fromUs: 0, toUs: runEndUs + 1, fps: 5 }, /must end by 60 s, as far as the run has gone/],
    [{ fromUs: 0.5, toUs: 1_000_000, fps: 5 }, /times in the run/],
    [{ fromUs: 0, toUs: Number.NaN, fps: 5 }, /times in the run/],
    [{ fromUs: 0, toUs: 1_000_000, fps: 0 }, /frame rate/],
    [{ fromUs: 0, toUs: 1_000_000, fps: 2.5 }, /frame rate/],
    [{ fromUs: 0, toUs: 1_000_000, fps: 61 }, /frame rate/],
  ])('refuses %o with a reason', (window, reason) => {
    const result = planFrames({ ...window, runEndUs });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(reason);
  });

  it('caps the frames of one export, saying how many were asked for', () => {
    const atCap = planFrames({ fromUs: 0, toUs: 24_000_000, fps: 25, runEndUs });
    expect(atCap.ok && atCap.plan.timesUs.length).toBe(framesMax);
    const past = planFrames({ fromUs: 0, toUs: 24_040_000, fps: 25, runEndUs });
    expect(past).toEqual({
      ok: false,
      problem: expect.stringMatching(/That is 601 frames; an export takes at most 600\./) as string,
    });
  });
});

describe('defaultWindow', () => {
  it('is two seconds each side of now, inside the run', () => {
    expect(defaultWindow(10_000_000, 30_000_000)).toEqual({ fromUs: 8_000_000, toUs: 12_000_000 });
    expect(defaultWindow(500_000, 30_000_000)).toEqual({ fromUs: 0, toUs: 2_500_000 });
    expect(defaultWindow(10_000_000, 11_000_000)).toEqual({
      fromUs: 8_000_000,
      toUs: 11_000_000,
    });
  });

  it('starts and ends on tenths of a second, except at the end of the run', () => {
    expect(defaultWindow(2_724_000, 30_000_000)).toEqual({ fromUs: 700_000, toUs: 4_800_000 });
    expect(defaultWindow(2_724_000, 2_724_000)).toEqual({ fromUs: 700_000, toUs: 2_724_000 });
  });
});

describe('seconds in the dialog’s fields', () => {
  it('round-trips exactly, without floating-point error', () => {
    expect(usToSeconds(4_200_000)).toBe('4.2');
    expect(usToSeconds(3_000_000)).toBe('3');
    expect(usToSeconds(66_666)).toBe('0.066666');
    expect(secondsToUs('4.2')).toBe(4_200_000);
    expect(secondsToUs(' 4,25 ')).toBe(4_250_000);
    expect(secondsToUs('7')).toBe(7_000_000);
    expect(secondsToUs('0.000001')).toBe(1);
  });

  it('gives null for what is not a time', () => {
    for (const text of ['', 'abc', '-1', '1.2.3', '1e3', '1.0000001'])
      expect(secondsToUs(text)).toBeNull();
  });
});
