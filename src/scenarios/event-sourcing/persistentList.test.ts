import { describe, expect, it } from 'vitest';
import { prefixTotal, rangeIncludes } from './listFolds.ts';
import {
  emptyList,
  itemAt,
  listOf,
  type PersistentList,
  push,
  setAt,
  sliceOf,
  sourceOf,
  takeFirst,
  toArray,
} from './persistentList.ts';

/*
 * The persistent list behind the log, the streams and the ledgers, and the folds the invariants
 * and handlers take from it: checked against plain arrays across tree heights (32, 1,024 and
 * 32,768 items are where a level is added).
 */

const lengths = [0, 1, 31, 32, 33, 1023, 1024, 1025, 33_000];

describe('persistent list', () => {
  it.each(lengths)('holds %i items in order, sliced like an array', (length) => {
    const items = Array.from({ length }, (_, index) => index * 3);
    const list = listOf(items);
    expect(list.length).toBe(length);
    expect(toArray(list)).toEqual(items);
    for (const index of [-1, 0, 31, 32, length - 1, length]) {
      expect(itemAt(list, index)).toBe(items[index]);
    }
    for (const [from, to] of [
      [0, length],
      [5, 40],
      [-3, 7],
      [length - 40, length + 5],
      [1000, 1100],
    ] as const) {
      expect(sliceOf(list, from, to)).toEqual(items.slice(Math.max(0, from), to));
    }
    expect(toArray(takeFirst(list, 10))).toEqual(items.slice(0, 10));
  });

  it('never changes a version another one was made from', () => {
    const versions: PersistentList<number>[] = [emptyList()];
    for (let index = 0; index < 2100; index++) {
      versions.push(push(versions[index] as PersistentList<number>, index));
    }
    const middle = versions[1500] as PersistentList<number>;
    const before = JSON.stringify(middle);
    const changed = setAt(middle, 700, -1);
    push(middle, 99);
    expect(JSON.stringify(middle)).toBe(before);
    expect(itemAt(changed, 700)).toBe(-1);
    expect(itemAt(middle, 700)).toBe(700);
    versions.forEach((version, length) => {
      expect(version.length).toBe(length);
      expect(itemAt(version, length - 1)).toBe(length - 1 >= 0 ? length - 1 : undefined);
    });
  });

  it('remembers where a slice came from', () => {
    const list = listOf([1, 2, 3, 4]);
    const slice = sliceOf(list, 1, 3);
    expect(sourceOf(slice)).toEqual({ list, from: 1 });
    expect(sourceOf([2, 3])).toBeUndefined();
  });
});

describe('folds over a persistent list', () => {
  const items = Array.from({ length: 2500 }, (_, index) => ((index * 7919) % 201) - 100);

  it('sums any prefix like a plain loop, also by index', () => {
    const total = prefixTotal<number>(
      (item, index) => item * (index % 3),
      (a, b) => a + b,
    );
    let list = emptyList<number>();
    let expected = 0;
    items.forEach((item, index) => {
      list = push(list, item);
      expected += item * (index % 3);
      expect(total(list, index + 1)).toBe(expected);
    });
    for (const count of [0, 1, 32, 33, 1024, 1500, 2500]) {
      const naive = items.slice(0, count).reduce((sum, item, index) => sum + item * (index % 3), 0);
      expect(total(list, count)).toBe(naive);
    }
  });

  it('finds a key in any range like a plain scan', () => {
    const includes = rangeIncludes<number>((item) => String(item));
    const list = listOf(items);
    for (const [from, to] of [
      [0, 2500],
      [0, 1024],
      [31, 1057],
      [1024, 2048],
      [2000, 2001],
      [7, 7],
    ] as const) {
      for (const key of [-100, -3, 0, 17, 100, 101]) {
        const naive = items.slice(from, to).includes(key);
        expect(includes(list, from, to, String(key)), `${from}-${to} ${key}`).toBe(naive);
      }
    }
  });
});
