import { describe, expect, it } from 'vitest';
import { buildHistory, type Operation } from './history.ts';
import { checkSessionGuarantees } from './session.ts';
import { read, resetIds, write } from './testHistories.ts';

function statuses(ops: Operation[]): Record<string, string> {
  const verdicts = checkSessionGuarantees(buildHistory(ops).ops);
  return Object.fromEntries(verdicts.map((verdict) => [verdict.model, verdict.status]));
}

function violation(ops: Operation[], model: string) {
  const verdict = checkSessionGuarantees(buildHistory(ops).ops).find((v) => v.model === model);
  return verdict?.violations[0];
}

const allOk = {
  'read-your-writes': 'ok',
  'monotonic-reads': 'ok',
  'monotonic-writes': 'ok',
  'writes-follow-reads': 'ok',
};

describe('session guarantees: each history violates exactly one', () => {
  it('read your writes: a client reads an older value after its own write was acknowledged', () => {
    resetIds();
    const ops = [write('c0', 1, 0, 100), write('c1', 2, 200, 4050), read('c1', 1, 4200, 4300)];
    expect(statuses(ops)).toEqual({ ...allOk, 'read-your-writes': 'violated' });
    expect(violation(ops, 'read-your-writes')).toEqual({
      key: 'x',
      ops: [0, 1, 2],
      sentence: 'c1 read 1 at 4.20 s after its own write of 2 had been acknowledged at 4.05 s.',
    });
  });

  it('monotonic reads: a client reads an older value than it read before', () => {
    resetIds();
    const ops = [
      write('c1', 1, 0, 1000),
      write('c2', 2, 2000, 3000),
      read('c3', 2, 4000, 5000),
      read('c3', 1, 6000, 7000),
    ];
    expect(statuses(ops)).toEqual({ ...allOk, 'monotonic-reads': 'violated' });
    expect(violation(ops, 'monotonic-reads')).toEqual({
      key: 'x',
      ops: [0, 1, 2, 3],
      sentence:
        "c3 read 1 at 6.00 s after it had read 2 at 4.00 s, though c2 wrote 2 after c1's write of 1 was acknowledged at 1.00 s.",
    });
  });

  it('monotonic reads: going back to the initial value', () => {
    resetIds();
    const ops = [write('c1', 1, 0, 100), read('c2', 1, 200, 300), read('c2', null, 400, 500)];
    expect(statuses(ops)).toEqual({ ...allOk, 'monotonic-reads': 'violated' });
    expect(violation(ops, 'monotonic-reads')?.sentence).toBe(
      'c2 read null at 0.40 s after it had read 1 at 0.20 s, going back to the initial value.',
    );
  });

  it("monotonic writes: a reader sees one client's two writes in the other order", () => {
    resetIds();
    const ops = [
      write('c1', 1, 0, 1000),
      write('c1', 2, 2000, 3000),
      read('c2', 2, 4000, 5000),
      read('c2', 1, 6000, 7000),
    ];
    expect(statuses(ops)).toEqual({ ...allOk, 'monotonic-writes': 'violated' });
    expect(violation(ops, 'monotonic-writes')).toEqual({
      key: 'x',
      ops: [0, 1, 2, 3],
      sentence: 'c2 read 1 at 6.00 s after it had read 2 at 4.00 s, though c1 wrote 1 before 2.',
    });
  });

  it('writes follow reads: a reader sees a write, then what its writer had read before it', () => {
    resetIds();
    const ops = [
      write('c1', 1, 0, 1000),
      read('c2', 1, 1500, 1600),
      write('c2', 2, 2000, 3000),
      read('c3', 2, 4000, 5000),
      read('c3', 1, 6000, 7000),
    ];
    expect(statuses(ops)).toEqual({ ...allOk, 'writes-follow-reads': 'violated' });
    expect(violation(ops, 'writes-follow-reads')).toEqual({
      key: 'x',
      ops: [0, 1, 2, 3, 4],
      sentence:
        'c3 read 1 at 6.00 s after it had read 2 at 4.00 s, though c2 wrote 2 after reading 1 at 1.50 s.',
    });
  });

  it('blames nobody for overlapping writes seen in either order', () => {
    resetIds();
    const ops = [
      write('c1', 1, 0, 3000),
      write('c2', 2, 0, 3000),
      read('c3', 2, 4000, 5000),
      read('c3', 1, 6000, 7000),
      read('c4', 1, 4000, 5000),
      read('c4', 2, 6000, 7000),
    ];
    expect(statuses(ops)).toEqual(allOk);
  });

  it('does not guess when written values repeat, and says so', () => {
    resetIds();
    const ops = [
      write('c1', 1, 0, 100, 'a'),
      write('c2', 1, 200, 300, 'a'),
      write('c1', 5, 400, 500, 'b'),
      read('c1', null, 600, 700, 'b'),
    ];
    const verdicts = checkSessionGuarantees(buildHistory(ops).ops);
    // Key b is still checked (and violates read your writes); key a is named as unchecked.
    expect(verdicts.map((verdict) => verdict.status)).toEqual([
      'violated',
      'inapplicable',
      'inapplicable',
      'inapplicable',
    ]);
    expect(verdicts[1]?.note).toBe(
      'Not checked: 1 is written to a more than once (counting the initial value). The session checks need unique written values on registers.',
    );
  });
});
