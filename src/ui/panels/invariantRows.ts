import type { FirstViolation, InvariantResult } from '../../engine/invariants.ts';
import type { ScenarioMeta, TopologyMeta } from '../../worker/protocol.ts';

/** An invariant's standing; `unchecked` before the first frame reports it. */
export type InvariantStatus = InvariantResult['status'] | 'unchecked';

/** Each status in words with an icon: never colour alone. */
export const invariantStatusText: Readonly<
  Record<InvariantStatus, { readonly icon: string; readonly text: string }>
> = {
  ok: { icon: '✓', text: 'holds' },
  pending: { icon: '…', text: 'pending' },
  violated: { icon: '✗', text: 'violated' },
  unchecked: { icon: '–', text: 'not checked yet' },
};

export interface InvariantRow {
  readonly id: string;
  readonly kind: 'safety' | 'liveness';
  readonly description: string;
  readonly status: InvariantStatus;
  readonly violations: number;
  readonly firstViolation: FirstViolation | null;
}

/** The scenario's invariants in its order, each with its latest result if there is one. */
export function invariantRows(
  declared: ScenarioMeta['invariants'],
  results: readonly InvariantResult[] | undefined,
): InvariantRow[] {
  return declared.map((invariant) => {
    const result = results?.find((entry) => entry.id === invariant.id);
    return result ?? { ...invariant, status: 'unchecked', violations: 0, firstViolation: null };
  });
}

/** The status line: "✗ violated 3 times". */
export function invariantStatusLine(row: Pick<InvariantRow, 'status' | 'violations'>): string {
  const words = invariantStatusText[row.status];
  const count =
    row.status === 'violated' ? ` ${row.violations} time${row.violations === 1 ? '' : 's'}` : '';
  return `${words.text}${count}`;
}

/** Node indexes for the ids a violation names (unknown ids are skipped). */
export function nodeIndexes(topology: TopologyMeta, ids: readonly string[]): number[] {
  return ids
    .map((id) => topology.nodes.findIndex((node) => node.id === id))
    .filter((index) => index >= 0);
}
