import { describe, expect, it } from 'vitest';
import { buildHistory, HistoryError, precedes, type Operation } from './history.ts';
import { read, resetIds, write } from './testHistories.ts';

function problemsOf(ops: Operation[]): readonly string[] {
  try {
    buildHistory(ops);
  } catch (error) {
    if (error instanceof HistoryError) return error.problems;
    throw error;
  }
  return [];
}

describe('buildHistory', () => {
  it('orders a valid history by invocation time, then id, and leaves the input alone', () => {
    resetIds();
    const ops = [read('c2', 1, 500, 600), write('c1', 1, 0, 100), read('c3', 1, 500, 700)];
    const copy = ops.slice();
    expect(buildHistory(ops).ops.map((op) => op.id)).toEqual([1, 0, 2]);
    expect(ops).toEqual(copy);
  });

  it('names every problem with its op', () => {
    resetIds();
    expect(
      problemsOf([
        write('c1', 1, 0, 100),
        { ...write('c9', 3, 0, 10), id: 0 },
        read('c2', 1, 500, 400),
        { ...read('c3', 1, -1, 5), id: 7 },
        { id: 8, client: 'c4', key: 'x', kind: 'write', invokeUs: 0, completeUs: 1 },
        { id: 9, client: '', key: 'x', kind: 'read', invokeUs: 0, completeUs: Number.NaN },
      ]),
    ).toEqual([
      'op 0: id used twice',
      'op 2: completed at 400000 µs, before it was invoked at 500000 µs',
      'op 7: invocation time must be a finite time ≥ 0',
      'op 8: write without a value',
      'op 9: no client',
      'op 9: completion time not finite',
    ]);
  });

  it("rejects a client's op sent while its previous one was open", () => {
    resetIds();
    expect(problemsOf([write('c1', 1, 0, null), read('c1', 1, 100, 200)])).toEqual([
      'op 1: client c1 invoked it while its op 0 was still open',
    ]);
    resetIds();
    expect(() => buildHistory([write('c1', 1, 0, 100), read('c1', 1, 50, 200)])).toThrow(
      'The history is not valid: op 1: client c1 invoked it while its op 0 was still open',
    );
  });

  it('treats an answer and a request at one instant as ordered, unless both take no time', () => {
    resetIds();
    const [a, b, c, d] = [
      write('c1', 1, 0, 10),
      read('c2', 1, 10, 20),
      write('c3', 2, 20, 20),
      read('c4', 2, 20, 20),
    ] as [Operation, Operation, Operation, Operation];
    expect(precedes(a, b)).toBe(true);
    expect(precedes(b, a)).toBe(false);
    expect(precedes(b, c)).toBe(true);
    expect(precedes(c, d)).toBe(false);
    expect(precedes(d, c)).toBe(false);
    expect(precedes(write('c5', 3, 0, null), b)).toBe(false);
  });
});
