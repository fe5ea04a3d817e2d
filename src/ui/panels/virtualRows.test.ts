import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstAtOrAfter, isAtBottom, rowWindow } from './virtualRows.ts';

describe('rowWindow', () => {
  it('renders only the visible rows of 100,000, plus the overscan', () => {
    const window = rowWindow({
      scrollTop: 50_000 * 20,
      viewportHeight: 300,
      rowHeight: 20,
      rowCount: 100_000,
      overscan: 5,
    });
    expect(window).toEqual({
      start: 49_995,
      end: 50_021,
      offsetTop: 49_995 * 20,
      totalHeight: 2_000_000,
    });
  });

  it('starts at the top and stops at the end', () => {
    const top = rowWindow({
      scrollTop: 0,
      viewportHeight: 100,
      rowHeight: 20,
      rowCount: 1000,
      overscan: 3,
    });
    expect([top.start, top.end, top.offsetTop]).toEqual([0, 9, 0]);
    const bottom = rowWindow({
      scrollTop: 99_999_999,
      viewportHeight: 100,
      rowHeight: 20,
      rowCount: 1000,
      overscan: 3,
    });
    expect(bottom.end).toBe(1000);
    expect(bottom.start).toBe(1000 - 5 - 3);
  });

  it('handles an empty list and a list shorter than the viewport', () => {
    expect(
      rowWindow({ scrollTop: 40, viewportHeight: 300, rowHeight: 20, rowCount: 0, overscan: 5 }),
    ).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    const short = rowWindow({
      scrollTop: 0,
      viewportHeight: 300,
      rowHeight: 20,
      rowCount: 4,
      overscan: 5,
    });
    expect([short.start, short.end]).toEqual([0, 4]);
  });

  it('always covers every visible row and renders a bounded number of rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 10 }),
        (rowCount, viewportHeight, rowHeight, scrollTop, overscan) => {
          const w = rowWindow({ scrollTop, viewportHeight, rowHeight, rowCount, overscan });
          const maxScroll = Math.max(0, rowCount * rowHeight - viewportHeight);
          const top = Math.min(scrollTop, maxScroll);
          const firstVisible = Math.floor(top / rowHeight);
          const lastVisible = Math.min(rowCount, Math.ceil((top + viewportHeight) / rowHeight));
          expect(w.start).toBeLessThanOrEqual(Math.min(firstVisible, rowCount));
          expect(w.end).toBeGreaterThanOrEqual(lastVisible);
          expect(w.end - w.start).toBeLessThanOrEqual(
            Math.ceil(viewportHeight / rowHeight) + 1 + 2 * overscan,
          );
          expect(w.offsetTop).toBe(w.start * rowHeight);
        },
      ),
    );
  });
});

describe('isAtBottom', () => {
  it('is true at the end of the list, within the tolerance', () => {
    expect(isAtBottom(700, 300, 1000, 4)).toBe(true);
    expect(isAtBottom(697, 300, 1000, 4)).toBe(true);
    expect(isAtBottom(600, 300, 1000, 4)).toBe(false);
    expect(isAtBottom(0, 300, 100, 4)).toBe(true);
  });
});

describe('firstAtOrAfter', () => {
  const items = [2, 4, 4, 9, 15].map((index) => ({ index }));
  const keyOf = (item: { index: number }): number => item.index;

  it('finds the first item at or after a key', () => {
    expect(firstAtOrAfter(items, keyOf, 4)).toBe(1);
    expect(firstAtOrAfter(items, keyOf, 5)).toBe(3);
    expect(firstAtOrAfter(items, keyOf, 0)).toBe(0);
    expect(firstAtOrAfter(items, keyOf, 16)).toBe(5);
    expect(firstAtOrAfter([], keyOf, 3)).toBe(0);
  });
});
