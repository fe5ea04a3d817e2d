import {
  endUs,
  formatSeconds,
  formatValue,
  precedes,
  sameValue,
  type Operation,
  type Value,
} from './history.ts';
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
  /**
   * For a model whose ops depend on every earlier change rather than on one value (an account's
   * balance is the sum of all that came before): the ops a witness must keep with `subset`, out
   * of `all`, so that a legal order of `all` restricted to them stays legal. `isRealTime` says
   * whether the order keeps real time (linearizability) or only each client's order (sequential
   * consistency). Absent: the closure is observes/produces.
   */
  readonly closeWitness?: (subset: readonly Op[], all: readonly Op[], isRealTime: boolean) => Op[];
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
    case 'deposit':
      return op.result === 'rejected'
        ? `${op.client} deposited ${formatValue(op.value)} to ${op.key}, rejected (${span(op)})`
        : `${op.client} deposited ${formatValue(op.value)} to ${op.key} (${span(op)})`;
    case 'withdraw':
      return op.result === undefined
        ? `${op.client} tried to withdraw ${formatValue(op.value)} from ${op.key} (${span(op)})`
        : `${op.client} withdrew ${formatValue(op.value)} from ${op.key}, ${String(op.result)} (${span(op)})`;
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
        case 'deposit':
        case 'withdraw':
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
        case 'deposit':
        case 'withdraw':
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

/**
 * A bank account per key, its state the balance (`initial` before any op), with the rule "no
 * overdraft": a deposit always takes effect; a withdrawal is accepted exactly when the balance
 * covers it (balance ≥ amount) and then takes the amount out, and is rejected exactly when it
 * does not (balance < amount), changing nothing. An op without an answer may have taken effect
 * or not: placed in an order it is the accepted case (its rejection, changing nothing, is the
 * same as never having taken effect, which the searches allow already). A deposit said to be
 * rejected cannot happen under the rule. Reads and writes are not account ops. [1]
 */
export function accountModel(initial = 0): Model<number> {
  return {
    name: 'account',
    init: () => initial,
    step: (balance, op) => {
      const amount = typeof op.value === 'number' ? op.value : Number.NaN;
      switch (op.kind) {
        case 'deposit':
          return op.result === 'rejected' ? impossible : balance + amount;
        case 'withdraw':
          if (op.result === 'rejected') return balance < amount ? balance : impossible;
          return balance >= amount ? balance - amount : impossible;
        case 'read':
        case 'write':
        case 'append':
          return impossible;
      }
    },
    partition: partitionByKey,
    stateKey: String,
    describeOp: describe,
    // No op names a value another produced: the witness closure is by time instead.
    observes: () => [],
    produces: () => [],
    closeWitness: closeAccountWitness,
  };
}

/** Whether an op may have changed its account's balance: every op but a rejected one. */
export function mayChangeBalance(op: Operation): boolean {
  return op.result !== 'rejected';
}

/**
 * [2] The ops an account witness keeps: besides `subset`, every op that may have changed a
 * balance and may come before a kept op in a legal order, transitively. With real time, an op
 * that every kept op precedes comes after all of them in any legal order, so it can go; without
 * real time (sequential consistency) nothing says so, and every such op on a kept key stays.
 */
function closeAccountWitness(
  subset: readonly Operation[],
  all: readonly Operation[],
  isRealTime: boolean,
): Operation[] {
  const kept = new Set(subset);
  if (!isRealTime) {
    const keys = new Set(subset.map((op) => op.key));
    for (const op of all) if (keys.has(op.key) && mayChangeBalance(op)) kept.add(op);
    return [...kept];
  }
  // Sweeping by invocation time: an op sent after every kept op was answered is preceded by
  // all of them. Keeping an op can only push that time later, so one sweep reaches the fixpoint.
  let latestEndUs = Number.NEGATIVE_INFINITY;
  for (const op of kept) latestEndUs = Math.max(latestEndUs, endUs(op));
  const changers = all
    .filter(mayChangeBalance)
    .sort((a, b) => a.invokeUs - b.invokeUs || a.id - b.id);
  for (const op of changers) {
    if (kept.has(op) || op.invokeUs > latestEndUs) continue;
    // Sent no later than the last answer: keep it unless every kept op precedes it.
    if (op.invokeUs === latestEndUs && [...kept].every((other) => precedes(other, op))) continue;
    kept.add(op);
    latestEndUs = Math.max(latestEndUs, endUs(op));
  }
  return [...kept];
}

/*
 * Notes
 *
 * [1] The rule is the Event Sourcing scenario's (`decide` in
 *     src/scenarios/event-sourcing/account.ts): "no withdrawal or transfer may take an account
 *     below zero", refused when `balance < amount`, so taking the whole balance is allowed.
 *
 * [2] Why the closure keeps what it keeps. A witness proves the whole history is not
 *     linearizable only if any legal order of the whole, restricted to the witness, is legal for
 *     it. For a register that holds when every write of a value some kept read returned is kept
 *     (observes/produces). An account's balance is the sum of every change before an op, so
 *     dropping a deposit can make a kept withdrawal's acceptance impossible, and the "witness"
 *     would blame a deposit that merely went missing. Keeping every op that may change a balance
 *     and may come before a kept op (sent before the last kept op was answered), transitively,
 *     restores it: each kept op sees in the restricted order exactly the changes it saw in the
 *     whole, because every dropped change comes after it. Rejected ops change nothing and go
 *     freely.
 */
