import { describe, expect, it } from 'vitest';
import { checkConsistency } from './check.ts';
import { generateRegisterHistory, injectStaleRead } from './generate.ts';
import { HistoryError } from './history.ts';
import { append, read, resetIds, write } from './testHistories.ts';

describe('checkConsistency', () => {
  it('runs every model on a register history, each verdict naming its model', () => {
    resetIds();
    const verdicts = checkConsistency([
      write('c1', 1, 0, 1000),
      write('c1', 2, 2000, 4050),
      read('c2', 1, 4200, 4300),
    ]);
    expect(verdicts.map((verdict) => [verdict.model, verdict.status])).toEqual([
      ['linearizable', 'violated'],
      ['sequential', 'ok'],
      ['read-your-writes', 'ok'],
      ['monotonic-reads', 'ok'],
      ['monotonic-writes', 'ok'],
      ['writes-follow-reads', 'ok'],
    ]);
    expect(verdicts[0]?.violations[0]?.sentence).toBe(
      "c2 read 1 at 4.20 s after c1's write of 2 had been acknowledged at 4.05 s.",
    );
  });

  it('checks lists for linearizability and sequential consistency only', () => {
    resetIds();
    const verdicts = checkConsistency(
      [append('c1', 'a', 0, 100), append('c2', 'b', 200, 300), read('c3', ['b', 'a'], 400, 500)],
      { model: 'append-list' },
    );
    expect(verdicts.map((verdict) => [verdict.model, verdict.status])).toEqual([
      ['linearizable', 'violated'],
      ['sequential', 'ok'],
    ]);
    expect(verdicts[0]?.violations[0]?.sentence).toBe(
      'No order of these 3 operations respects real time and gives what an append-only list would: c1 appended "a" to x (0.00–0.10 s); c2 appended "b" to x (0.20–0.30 s); c3 read ["b","a"] from x (0.40–0.50 s).',
    );
  });

  it('finds nothing wrong with an empty history or one nobody answered', () => {
    expect(checkConsistency([]).map((verdict) => verdict.status)).toEqual(Array(6).fill('ok'));
    resetIds();
    const unanswered = [write('c1', 1, 0, null), read('c2', undefined, 0, null)];
    expect(checkConsistency(unanswered).map((verdict) => verdict.status)).toEqual(
      Array(6).fill('ok'),
    );
  });

  it('refuses a bad history with every problem named', () => {
    resetIds();
    const backwards = [write('c1', 1, 500, 100)];
    expect(() => checkConsistency(backwards)).toThrow(HistoryError);
    expect(() => checkConsistency(backwards)).toThrow(
      'op 0: completed at 100000 µs, before it was invoked at 500000 µs',
    );
  });

  it('gives the same verdicts, sentences and all, for the same history in any input order', () => {
    const ops = generateRegisterHistory({ seed: 3, opCount: 400, clientCount: 5, keyCount: 3 });
    const stale = injectStaleRead(ops)?.ops ?? [];
    const first = checkConsistency(stale, { budget: 100_000 });
    expect(first[0]?.status).toBe('violated');
    expect(checkConsistency(stale.slice().reverse(), { budget: 100_000 })).toEqual(first);
  });
});
