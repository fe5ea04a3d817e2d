import { describe, expect, it } from 'vitest';
import { labelLeftPx, writtenLabels } from './momentLabels.ts';

describe('writtenLabels', () => {
  it('writes every label when there is room', () => {
    const ticks = [
      { at: 0.1, text: 'Opened' },
      { at: 0.5, text: 'Half-open' },
      { at: 0.9, text: 'Closed' },
    ];
    expect(writtenLabels(ticks, 600, 6)).toEqual([0, 1, 2]);
  });

  it('skips a label that would run into the previous written one, never overlapping', () => {
    const ticks = [
      { at: 0.1, text: 'Leader elected' },
      { at: 0.12, text: 'Leader lost' },
      { at: 0.14, text: 'Leader elected' },
      { at: 0.6, text: 'Leader lost' },
    ];
    const written = writtenLabels(ticks, 500, 6);
    expect(written).toEqual([0, 3]);
    for (let i = 1; i < written.length; i++) {
      const a = ticks[written[i - 1] ?? 0];
      const b = ticks[written[i] ?? 0];
      if (a === undefined || b === undefined) throw new Error('missing tick');
      const aRight = labelLeftPx(a.at, a.text.length * 6, 500) + a.text.length * 6;
      expect(labelLeftPx(b.at, b.text.length * 6, 500)).toBeGreaterThan(aRight);
    }
  });

  it('keeps labels inside the track at its ends, and writes none on a track too narrow', () => {
    expect(labelLeftPx(0, 60, 400)).toBe(0);
    expect(labelLeftPx(1, 60, 400)).toBe(340);
    expect(writtenLabels([{ at: 0.5, text: 'A very long label' }], 50, 6)).toEqual([]);
  });
});
