import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../consistency/history.ts';
import { operationsOf, type RecordedOp } from './history.ts';

function op(
  client: string,
  kind: 'read' | 'write',
  invokeUs: number,
  completeUs: number | null,
  value: number | null,
  requestId = 1,
): RecordedOp {
  return { client, kind, key: 3, invokeUs, completeUs, value, requestId };
}

describe('operationsOf', () => {
  it('splits a client with overlapping operations into sessions, reusing the first free one', () => {
    const ops = operationsOf(
      [
        op('c1', 'write', 0, 50, null, 7),
        op('c1', 'read', 10, 20, 1),
        op('c1', 'read', 15, 40, 1),
        op('c1', 'read', 60, 70, 9),
      ],
      () => 9,
    );
    expect(ops.map((each) => each.client)).toEqual(['c1', 'c1.2', 'c1.3', 'c1']);
    expect(ops[0]).toMatchObject({
      kind: 'write',
      key: 'k3',
      value: 9,
      invokeUs: 0,
      completeUs: 50,
    });
    expect(ops[3]).toMatchObject({ kind: 'read', result: 9 });
    // The checkers accept it: no session has two operations open at once.
    expect(buildHistory(ops).ops).toHaveLength(4);
  });

  it('keeps an unanswered write that took effect, forever busy, and drops what tells nothing', () => {
    const ops = operationsOf(
      [
        op('c1', 'write', 0, null, null, 1), // took effect: its value is known
        op('c1', 'write', 100, null, null, 2), // never took effect
        op('c1', 'read', 200, null, null), // unanswered read
        op('c1', 'read', 300, 310, 5),
      ],
      (write) => (write.requestId === 1 ? 5 : null),
    );
    expect(ops).toEqual([
      { id: 1, client: 'c1', key: 'k3', kind: 'write', value: 5, invokeUs: 0, completeUs: null },
      { id: 2, client: 'c1.2', key: 'k3', kind: 'read', result: 5, invokeUs: 300, completeUs: 310 },
    ]);
    expect(buildHistory(ops).ops).toHaveLength(2);
  });
});
