/*
 * What a checker answers: one verdict per consistency model, naming the model, and for each
 * violation the smallest set of operations found that shows it, with a sentence.
 */

export type ModelName =
  | 'linearizable'
  | 'sequential'
  | 'read-your-writes'
  | 'monotonic-reads'
  | 'monotonic-writes'
  | 'writes-follow-reads';

/**
 * `gave-up`: the search ran out of its budget before it could decide (never a guess either
 * way); `inapplicable`: the history lacks what the check assumes (see `note`).
 */
export type VerdictStatus = 'ok' | 'violated' | 'gave-up' | 'inapplicable';

export interface Violation {
  /** The key the anomaly is on (null when it spans keys). */
  readonly key: string | null;
  /** The operations that show it, by id, in invocation order: as few as the search found. */
  readonly ops: readonly number[];
  /** One plain sentence: who read what, when, after what. */
  readonly sentence: string;
  /** Linearizability and sequential consistency: the longest legal order found, by op id. */
  readonly longestOrder?: readonly number[];
  /** …and the completed operations it could not place. */
  readonly unplaced?: readonly number[];
}

export interface Verdict {
  readonly model: ModelName;
  readonly status: VerdictStatus;
  readonly violations: readonly Violation[];
  /** Why the check gave up or does not apply, or what it left out; null when nothing to say. */
  readonly note: string | null;
  /** Search steps taken (0 for the session checks, which do not search). */
  readonly steps: number;
}
