import { describe, expect, test } from 'vitest';
import { siblingIndex } from './roving.ts';

describe('siblingIndex', () => {
  test('arrows move to the next or previous item and wrap around', () => {
    expect(siblingIndex('ArrowRight', 0, 3)).toBe(1);
    expect(siblingIndex('ArrowDown', 2, 3)).toBe(0);
    expect(siblingIndex('ArrowLeft', 0, 3)).toBe(2);
    expect(siblingIndex('ArrowUp', 2, 3)).toBe(1);
  });

  test('Home and End go to the ends; other keys and empty groups do nothing', () => {
    expect(siblingIndex('Home', 2, 3)).toBe(0);
    expect(siblingIndex('End', 0, 3)).toBe(2);
    expect(siblingIndex('Enter', 1, 3)).toBeNull();
    expect(siblingIndex('ArrowRight', 0, 0)).toBeNull();
  });
});
