import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FailureTest, ddmin, split } from './ddmin.ts';

/*
 * ddmin on its own, with made-up failures: a set fails when it contains every item of at least
 * one "cause". The result must fail, be a subset of the input in order, and be 1-minimal.
 */

function failsNow(causes: readonly (readonly number[])[], candidate: readonly number[]): boolean {
  return causes.some((cause) => cause.every((item) => candidate.includes(item)));
}

/** A test that fails when the candidate contains all of some cause; counts its calls. */
function causesTest(causes: readonly (readonly number[])[]): {
  test: FailureTest<number, null>;
  calls: () => number;
} {
  let calls = 0;
  return {
    // eslint-disable-next-line require-yield -- a test with nothing to report between runs
    *test(candidate) {
      calls++;
      return failsNow(causes, candidate);
    },
    calls: () => calls,
  };
}

function runToEnd<T>(search: Generator<unknown, T>): T {
  for (;;) {
    const next = search.next();
    if (next.done === true) return next.value;
  }
}

describe('ddmin', () => {
  it('finds the two items that fail together among sixteen', () => {
    const items = Array.from({ length: 16 }, (_, i) => i);
    const { test } = causesTest([[3, 11]]);
    expect(runToEnd(ddmin(items, test))).toEqual([3, 11]);
  });

  it('keeps a single failing item and stops', () => {
    const { test, calls } = causesTest([[0]]);
    expect(runToEnd(ddmin([0], test))).toEqual([0]);
    expect(calls()).toBe(0);
  });

  it('reports each smaller size it reaches', () => {
    const sizes: number[] = [];
    const { test } = causesTest([[5]]);
    runToEnd(
      ddmin([1, 2, 3, 4, 5, 6, 7, 8], test, (size) => {
        sizes.push(size);
      }),
    );
    expect(sizes.at(-1)).toBe(1);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('ends on a failing, ordered, 1-minimal subset for any causes', () => {
    const causeArb = fc.uniqueArray(fc.integer({ min: 0, max: 19 }), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(fc.array(causeArb, { minLength: 1, maxLength: 3 }), (causes) => {
        const items = Array.from({ length: 20 }, (_, i) => i);
        const result = runToEnd(ddmin(items, causesTest(causes).test));
        expect(failsNow(causes, result)).toBe(true);
        expect(result).toEqual(items.filter((item) => result.includes(item)));
        for (const item of result) {
          expect(
            failsNow(
              causes,
              result.filter((each) => each !== item),
            ),
          ).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('splits into nearly equal contiguous chunks', () => {
    expect(split([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(split([1, 2], 4)).toEqual([[1], [2]]);
  });
});
