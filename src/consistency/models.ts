import { formatSeconds, formatValue, sameValue, type Operation, type Value } from './history.ts';
import { compareStrings } from './history.ts';

/*
 * Sequential specifications, as Porcupine's `Model`: the checkers search for an order of the
 * operations in which each step is legal for the model.
 */

/** What `step` returns when the result the client saw cannot follow from the state. */
export const impossible: unique symbol = Symbol('impossible');

export interface Model<State, Op extends Operation = Operation> {
  readonly name: string;
  readonly init: () => State;
  /** The state after `op`, or `impossible` when the result the client saw cannot follow. */
  readonly step: (state: State, op: Op) => State | typeof impossible;
  /** Independent sub-histories (one per key), in a total order: P-compositionality. */
  readonly partition: (ops: readonly Op[]) => Op[][];
  /** Equal for equal states: the memoisation key. */
  readonly stateKey: (state: State) => string;
  /** The operation in words: "c1 wrote 2 (1.00–4.05 s)". */
  readonly describeOp: (op: Op) => string;
  /**
   * Values the op observed and values it produced. A witness keeps, for every value observed,
   * the ops that produced it: then a witness that is not linearizable proves the whole history
   * is not (a legal order of the whole, restricted to the witness, would be legal for it).
   */
  readonly observes: (op: Op) => readonly Value[];
  readonly produces: (op: Op) => readonly Value[];
}

/** Splits by key, keys in code-unit order (never the locale's). */
export function partitionByKey<Op extends Operation>(ops: readonly Op[]): Op[][] {
  const byKey = new Map<string, Op[]>();
  for (const op of ops) {
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  }
  return [...byKey.keys()].sort(compareStrings).map((key) => byKey.get(key) ?? []);
}

function span(op: Operation): string {
  return op.completeUs === null
    ? `from ${formatSeconds(op.invokeUs)}, outcome unknown`
    : `${formatSeconds(op.invokeUs).slice(0, -2)}–${formatSeconds(op.completeUs)}`;
}

function describe(op: Operation): string {
  switch (op.kind) {
    case 'read':
      return op.result === undefined
        ? `${op.client} read ${op.key}, no answer (${span(op)})`
        : `${op.client} read ${formatValue(op.result)} from ${op.key} (${span(op)})`;
    case 'write':
      return `${op.client} wrote ${formatValue(op.value)} to ${op.key} (${span(op)})`;
    case 'append':
      return `${op.client} appended ${formatValue(op.value)} to ${op.key} (${span(op)})`;
  }
}

/** A value's memoisation key: strings and lists as JSON, so 1 and "1" differ; others cheaply. */
function valueKey(value: Value): string {
  return typeof value === 'string' || Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/**
 * A register per key: a read returns the last value written, or `initial` before any write.
 * A read with no answer observed nothing and is always legal.
 */
export function registerModel(initial: Value = null): Model<Value> {
  return {
    name: 'register',
    init: () => initial,
    step: (state, op) => {
      switch (op.kind) {
        case 'write':
          return op.value ?? null;
        case 'read':
          return op.result === undefined || sameValue(op.result, state) ? state : impossible;
        case 'append':
          return impossible;
      }
    },
    partition: partitionByKey,
    stateKey: valueKey,
    describeOp: describe,
    observes: (op) =>
      op.kind === 'read' && op.result !== undefined && !sameValue(op.result, initial)
        ? [op.result]
        : [],
    produces: (op) => (op.kind === 'write' && op.value !== undefined ? [op.value] : []),
  };
}

/**
 * An append-only list per key (an event stream): `append` adds its value at the end, `read`
 * returns the whole list.
 */
export function appendListModel(): Model<readonly Value[]> {
  return {
    name: 'append-list',
    init: () => [],
    step: (state, op) => {
      switch (op.kind) {
        case 'append':
          return [...state, op.value ?? null];
        case 'read':
          return op.result === undefined || sameValue(op.result, state) ? state : impossible;
        case 'write':
          return impossible;
      }
    },
    partition: partitionByKey,
    stateKey: (state) => JSON.stringify(state),
    describeOp: describe,
    observes: (op) =>
      op.kind === 'read' && Array.isArray(op.result) ? (op.result as readonly Value[]) : [],
    produces: (op) => (op.kind === 'append' && op.value !== undefined ? [op.value] : []),
  };
}
