import { describe, expect, it } from 'vitest';
import type { InvariantResult } from '../../engine/invariants.ts';
import { invariantRows, invariantStatusLine, nodeIndexes } from './invariantRows.ts';

const declared = [
  { id: 'one-leader', kind: 'safety', description: 'At most one leader per term' },
  { id: 'elected', kind: 'liveness', description: 'A majority has a leader' },
] as const;

describe('invariantRows', () => {
  it('shows declared invariants as not checked until a frame reports them', () => {
    const rows = invariantRows(declared, undefined);
    expect(rows.map((row) => row.status)).toEqual(['unchecked', 'unchecked']);
    expect(invariantStatusLine(rows[0] ?? { status: 'ok', violations: 0 })).toBe('not checked yet');
  });

  it('takes each invariant’s result from the frame, in the scenario’s order', () => {
    const results: InvariantResult[] = [
      {
        id: 'elected',
        kind: 'liveness',
        description: 'A majority has a leader',
        status: 'pending',
        violations: 0,
        firstViolation: null,
      },
      {
        id: 'one-leader',
        kind: 'safety',
        description: 'At most one leader per term',
        status: 'violated',
        violations: 3,
        firstViolation: { timeUs: 1_500_000, event: 40, message: 'two leaders', nodes: ['n1'] },
      },
    ];
    const rows = invariantRows(declared, results);
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      ['one-leader', 'violated'],
      ['elected', 'pending'],
    ]);
    expect(rows.map(invariantStatusLine)).toEqual(['violated 3 times', 'pending']);
    expect(invariantStatusLine({ status: 'violated', violations: 1 })).toBe('violated 1 time');
    expect(invariantStatusLine({ status: 'ok', violations: 0 })).toBe('holds');
  });
});

describe('nodeIndexes', () => {
  it('resolves ids through the topology and skips unknown ones', () => {
    const topology = {
      nodes: [
        { id: 'n1', role: 'server', layout: null },
        { id: 'n2', role: 'server', layout: null },
        { id: 'client', role: 'client', layout: null },
      ],
      links: [],
    };
    expect(nodeIndexes(topology, ['client', 'n1', 'ghost'])).toEqual([2, 0]);
  });
});
