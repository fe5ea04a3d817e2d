import { describe, expect, it } from 'vitest';
import { CompareClock, tickGapMsMax, type MoveKind } from './clock.ts';
import type { SideName } from './protocol.ts';

function recordingClock() {
  const moves: [SideName, MoveKind, number][] = [];
  const clock = new CompareClock((side, kind, timeUs) => moves.push([side, kind, timeUs]));
  return { clock, moves };
}

describe('CompareClock', () => {
  it('moves both sides to the same time on each tick, by wall time × speed', () => {
    const { clock, moves } = recordingClock();
    clock.setSpeed(2);
    clock.play(1000);
    expect(clock.tick(1010)).toBe(true);
    expect(moves).toEqual([
      ['a', 'until', 20_000],
      ['b', 'until', 20_000],
    ]);
    expect(clock.targetUs).toBe(20_000);
  });

  it('waits for both sides to answer before setting the next time (lockstep)', () => {
    const { clock, moves } = recordingClock();
    clock.play(0);
    clock.tick(16);
    clock.acknowledge('a');
    expect(clock.tick(32)).toBe(false);
    expect(moves).toHaveLength(2);
    clock.acknowledge('b');
    expect(clock.tick(48)).toBe(true);
    // The wait is caught up: both go to the time the wall clock says, together.
    expect(moves.slice(2)).toEqual([
      ['a', 'until', 48_000],
      ['b', 'until', 48_000],
    ]);
  });

  it('does not burst after a long gap', () => {
    const { clock, moves } = recordingClock();
    clock.play(0);
    clock.tick(10_000);
    expect(moves[0]).toEqual(['a', 'until', tickGapMsMax * 1000]);
  });

  it('sends nothing while paused, and holds a side busy with a mirrored command', () => {
    const { clock, moves } = recordingClock();
    expect(clock.tick(100)).toBe(false);
    clock.play(100);
    clock.hold('b');
    expect(clock.tick(200)).toBe(false);
    clock.release('b');
    expect(clock.tick(200)).toBe(true);
    clock.pause();
    clock.acknowledge('a');
    clock.acknowledge('b');
    expect(clock.tick(300)).toBe(false);
    expect(moves).toHaveLength(2);
  });

  it('steps and seeks both sides to one exact time, pausing playback', () => {
    const { clock, moves } = recordingClock();
    clock.setTarget(5_000_000);
    clock.play(0);
    clock.stepBy(100_000);
    expect(clock.isPlaying).toBe(false);
    clock.seekTo(1_234_567.4);
    clock.seekTo(-5);
    expect(moves).toEqual([
      ['a', 'until', 5_100_000],
      ['b', 'until', 5_100_000],
      ['a', 'seek', 1_234_567],
      ['b', 'seek', 1_234_567],
      ['a', 'seek', 0],
      ['b', 'seek', 0],
    ]);
  });

  it('realigns one side with the shared time', () => {
    const { clock, moves } = recordingClock();
    clock.setTarget(7_000);
    clock.realign('b');
    expect(moves).toEqual([['b', 'seek', 7_000]]);
    expect(clock.isBusy('b')).toBe(true);
    expect(clock.isBusy('a')).toBe(false);
  });
});
