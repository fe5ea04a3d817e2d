import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import { makeFrame } from '../testing/fixtures.ts';
import {
  dropFiguresOf,
  dropNoticeText,
  dropQuestionText,
  sharedPrefixLength,
  spanText,
} from './actInPast.ts';

const crashN2: RecordedCommand = { atUs: 1_200_000, command: { type: 'node.crash', node: 'n2' } };
const healAll: RecordedCommand = { atUs: 2_000_000, command: { type: 'net.heal' } };

describe('what acting in the past drops', () => {
  it('is nothing at the frontier', () => {
    const frame = makeFrame({ timeUs: 4_000_000, frontierUs: 4_000_000, commandsApplied: 2 });
    expect(dropFiguresOf(frame, [crashN2, healAll])).toBeNull();
    expect(dropFiguresOf(null, [])).toBeNull();
  });

  it('is the time up to the frontier and the commands that have not taken effect yet', () => {
    const frame = makeFrame({
      timeUs: 800_000,
      frontierUs: 4_200_000,
      commandCount: 2,
      commandsApplied: 0,
    });
    const figures = dropFiguresOf(frame, [crashN2, healAll]);
    expect(figures).toEqual({ atUs: 800_000, droppedUs: 3_400_000, commands: [crashN2, healAll] });
    if (figures === null) return;
    expect(dropQuestionText(figures)).toBe(
      'Acting here drops 3.4 s of the run and 2 recorded commands after t = 0.800 s. Go on?',
    );
    expect(dropNoticeText({ ...figures, commands: [healAll] })).toBe(
      'Dropped 3.4 s of the run and 1 recorded command after t = 0.800 s.',
    );
    expect(dropNoticeText({ ...figures, commands: [] })).toBe(
      'Dropped 3.4 s of the run after t = 0.800 s.',
    );
  });

  it('counts a command waiting at this very boundary even when no time is left', () => {
    // Stepping event by event can stop right where a recorded command will apply.
    const frame = makeFrame({ timeUs: 1_200_000, frontierUs: 1_200_000, commandsApplied: 0 });
    const figures = dropFiguresOf(frame, [crashN2]);
    expect(figures?.droppedUs).toBe(0);
    if (figures !== null)
      expect(dropQuestionText(figures)).toBe(
        'Acting here drops 1 recorded command after t = 1.200 s. Go on?',
      );
  });

  it('says spans of simulated time in readable units', () => {
    expect(spanText(300)).toBe('1 ms');
    expect(spanText(250_400)).toBe('250 ms');
    expect(spanText(3_000_000)).toBe('3 s');
    expect(spanText(3_449_000)).toBe('3.4 s');
    expect(spanText(725_000_000)).toBe('12 min 5 s');
  });

  it('finds the commands a fork kept', () => {
    const crashN3: RecordedCommand = { atUs: 800_000, command: { type: 'node.crash', node: 'n3' } };
    expect(sharedPrefixLength([crashN2, healAll], [crashN2, crashN3])).toBe(1);
    expect(sharedPrefixLength([crashN2, healAll], [crashN3])).toBe(0);
    expect(sharedPrefixLength([crashN2], [{ ...crashN2 }, healAll])).toBe(1);
  });
});
