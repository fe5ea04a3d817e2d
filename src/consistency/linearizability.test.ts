import { describe, expect, it } from 'vitest';
import { checkLinearizability } from './check.ts';
import { generateRegisterHistory, injectStaleRead } from './generate.ts';
import { buildHistory, type Operation } from './history.ts';
import { searchLinearization } from './linearizability.ts';
import { appendListModel, registerModel } from './models.ts';
import { append, read, resetIds, write } from './testHistories.ts';

function lin(ops: Operation[], initial: number | null = null) {
  return checkLinearizability(buildHistory(ops), { initial });
}

describe('linearizability: the classic register histories (Porcupine, MIT 6.824 quiz)', () => {
  it('accepts a read that sees a write still in progress while a later-started read does not', () => {
    resetIds();
    const verdict = lin(
      [write('c1', 100, 0, 1000), read('c2', 100, 250, 750), read('c3', 0, 300, 600)],
      0,
    );
    expect(verdict).toMatchObject({ model: 'linearizable', status: 'ok', violations: [] });
  });

  it('rejects a read of the old value after another read already saw the new one', () => {
    resetIds();
    const verdict = lin(
      [write('c1', 200, 0, 1000), read('c2', 200, 100, 300), read('c3', 0, 400, 900)],
      0,
    );
    expect(verdict.status).toBe('violated');
    const [violation] = verdict.violations;
    expect(violation?.ops).toEqual([0, 1, 2]);
    expect(violation?.sentence).toBe(
      'c3 read 0 at 0.40 s after c2 had already read the newer 200 at 0.30 s.',
    );
    expect(violation?.longestOrder).toEqual([0, 1]);
    expect(violation?.unplaced).toEqual([2]);
  });

  it('names a stale read in one sentence with the acknowledgement it ignored', () => {
    resetIds();
    const verdict = lin([
      write('c1', 1, 0, 1000),
      write('c1', 2, 2000, 4050),
      read('c2', 1, 4200, 4300),
      read('c3', 1, 1100, 1200),
    ]);
    expect(verdict.status).toBe('violated');
    expect(verdict.violations[0]?.ops).toEqual([0, 1, 2]);
    expect(verdict.violations[0]?.sentence).toBe(
      "c2 read 1 at 4.20 s after c1's write of 2 had been acknowledged at 4.05 s.",
    );
  });

  it('says "its own write" when the reader wrote the newer value itself', () => {
    resetIds();
    const verdict = lin([write('c1', 1, 0, 1000), read('c1', null, 1500, 1600)]);
    expect(verdict.violations[0]?.sentence).toBe(
      'c1 read null at 1.50 s after its own write of 1 had been acknowledged at 1.00 s.',
    );
  });

  it('keeps a larger witness when shrinking has no budget, and it still violates', () => {
    resetIds();
    const ops = [
      write('c1', 1, 0, 1000),
      read('c3', 1, 1100, 1200),
      write('c1', 2, 2000, 4050),
      read('c2', 1, 4200, 4300),
    ];
    const history = buildHistory(ops);
    const unshrunk = checkLinearizability(history, { shrink: { maxChecks: 0, maxSteps: 0 } });
    expect(unshrunk.violations[0]?.ops).toEqual([0, 1, 2, 3]);
    expect(checkLinearizability(history).violations[0]?.ops).toEqual([0, 2, 3]);
  });

  it('calls a read of a value nobody wrote what it is', () => {
    resetIds();
    const verdict = lin([write('c1', 1, 0, 1000), read('c2', 7, 2000, 2100)]);
    expect(verdict.violations[0]?.ops).toEqual([1]);
    expect(verdict.violations[0]?.sentence).toBe('c2 read 7 at 2.00 s, a value no one wrote.');
  });

  it('orders an answer before a request at the same microsecond, except between instants', () => {
    resetIds();
    // c2's read starts the instant c1's write is answered: it must see the write.
    expect(lin([write('c1', 1, 0, 10), read('c2', null, 10, 20)]).status).toBe('violated');
    resetIds();
    // Two ops that take no time at one instant are concurrent, in either order.
    expect(lin([write('c1', 1, 10, 10), read('c2', null, 10, 10)]).status).toBe('ok');
    resetIds();
    expect(lin([read('c2', 1, 10, 10), write('c1', 1, 10, 10)]).status).toBe('ok');
  });
});

