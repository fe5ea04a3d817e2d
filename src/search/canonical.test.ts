import { describe, expect, it } from 'vitest';
import { canonicalText } from './canonical.ts';

/* State keys must never merge different data and must merge equal data. */

describe('canonicalText', () => {
  it('gives equal data the same text', () => {
    const a = {
      term: 3,
      votes: new Set(['n1', 'n2']),
      log: [1, 2, { x: 'y' }],
      byTerm: new Map([[1, 'n1']]),
    };
    const b = {
      term: 3,
      votes: new Set(['n1', 'n2']),
      log: [1, 2, { x: 'y' }],
      byTerm: new Map([[1, 'n1']]),
    };
    expect(canonicalText(a)).toBe(canonicalText(b));
  });

  it('tells apart values a looser encoding would merge', () => {
    const pairs: [unknown, unknown][] = [
      [0, -0],
      [1, '1'],
      [null, undefined],
      [[], {}],
      [new Map([['a', 1]]), { a: 1 }],
      [new Set([1]), [1]],
      [{ a: undefined }, {}],
      [['a,b'], ['a', 'b']],
      [{ 'a:1': 2 }, { a: '1:2' }],
      [true, 't'],
    ];
    for (const [x, y] of pairs) expect(canonicalText(x)).not.toBe(canonicalText(y));
  });

  it('reads a Map again after it changed (containers are never remembered)', () => {
    const memory = new Map([
      [1, 'n1'],
      [2, 'n2'],
      [3, 'n3'],
      [4, 'n4'],
    ]);
    const before = canonicalText(memory);
    memory.set(5, 'n5');
    expect(canonicalText(memory)).not.toBe(before);
  });
});
