import { byInvocation, precedes, type Operation } from './history.ts';
import { impossible, type Model } from './models.ts';

/*
 * Reference checkers by exhaustion, for tests on histories of a handful of operations: every
 * subset of the unanswered ops (each may never have taken effect) and every order of the ops
 * that the constraint allows, run through the model. Nothing clever, so nothing to get wrong.
 */

/** Whether some order allowed by `mayFollow` is legal for the model. */
function anyLegalOrder<S>(
  ops: readonly Operation[],
  model: Model<S>,
  canGoNext: (op: Operation, remaining: readonly Operation[]) => boolean,
): boolean {
  const answered = ops.filter((op) => op.completeUs !== null);
  const unanswered = ops.filter((op) => op.completeUs === null);
  const keyOf = new Map<Operation, number>();
  model.partition(ops).forEach((part, index) => {
    for (const op of part) keyOf.set(op, index);
  });
  const extend = (remaining: readonly Operation[], states: readonly S[]): boolean => {
    if (remaining.length === 0) return true;
    return remaining.some((op) => {
      if (!canGoNext(op, remaining)) return false;
      const part = keyOf.get(op) ?? 0;
      const next = model.step(states[part] as S, op);
      if (next === impossible) return false;
      const nextStates = states.slice();
      nextStates[part] = next;
      return extend(
        remaining.filter((other) => other !== op),
        nextStates,
      );
    });
  };
  const initial = model.partition(ops).map(() => model.init());
  for (let mask = 0; mask < 1 << unanswered.length; mask++) {
    const included = unanswered.filter((_, i) => (mask & (1 << i)) !== 0);
    if (extend([...answered, ...included], initial)) return true;
  }
  return false;
}

/** Linearizable: an order that keeps real time (`precedes`), over the whole history. */
export function isLinearizableByBruteForce<S>(ops: readonly Operation[], model: Model<S>): boolean {
  return anyLegalOrder(ops, model, (op, remaining) =>
    remaining.every((other) => !precedes(other, op)),
  );
}

/**
 * Sequentially consistent: an order that keeps each client's order of answered ops, with an
 * unanswered op after the ops its client sent before it.
 */
export function isSequentialByBruteForce<S>(ops: readonly Operation[], model: Model<S>): boolean {
  return anyLegalOrder(ops, model, (op, remaining) =>
    remaining.every(
      (other) =>
        other.client !== op.client ||
        other === op ||
        (other.completeUs === null && op.completeUs !== null) ||
        byInvocation(other, op) > 0,
    ),
  );
}
