import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DisplayClock,
  extrapolationMaxMs,
  fadeAlpha,
  pointOnLink,
  progressAt,
  shownProgress,
  type MutablePoint,
} from './messageMath.ts';

describe('progressAt', () => {
  test('runs from 0 at the send time to 1 at the due time', () => {
    expect(progressAt(1_000, 3_000, 1_000)).toBe(0);
    expect(progressAt(1_000, 3_000, 1_500)).toBe(0.25);
    expect(progressAt(1_000, 3_000, 2_000)).toBe(0.5);
    expect(progressAt(1_000, 3_000, 3_000)).toBe(1);
  });

  test('is clamped before sending and after the due time', () => {
    expect(progressAt(1_000, 3_000, 0)).toBe(0);
    expect(progressAt(1_000, 3_000, 9_000)).toBe(1);
  });

  test('a message due at once (or with a due time before its send) is at the receiver', () => {
    expect(progressAt(5_000, 5_000, 5_000)).toBe(1);
    expect(progressAt(5_000, 4_000, 5_000)).toBe(1);
  });

  test('stays in [0, 1] and never decreases as time goes on', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e7 }),
        fc.integer({ min: -1e7, max: 2e7 }),
        fc.integer({ min: 0, max: 1e6 }),
        (sentUs, latencyUs, offsetUs, laterUs) => {
          const dueUs = sentUs + latencyUs;
          const now = progressAt(sentUs, dueUs, sentUs + offsetUs);
          const later = progressAt(sentUs, dueUs, sentUs + offsetUs + laterUs);
          expect(now).toBeGreaterThanOrEqual(0);
          expect(now).toBeLessThanOrEqual(1);
          expect(later).toBeGreaterThanOrEqual(now);
        },
      ),
    );
  });
});

describe('pointOnLink', () => {
  const out: MutablePoint = { x: NaN, y: NaN };

  test('interpolates between the endpoints without trim or lane', () => {
    expect(pointOnLink(0, 0, 100, 0, 0, 0, 0, out)).toEqual({ x: 0, y: 0 });
    expect(pointOnLink(0, 0, 100, 0, 0.25, 0, 0, out)).toEqual({ x: 25, y: 0 });
    expect(pointOnLink(10, 20, 10, 120, 1, 0, 0, out)).toEqual({ x: 10, y: 120 });
  });

  test('travels from node edge to node edge when trimmed', () => {
    expect(pointOnLink(0, 0, 100, 0, 0, 20, 0, out)).toEqual({ x: 20, y: 0 });
    expect(pointOnLink(0, 0, 100, 0, 1, 20, 0, out)).toEqual({ x: 80, y: 0 });
    expect(pointOnLink(0, 0, 100, 0, 0.5, 20, 0, out)).toEqual({ x: 50, y: 0 });
  });

  test('trims less when the nodes are too close for the full trim', () => {
    const start = pointOnLink(0, 0, 30, 0, 0, 20, 0, { x: 0, y: 0 });
    const end = pointOnLink(0, 0, 30, 0, 1, 20, 0, { x: 0, y: 0 });
    expect(start.x).toBeCloseTo(7.5);
    expect(end.x).toBeCloseTo(22.5);
  });

  test('messages going opposite ways sit on opposite sides of the link', () => {
    const there = pointOnLink(0, 0, 100, 0, 0.5, 0, 3, { x: 0, y: 0 });
    const back = pointOnLink(100, 0, 0, 0, 0.5, 0, 3, { x: 0, y: 0 });
    expect(there.x).toBeCloseTo(50);
    expect(back.x).toBeCloseTo(50);
    expect(there.y).toBeCloseTo(3);
    expect(back.y).toBeCloseTo(-3);
  });

  test('writes into and returns the given point, and copes with a zero-length link', () => {
    const target: MutablePoint = { x: 0, y: 0 };
    expect(pointOnLink(5, 5, 5, 5, 0.7, 10, 3, target)).toBe(target);
    expect(target).toEqual({ x: 5, y: 5 });
  });
});

describe('fadeAlpha', () => {
  test('fades linearly from 1 to 0 over its life', () => {
    expect(fadeAlpha(0, 400)).toBe(1);
    expect(fadeAlpha(100, 400)).toBe(0.75);
    expect(fadeAlpha(400, 400)).toBe(0);
    expect(fadeAlpha(900, 400)).toBe(0);
    expect(fadeAlpha(-5, 400)).toBe(1);
  });
});

