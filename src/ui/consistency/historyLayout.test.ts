import { describe, expect, it } from 'vitest';
import type { Operation } from '../../consistency/history.ts';
import { barLabel, barName, barWidthMin, layoutHistory } from './historyLayout.ts';

function op(
  id: number,
  client: string,
  key: string,
  invokeUs: number,
  completeUs: number | null,
): Operation {
  return { id, client, key, kind: 'read', result: 0, invokeUs, completeUs };
}

const ops: Operation[] = [
  op(1, 'c10', 'k1', 1_000, 2_000),
  op(2, 'c2', 'k1', 1_500, 3_000),
  op(3, 'c1.2', 'k2', 2_500, 2_600),
  op(4, 'c1', 'k2', 2_800, null),
  op(5, 'c1', 'k1', 9_000, 9_500), // after the witness: not drawn
  op(6, 'c3', 'k1', 0, 500), // before it: not drawn
];

describe('layoutHistory', () => {
  it('draws the witness and what overlaps it, in lanes by natural client order', () => {
    const layout = layoutHistory(ops, {
      witness: [1, 2],
      unplaced: [2],
      key: 'k1',
      maxBars: 10,
      width: 1000,
    });
    expect(layout.bars.map((bar) => bar.op.id)).toEqual([1, 2, 3, 4]);
    expect(layout.lanes).toEqual(['c1', 'c1.2', 'c2', 'c10']);
    expect(layout.bars.map((bar) => bar.lane)).toEqual([3, 2, 1, 0]);
    expect(layout.total).toBe(6);
    expect(layout.bars.map((bar) => [bar.isWitness, bar.isUnplaced])).toEqual([
      [true, false],
      [true, true],
      [false, false],
      [false, false],
    ]);
  });

  it('places bars on one time axis, from the first invocation to the last answer', () => {
    const layout = layoutHistory(ops, { witness: [1, 2], key: 'k1', maxBars: 10, width: 1000 });
    expect([layout.startUs, layout.endUs]).toEqual([1_000, 3_000]);
    const byId = new Map(layout.bars.map((bar) => [bar.op.id, bar]));
    expect(byId.get(1)).toMatchObject({ x: 0, width: 500, isAnswered: true });
    expect(byId.get(2)).toMatchObject({ x: 250, width: 750 });
    // 100 µs is 50 px here; a bar is never thinner than the minimum.
    expect(byId.get(3)).toMatchObject({ x: 750, width: 50 });
    // Never answered: runs to the axis' end, open.
    expect(byId.get(4)).toMatchObject({ x: 900, width: 100, isAnswered: false });
    expect(
      layoutHistory([op(1, 'c1', 'k', 5, 5)], { witness: [1], key: 'k', maxBars: 5, width: 10 })
        .bars[0]?.width,
    ).toBe(barWidthMin);
  });

  it('caps what it draws: the witness always, then the anomaly’s key, then the rest', () => {
    const layout = layoutHistory(ops, { witness: [1], key: 'k1', maxBars: 2, width: 100 });
    // Op 2 (same key) wins over ops 3 and 4 (another key), though all overlap the witness.
    expect(layout.bars.map((bar) => bar.op.id)).toEqual([1, 2]);
    expect(layout.total).toBe(6);
  });

  it('prefers what happened beside the witness’ operations to what happened between them', () => {
    const spread = [
      op(1, 'c1', 'k1', 1_000, 2_000),
      op(2, 'c2', 'k2', 5_000, 5_100), // between the witness ops, far from both
      op(3, 'c2', 'k2', 9_100, 9_200), // beside the second witness op
      op(4, 'c1', 'k1', 9_000, 9_500),
    ];
    const layout = layoutHistory(spread, { witness: [1, 4], key: 'k1', maxBars: 3, width: 100 });
    expect(layout.bars.map((bar) => bar.op.id)).toEqual([1, 4, 3]);
  });

  it('marks the faults that fall within the axis, at their time', () => {
    const layout = layoutHistory(ops, {
      witness: [1, 2],
      key: 'k1',
      maxBars: 10,
      width: 1000,
      faults: [
        { atUs: 500, label: 'before' },
        { atUs: 2_000, label: 'crash c2' },
        { atUs: 4_000, label: 'after' },
      ],
    });
    expect(layout.faults).toEqual([{ atUs: 2_000, label: 'crash c2', x: 500 }]);
  });

  it('draws nothing when the witness names no recorded operation', () => {
    const layout = layoutHistory(ops, { witness: [99], key: null, maxBars: 10, width: 100 });
    expect(layout.bars).toEqual([]);
    expect(layout.total).toBe(6);
  });
});

describe('bar labels and names, kind by kind', () => {
  const at = { client: 'c2', invokeUs: 5_210_000, completeUs: 5_240_000 };

  it('labels register and list ops by what they read or wrote', () => {
    expect(barLabel({ ...at, id: 1, key: 'k11', kind: 'read', result: 54 })).toBe('r k11→54');
    expect(barLabel({ ...at, id: 2, key: 'k11', kind: 'write', value: 60 })).toBe('w k11←60');
    expect(barLabel({ ...at, id: 3, key: 'k1', kind: 'append', value: 7 })).toBe('a k1←7');
    expect(barLabel({ ...at, id: 4, key: 'k11', kind: 'read', completeUs: null })).toBe('r k11→?');
    expect(barName({ ...at, id: 1, key: 'k11', kind: 'read', result: 54 })).toBe(
      'c2 read k11 returned 54, 5.210 s to 5.240 s',
    );
  });

  it('labels account ops by the money they move and how they ended', () => {
    const deposit = { ...at, id: 5, key: 'acct-1', kind: 'deposit', value: 50 } as const;
    const withdrawal = { ...at, id: 6, key: 'acct-1', kind: 'withdraw', value: 70 } as const;
    expect(barLabel({ ...deposit, result: 'accepted' })).toBe('acct-1 +50');
    expect(barLabel({ ...deposit, completeUs: null })).toBe('acct-1 +50?');
    expect(barLabel({ ...withdrawal, result: 'accepted' })).toBe('acct-1 −70');
    expect(barLabel({ ...withdrawal, result: 'rejected' })).toBe('acct-1 −70 ✗');
    expect(barLabel({ ...withdrawal, completeUs: null })).toBe('acct-1 −70?');
    expect(barName({ ...deposit, result: 'accepted' })).toBe(
      'c2 deposited 50 to acct-1, 5.210 s to 5.240 s',
    );
    expect(barName({ ...withdrawal, result: 'rejected' })).toBe(
      'c2 withdrew 70 from acct-1, rejected, 5.210 s to 5.240 s',
    );
    expect(barName({ ...withdrawal, completeUs: null })).toBe(
      'c2 tried to withdraw 70 from acct-1, sent at 5.210 s, never answered',
    );
  });
});