describe('linearizability with unknown outcomes', () => {
  it('accepts a read of a write that was never answered: it may have taken effect', () => {
    resetIds();
    const verdict = lin([write('c1', 1, 0, null), read('c2', 1, 1000, 1100)]);
    expect(verdict.status).toBe('ok');
  });

  it('accepts a later read of the old value: the unanswered write may never take effect', () => {
    resetIds();
    expect(lin([write('c1', 1, 0, null), read('c2', null, 5000, 5100)]).status).toBe('ok');
  });

  it('rejects a read before the unanswered write was even sent', () => {
    resetIds();
    expect(lin([read('c2', 1, 0, 100), write('c1', 1, 500, null)]).status).toBe('violated');
  });

  it('rejects the old value after someone saw the unanswered write take effect', () => {
    resetIds();
    const verdict = lin([
      write('c1', 1, 0, null),
      read('c2', 1, 1000, 1100),
      read('c3', null, 2000, 2100),
    ]);
    expect(verdict.status).toBe('violated');
    expect(verdict.violations[0]?.ops).toEqual([0, 1, 2]);
  });

  it('ignores a read that was never answered', () => {
    resetIds();
    expect(lin([write('c1', 1, 0, 100), read('c2', undefined, 200, null)]).status).toBe('ok');
  });
});

describe('linearizability per key and on lists', () => {
  it('checks keys apart and names the failing one', () => {
    resetIds();
    const verdict = lin([
      write('c1', 1, 0, 100, 'a'),
      read('c2', 1, 200, 300, 'a'),
      write('c1', 2, 400, 500, 'b'),
      read('c2', null, 600, 700, 'b'),
    ]);
    expect(verdict.violations.map((violation) => violation.key)).toEqual(['b']);
    expect(verdict.violations[0]?.sentence).toBe(
      "c2 read null from b at 0.60 s after c1's write of 2 had been acknowledged at 0.50 s.",
    );
  });

  it('checks an append-only list whose reads return the whole list', () => {
    resetIds();
    const ok = [
      append('c1', 'a', 0, 100),
      append('c2', 'b', 50, 150),
      read('c3', ['b', 'a'], 200, 300),
    ];
    expect(searchLinearization(ok, appendListModel()).status).toBe('ok');
    resetIds();
    const lost = [
      append('c1', 'a', 0, 100),
      append('c2', 'b', 200, 300),
      read('c3', ['b'], 400, 500),
    ];
    expect(searchLinearization(lost, appendListModel()).status).toBe('violated');
  });
});

describe('linearizability on large histories', () => {
  const ops = generateRegisterHistory({ seed: 7, opCount: 10_000, clientCount: 10, keyCount: 20 });

  it('accepts a generated linearizable history of 10,000 operations', () => {
    const verdict = checkLinearizability(buildHistory(ops));
    expect(verdict.status).toBe('ok');
    expect(verdict.steps).toBeGreaterThanOrEqual(10_000);
  });

  it('finds one injected stale read among 10,000 operations and shrinks it to a few', () => {
    const stale = injectStaleRead(ops);
    if (stale === null) throw new Error('no read to make stale');
    const verdict = checkLinearizability(buildHistory(stale.ops));
    expect(verdict.status).toBe('violated');
    expect(verdict.violations).toHaveLength(1);
    const witness = verdict.violations[0]?.ops ?? [];
    expect(witness).toContain(stale.readId);
    expect(witness.length).toBeLessThanOrEqual(6);
    // The witness alone is a violation: it proves the whole history is not linearizable.
    const witnessOps = stale.ops.filter((op) => witness.includes(op.id));
    expect(searchLinearization(witnessOps, registerModel()).status).toBe('violated');
  });

  it('gives up honestly when the budget is too small to decide', () => {
    resetIds();
    // Twelve overlapping writes and a read of a value nobody wrote: the search must try them all.
    const crowd = Array.from({ length: 12 }, (_, i) => write(`w${i}`, i + 1, 0, 10_000));
    const verdict = lin([...crowd, read('r', 99, 20_000, 20_100)].reverse(), null);
    expect(verdict.status).toBe('violated');
    const capped = checkLinearizability(buildHistory([...crowd, read('r', 99, 20_000, 20_100)]), {
      budget: 50,
    });
    expect(capped.status).toBe('gave-up');
    expect(capped.steps).toBe(50);
    expect(capped.note).toBe(
      'Gave up on key x after 50 search steps: too many overlapping operations to decide within the budget.',
    );
  });
});
