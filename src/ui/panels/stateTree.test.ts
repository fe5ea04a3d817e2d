import { describe, expect, it } from 'vitest';
import { describeValue, leafText, treeLimits } from './stateTree.ts';

describe('leafText', () => {
  it('writes primitives the way a developer reads them', () => {
    expect(leafText('leader')).toBe('"leader"');
    expect(leafText(4)).toBe('4');
    expect(leafText(null)).toBe('null');
    expect(leafText(undefined)).toBe('undefined');
    expect(leafText(true)).toBe('true');
    expect(leafText(10n)).toBe('10n');
    expect(leafText(new Float64Array(4))).toBe('Float64Array (32 bytes)');
  });

  it('cuts long strings', () => {
    const text = leafText('x'.repeat(1000));
    expect(text.length).toBeLessThan(treeLimits.stringCharsMax + 40);
    expect(text).toContain('(1002 characters)');
  });
});

describe('describeValue', () => {
  it('opens objects, arrays, Maps and Sets into entries with a summary', () => {
    expect(describeValue({ term: 3, role: 'leader' })).toEqual({
      kind: 'branch',
      summary: '{2 keys}',
      entries: [
        ['term', 3],
        ['role', 'leader'],
      ],
      hiddenCount: 0,
    });
    expect(describeValue(['a'])).toMatchObject({ summary: '[1 item]', entries: [['0', 'a']] });
    expect(describeValue(new Map([['n1', 2]]))).toMatchObject({
      summary: 'Map (1 entry)',
      entries: [['"n1"', 2]],
    });
    expect(describeValue(new Set(['n2', 'n3']))).toMatchObject({ summary: 'Set (2 items)' });
  });

  it('shows empty containers and primitives as leaves', () => {
    expect(describeValue({})).toEqual({ kind: 'leaf', text: '{}' });
    expect(describeValue([])).toEqual({ kind: 'leaf', text: '[]' });
    expect(describeValue(new Map())).toEqual({ kind: 'leaf', text: 'Map (empty)' });
    expect(describeValue(7)).toEqual({ kind: 'leaf', text: '7' });
  });

  it('lists at most entriesMax children and counts the rest', () => {
    const big = Array.from({ length: 10_000 }, (_, index) => index);
    const item = describeValue(big);
    expect(item.kind === 'branch' && item.entries.length).toBe(treeLimits.entriesMax);
    expect(item.kind === 'branch' && item.hiddenCount).toBe(10_000 - treeLimits.entriesMax);
    const wide = Object.fromEntries(big.map((index) => [`k${index}`, index]));
    const object = describeValue(wide);
    expect(object.kind === 'branch' && object.hiddenCount).toBe(10_000 - treeLimits.entriesMax);
  });
});