describe('DisplayClock', () => {
  test('while paused it shows the frame time, whatever the wall time', () => {
    const clock = new DisplayClock();
    clock.onFrame(50_000, 1_000, 1, false);
    expect(clock.timeAt(1_000)).toBe(50_000);
    expect(clock.timeAt(5_000)).toBe(50_000);
    expect(clock.isRunning).toBe(false);
  });

  test('while playing it extrapolates at wall time × speed, up to the cap', () => {
    const clock = new DisplayClock();
    clock.onFrame(50_000, 1_000, 2, true);
    expect(clock.timeAt(1_000)).toBe(50_000);
    // 10 ms of wall time at 2× is 20 ms of simulated time.
    expect(clock.timeAt(1_010)).toBe(70_000);
    // Far past the next frame's due time, it stops at the cap.
    expect(clock.timeAt(2_000)).toBe(50_000 + extrapolationMaxMs * 2 * 1000);
    expect(clock.isRunning).toBe(true);
  });

  test('without extrapolation it shows the frame time even while playing', () => {
    const clock = new DisplayClock();
    clock.onFrame(50_000, 1_000, 1, true);
    expect(clock.timeAt(1_010, false)).toBe(50_000);
  });

  test('never goes backwards while playing when a frame lags the estimate', () => {
    const clock = new DisplayClock();
    clock.onFrame(0, 0, 1, true);
    expect(clock.timeAt(20)).toBe(20_000);
    // The next frame only reached 15 ms of simulated time: hold at 20 ms until it catches up.
    clock.onFrame(15_000, 20, 1, true);
    expect(clock.timeAt(21)).toBe(20_000);
    expect(clock.timeAt(30)).toBe(25_000);
  });

  test('a seek backwards, a pause or a change of speed shows the new frame time at once', () => {
    const clock = new DisplayClock();
    clock.onFrame(100_000, 0, 1, true);
    expect(clock.timeAt(20)).toBe(120_000);
    clock.onFrame(40_000, 20, 1, true);
    expect(clock.timeAt(20)).toBe(40_000);
    expect(clock.timeAt(30)).toBe(50_000);
    clock.onFrame(45_000, 30, 1, false);
    expect(clock.timeAt(30)).toBe(45_000);
    clock.onFrame(45_000, 40, 1, true);
    expect(clock.timeAt(50)).toBe(55_000);
    clock.onFrame(50_000, 50, 0.5, true);
    expect(clock.timeAt(50)).toBe(50_000);
  });

  test('stays within one cap of the latest frame, for any frame sequence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            advanceUs: fc.integer({ min: 0, max: 100_000 }),
            gapMs: fc.integer({ min: 0, max: 100 }),
            speed: fc.constantFrom(0.1, 1, 10),
            isPlaying: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (frames) => {
          const clock = new DisplayClock();
          let timeUs = 0;
          let wallMs = 0;
          for (const frame of frames) {
            timeUs += frame.advanceUs;
            wallMs += frame.gapMs;
            clock.onFrame(timeUs, wallMs, frame.speed, frame.isPlaying);
            const shown = clock.timeAt(wallMs + frame.gapMs / 2);
            const limitUs = frame.isPlaying ? extrapolationMaxMs * frame.speed * 1000 : 0;
            expect(shown).toBeGreaterThanOrEqual(timeUs);
            expect(shown).toBeLessThanOrEqual(timeUs + limitUs + 1e-6);
          }
        },
      ),
    );
  });
});

describe('shownProgress', () => {
  test('follows the simulation for a slow trip and stretches a fast one to the minimum', () => {
    // A long trip: the simulation is the slower of the two.
    expect(shownProgress(0.2, 0, 400, 450)).toBe(0.2);
    // A fast trip, already delivered in the simulation: it crosses in 450 ms of wall time.
    expect(shownProgress(1, 1000, 1000, 450)).toBe(0);
    expect(shownProgress(1, 1000, 1225, 450)).toBeCloseTo(0.5);
    expect(shownProgress(1, 1000, 1450, 450)).toBe(1);
    expect(shownProgress(1, 1000, 5000, 450)).toBe(1);
  });

  test('never goes backwards in wall time and shows the truth with no minimum', () => {
    expect(shownProgress(0.7, 1000, 900, 450)).toBe(0);
    expect(shownProgress(0.7, 1000, 1000, 0)).toBe(0.7);
  });
});
