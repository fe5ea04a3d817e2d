import { explainLinearizability, explainSequential } from './explain.ts';
import { buildHistory, type History, type Operation, type Value } from './history.ts';
import { defaultBudget, searchLinearization, type SearchResult } from './linearizability.ts';
import { accountModel, appendListModel, registerModel, type Model } from './models.ts';
import { searchSequential } from './sequential.ts';
import { checkSessionGuarantees } from './session.ts';
import type { Verdict, Violation } from './verdict.ts';
import {
  defaultShrinkBudget,
  shrinkWitness,
  type ShrinkBudget,
  type SubsetCheck,
} from './witness.ts';

/*
 * Every check on one history: linearizability (per key), sequential consistency (whole
 * history), and the four session guarantees. Deterministic: the same history gives the same
 * verdicts, sentences included, in Node and in Chromium.
 */

export interface CheckOptions {
  /**
   * 'register' (read/write, CQRS and Sharding), 'append-list' (event streams) or 'account'
   * (deposit/withdraw with no overdraft, Event Sourcing).
   */
  readonly model?: CheckModel;
  /** The register's value before any write; an account's balance (a number) before any op. */
  readonly initial?: Value;
  /** Search steps per key (linearizability) and for the whole history (sequential). */
  readonly budget?: number;
  /** How hard to look for the smallest witness. */
  readonly shrink?: ShrinkBudget;
}

export type CheckModel = 'register' | 'append-list' | 'account';

/** Every model the checks know, in a stable order (for the worker's border). */
export const checkModels: readonly CheckModel[] = ['register', 'append-list', 'account'];

/** Budget per subset while shrinking: a subset is small, and giving up only keeps it larger. */
const shrinkSearchBudget = 100_000;

function modelFor(options: CheckOptions): Model<unknown> {
  if (options.model === 'append-list') return appendListModel() as Model<unknown>;
  if (options.model === 'account')
    return accountModel(
      typeof options.initial === 'number' ? options.initial : 0,
    ) as Model<unknown>;
  return registerModel(options.initial ?? null) as Model<unknown>;
}

function subsetCheck(result: SearchResult): SubsetCheck {
  return { isViolation: result.status === 'violated', steps: result.steps };
}

function unplaced(ops: readonly Operation[], order: readonly number[]): number[] {
  const placed = new Set(order);
  return ops.filter((op) => op.completeUs !== null && !placed.has(op.id)).map((op) => op.id);
}

/** Linearizability, key by key (P-compositionality). */
export function checkLinearizability(history: History, options: CheckOptions = {}): Verdict {
  const model = modelFor(options);
  const budget = options.budget ?? defaultBudget;
  const parts = model.partition(history.ops);
  const showKey = parts.length > 1;
  const violations: Violation[] = [];
  const gaveUp: string[] = [];
  let steps = 0;
  for (const ops of parts) {
    const key = ops[0]?.key ?? '';
    const result = searchLinearization(ops, model, { budget });
    steps += result.steps;
    if (result.status === 'gave-up') gaveUp.push(key);
    if (result.status !== 'violated') continue;
    const witness = shrinkWitness(
      ops,
      model,
      (subset) => subsetCheck(searchLinearization(subset, model, { budget: shrinkSearchBudget })),
      options.shrink ?? defaultShrinkBudget,
    );
    violations.push(
      violationOf(
        key,
        witness,
        result,
        ops,
        explainLinearizability(witness, model, showKey, options.initial ?? null),
      ),
    );
  }
  return verdict('linearizable', violations, gaveUp, budget, steps);
}

/**
 * Sequential consistency over the whole history (it is not compositional). A linearizable
 * history is sequentially consistent (its per-key orders merge into one order that keeps real
 * time, hence each client's order), so given that verdict the search is skipped.
 */
export function checkSequentialConsistency(
  history: History,
  options: CheckOptions = {},
  linearizable?: Verdict,
): Verdict {
  const model = modelFor(options);
  const budget = options.budget ?? defaultBudget;
  if (linearizable?.status === 'ok')
    return {
      model: 'sequential',
      status: 'ok',
      violations: [],
      note: 'Follows from linearizability.',
      steps: 0,
    };
  const result = searchSequential(history.ops, model, { budget });
  if (result.status !== 'violated')
    return verdict(
      'sequential',
      [],
      result.status === 'gave-up' ? ['the history'] : [],
      budget,
      result.steps,
    );
  const witness = shrinkWitness(
    history.ops,
    model,
    (subset) => subsetCheck(searchSequential(subset, model, { budget: shrinkSearchBudget })),
    options.shrink ?? defaultShrinkBudget,
    false,
  );
  const keys = new Set(witness.map((op) => op.key));
  const key = keys.size === 1 ? (witness[0]?.key ?? null) : null;
  const violation = violationOf(
    key,
    witness,
    result,
    history.ops,
    explainSequential(witness, model),
  );
  return verdict('sequential', [violation], [], budget, result.steps);
}

function violationOf(
  key: string | null,
  witness: readonly Operation[],
  result: SearchResult,
  ops: readonly Operation[],
  sentence: string,
): Violation {
  return {
    key,
    ops: witness.map((op) => op.id),
    sentence,
    longestOrder: result.order,
    unplaced: unplaced(ops, result.order),
  };
}

function verdict(
  model: 'linearizable' | 'sequential',
  violations: Violation[],
  gaveUp: readonly string[],
  budget: number,
  steps: number,
): Verdict {
  const what = model === 'linearizable' ? gaveUp.map((key) => `key ${key}`).join(', ') : gaveUp[0];
  // A violation found is certain even when another key could not be decided.
  const status = violations.length > 0 ? 'violated' : gaveUp.length > 0 ? 'gave-up' : 'ok';
  const note =
    gaveUp.length > 0
      ? `Gave up on ${what ?? ''} after ${budget} search steps: too many overlapping operations to decide within the budget.`
      : null;
  return { model, status, violations, note, steps };
}

/**
 * Why the session guarantees do not apply to accounts: they are about reads, and which write a
 * read saw; an account op observes only whether a withdrawal was covered, a sum of everyone's
 * changes, so no op names the write it saw.
 */
export const accountSessionNote =
  'The session guarantees are about reads and the writes they saw; account operations read nothing back (a withdrawal only learns whether the balance, everyone’s changes summed, covered it), so no operation names a write it saw.';

/** The four session verdicts for an account history: inapplicable, with why. */
function accountSessionVerdicts(): Verdict[] {
  return sessionModels.map((model) => ({
    model,
    status: 'inapplicable',
    violations: [],
    note: accountSessionNote,
    steps: 0,
  }));
}

const sessionModels = [
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
] as const;

/**
 * Validates the operations and runs every check. Throws `HistoryError` (history.ts) on a bad
 * history, naming each problem. The session guarantees are checked for registers only (an
 * account history gets them as inapplicable, with why; a list history does not get them).
 */
export function checkConsistency(ops: readonly Operation[], options: CheckOptions = {}): Verdict[] {
  const history = buildHistory(ops);
  const linearizable = checkLinearizability(history, options);
  const verdicts = [linearizable, checkSequentialConsistency(history, options, linearizable)];
  if (options.model === 'account') verdicts.push(...accountSessionVerdicts());
  else if (options.model !== 'append-list')
    verdicts.push(...checkSessionGuarantees(history.ops, { initial: options.initial ?? null }));
  return verdicts;
}
