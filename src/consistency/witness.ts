import { ddmin } from '../shrink/ddmin.ts';
import { byInvocation, type Operation } from './history.ts';
import type { Model } from './models.ts';

/*
 * The smallest witness of a violation: delta debugging (the same ddmin that shrinks failing
 * runs) over the operations, keeping only subsets that still violate. Every subset tried is first
 * closed under "produced what an op observed" (models.ts): a read of 1 keeps the write of 1.
 * Without it, dropping a write would make a read of its value impossible and the "witness" would
 * blame a write that merely went missing; with it, a witness that violates proves the whole
 * history does.
 */

export interface ShrinkBudget {
  /** Subsets checked at most; past it, the smallest violating subset found so far is kept. */
  readonly maxChecks: number;
  /** Search steps over all the checks at most, likewise. */
  readonly maxSteps: number;
}

export const defaultShrinkBudget: ShrinkBudget = { maxChecks: 300, maxSteps: 3_000_000 };

/** A check of one subset: whether it violates, and the search steps it took. */
export interface SubsetCheck {
  readonly isViolation: boolean;
  readonly steps: number;
}

/**
 * Shrinks `ops` (which violate) to a small subset that still does. `violates` decides a subset;
 * it should say no when it cannot decide (a search that gave up), so the result always
 * violates. `isRealTime`: the check keeps real time (linearizability), which lets a model that
 * closes witnesses by time (models.ts, `closeWitness`) keep fewer ops. Returns the ops in
 * invocation order.
 */
export function shrinkWitness<S>(
  ops: readonly Operation[],
  model: Model<S>,
  violates: (subset: readonly Operation[]) => SubsetCheck,
  budget: ShrinkBudget = defaultShrinkBudget,
  isRealTime = true,
): Operation[] {
  const producers = new Map<string, Operation[]>();
  for (const op of ops)
    for (const value of model.produces(op)) {
      const key = JSON.stringify(value);
      const list = producers.get(key);
      if (list === undefined) producers.set(key, [op]);
      else list.push(op);
    }
  const closeWitness = model.closeWitness;
  const close = (subset: readonly Operation[]): Operation[] => {
    if (closeWitness !== undefined) return closeWitness(subset, ops, isRealTime).sort(byInvocation);
    const kept = new Set(subset);
    for (const op of subset)
      for (const value of model.observes(op))
        for (const producer of producers.get(JSON.stringify(value)) ?? []) kept.add(producer);
    return [...kept].sort(byInvocation);
  };

  let best = ops.slice().sort(byInvocation);
  let checks = 0;
  let steps = 0;
  const search = ddmin(best, function* (candidate: readonly Operation[]) {
    if (checks >= budget.maxChecks || steps >= budget.maxSteps) return false;
    checks++;
    const closed = close(candidate);
    const check = violates(closed);
    steps += check.steps;
    const isFailing = check.isViolation;
    if (isFailing && closed.length < best.length) best = closed;
    yield undefined;
    return isFailing;
  });
  let step = search.next();
  // Past the budget every check says no at once, so ddmin ends soon, its set still violating.
  while (step.done !== true) step = search.next();
  const result = close(step.value);
  return result.length < best.length ? result : best;
}
