import { describe, expect, it } from 'vitest';
import { checkLinearizability, checkSequentialConsistency } from './check.ts';
import { buildHistory, type Operation } from './history.ts';
import { read, resetIds, write } from './testHistories.ts';

const sc = (ops: Operation[], budget?: number) =>
  checkSequentialConsistency(buildHistory(ops), budget === undefined ? {} : { budget });

describe('sequential consistency', () => {
  it('accepts a stale read that real time forbids but program order allows', () => {
    resetIds();
    const ops = [write('c1', 1, 0, 100), read('c2', null, 200, 300)];
    expect(checkLinearizability(buildHistory(ops)).status).toBe('violated');
    expect(sc(ops)).toMatchObject({ model: 'sequential', status: 'ok', violations: [] });
  });

  it('rejects a client that does not see its own write, and names the ops', () => {
    resetIds();
    const verdict = sc([write('c1', 1, 0, 100), read('c1', null, 200, 300)]);
    expect(verdict.status).toBe('violated');
    expect(verdict.violations[0]).toMatchObject({ key: 'x', ops: [0, 1] });
    expect(verdict.violations[0]?.sentence).toBe(
      "No order of these 2 operations keeps each client's own order and gives what a register would: c1 wrote 1 to x (0.00–0.10 s); c1 read null from x (0.20–0.30 s).",
    );
  });

  it('rejects two readers seeing two writes in opposite orders, across keys', () => {
    resetIds();
    // c3 sees x written before y; c4 sees y before x: no single order has both.
    const verdict = sc([
      write('c1', 1, 0, 100, 'x'),
      write('c2', 2, 0, 100, 'y'),
      read('c3', 1, 200, 300, 'x'),
      read('c3', null, 400, 500, 'y'),
      read('c4', 2, 200, 300, 'y'),
      read('c4', null, 400, 500, 'x'),
    ]);
    expect(verdict.status).toBe('violated');
    expect(verdict.violations[0]?.key).toBeNull();
    // In invocation order: c4's first read began before c3's second.
    expect(verdict.violations[0]?.ops).toEqual([0, 1, 2, 4, 3, 5]);
  });

  it('skips the search when the history is linearizable', () => {
    resetIds();
    const history = buildHistory([write('c1', 1, 0, 100), read('c2', 1, 200, 300)]);
    const verdict = checkSequentialConsistency(history, {}, checkLinearizability(history));
    expect(verdict).toMatchObject({
      status: 'ok',
      steps: 0,
      note: 'Follows from linearizability.',
    });
  });

  it('gives up honestly past its budget', () => {
    resetIds();
    const ops = [
      ...Array.from({ length: 8 }, (_, i) => write(`w${i}`, i + 1, 0, 100)),
      read('r', 99, 200, 300),
    ];
    expect(sc(ops).status).toBe('violated');
    const capped = sc(ops, 20);
    expect(capped).toMatchObject({ status: 'gave-up', steps: 20, violations: [] });
    expect(capped.note).toContain('Gave up on the history after 20 search steps');
  });
});
