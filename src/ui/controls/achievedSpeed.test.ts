import { describe, expect, it } from 'vitest';
import {
  AchievedSpeedMeter,
  achievedRefreshMs,
  achievedSpanMinMs,
  formatAchieved,
  type SpeedSample,
} from './achievedSpeed.ts';

/** Frames every `stepMs` of wall time, the run advancing `rate` simulated ms per wall ms. */
function feed(
  meter: AchievedSpeedMeter,
  from: { wallMs: number; timeUs: number },
  options: { speed: number; rate: number; forMs: number; stepMs?: number; isPlaying?: boolean },
): { wallMs: number; timeUs: number; shown: number | null } {
  const stepMs = options.stepMs ?? 16;
  let { wallMs, timeUs } = from;
  let shown: number | null = null;
  const end = wallMs + options.forMs;
  while (wallMs < end) {
    wallMs += stepMs;
    timeUs += Math.round(stepMs * options.rate * 1000);
    const frame: SpeedSample = {
      timeUs,
      isPlaying: options.isPlaying ?? true,
      speed: options.speed,
    };
    shown = meter.observe(frame, wallMs);
  }
  return { wallMs, timeUs, shown };
}

describe('achieved speed', () => {
  it('shows nothing while the run keeps up with the speed asked', () => {
    const meter = new AchievedSpeedMeter();
    const end = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 10, rate: 10, forMs: 5_000 });
    expect(end.shown).toBeNull();
    expect(meter.achieved()).toBeCloseTo(10, 5);
  });

  it('counts 96% of the speed asked as keeping up', () => {
    const meter = new AchievedSpeedMeter();
    const end = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 100, rate: 96, forMs: 5_000 });
    expect(end.shown).toBeNull();
  });

  it('gives the speed reached when the run falls behind', () => {
    const meter = new AchievedSpeedMeter();
    const end = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 1000, rate: 340, forMs: 5_000 });
    expect(end.shown).toBeCloseTo(340, 5);
    expect(formatAchieved(end.shown ?? 0)).toBe('340×');
  });

  it('waits for enough playing at one speed before it says anything', () => {
    const meter = new AchievedSpeedMeter();
    const early = feed(
      meter,
      { wallMs: 0, timeUs: 0 },
      { speed: 1000, rate: 300, forMs: achievedSpanMinMs - 100 },
    );
    expect(early.shown).toBeNull();
    const later = feed(meter, early, { speed: 1000, rate: 300, forMs: achievedRefreshMs + 100 });
    expect(later.shown).toBeCloseTo(300, 5);
  });

  it('follows a sliding window: an old slow stretch stops counting', () => {
    const meter = new AchievedSpeedMeter();
    const slow = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 100, rate: 20, forMs: 4_000 });
    expect(slow.shown).toBeCloseTo(20, 5);
    const fast = feed(meter, slow, { speed: 100, rate: 100, forMs: 4_000 });
    expect(fast.shown).toBeNull();
  });

  it('changes the figure at most once per refresh interval', () => {
    const meter = new AchievedSpeedMeter();
    let at = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 1000, rate: 300, forMs: 3_000 });
    const figures = new Set<number | null>();
    for (let i = 0; i < 20; i++) {
      // The rate changes every 100 ms; the figure may not.
      at = feed(meter, at, { speed: 1000, rate: 200 + 10 * i, forMs: 100 });
      figures.add(at.shown);
    }
    expect(figures.size).toBeLessThanOrEqual(3);
  });

  it('starts over on a pause, a new speed, or time going back', () => {
    const meter = new AchievedSpeedMeter();
    const lagging = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 1000, rate: 300, forMs: 3_000 });
    expect(lagging.shown).not.toBeNull();

    const paused = meter.observe({ timeUs: lagging.timeUs, isPlaying: false, speed: 1000 }, 3_100);
    expect(paused).toBeNull();

    // Playing again: no figure until the window has filled again.
    const resumed = feed(
      meter,
      { wallMs: 3_100, timeUs: lagging.timeUs },
      { speed: 1000, rate: 300, forMs: 200 },
    );
    expect(resumed.shown).toBeNull();

    const again = feed(meter, resumed, { speed: 1000, rate: 300, forMs: 3_000 });
    expect(again.shown).not.toBeNull();
    const slower = meter.observe({ timeUs: again.timeUs + 10, isPlaying: true, speed: 100 }, 6_400);
    expect(slower).toBeNull();

    const lagAgain = feed(
      meter,
      { wallMs: 6_400, timeUs: again.timeUs },
      { speed: 100, rate: 30, forMs: 3_000 },
    );
    expect(lagAgain.shown).toBeCloseTo(30, 5);
    const back = meter.observe({ timeUs: 0, isPlaying: true, speed: 100 }, 9_500);
    expect(back).toBeNull();
  });

  it('measures frames that arrive unevenly (the page busy, frames skipped) by their time', () => {
    const meter = new AchievedSpeedMeter();
    // Bursts: a frame after 250 ms carrying 250 ms of progress, then two close together.
    let at = { wallMs: 0, timeUs: 0, shown: null as number | null };
    for (let i = 0; i < 20; i++) {
      at = feed(meter, at, { speed: 1000, rate: 500, forMs: 250, stepMs: 250 });
      at = feed(meter, at, { speed: 1000, rate: 500, forMs: 2, stepMs: 1 });
    }
    expect(at.shown).toBeCloseTo(500, 5);
  });

  it('rounds down, never claiming more than is reached', () => {
    expect(formatAchieved(0.004)).toBe('under 0.01×');
    expect(formatAchieved(0)).toBe('under 0.01×');
    expect(formatAchieved(0.29)).toBe('0.29×');
    expect(formatAchieved(0.2599)).toBe('0.25×');
    expect(formatAchieved(7.99)).toBe('7.9×');
    expect(formatAchieved(949.9)).toBe('949×');
  });

  it('drops when frames stop coming while the run is meant to play', () => {
    const meter = new AchievedSpeedMeter();
    const playing = feed(meter, { wallMs: 0, timeUs: 0 }, { speed: 1, rate: 1, forMs: 3_000 });
    expect(playing.shown).toBeNull();
    // Frames keep coming: the check between them changes nothing.
    expect(meter.tick(playing.wallMs + 10)).toBeNull();
    // None for 1.5 s: over the last 2 s the run moved about a quarter of real time.
    const stalled = meter.tick(playing.wallMs + 1_500);
    expect(stalled).not.toBeNull();
    expect(stalled ?? 1).toBeLessThan(0.5);
  });
});
