import { type Operation } from './history.ts';
import { impossible, type Model } from './models.ts';
import { ConfigurationCache, mix32 } from './search.ts';

/*
 * Linearizability of one key's operations: the Wing–Gong search with Lowe's memoisation, as
 * Porcupine's checker.go does it. Calls and returns are entries of a doubly linked list in time
 * order; the search walks it, "lifting" an op (its call and its return) out of the list when the
 * model accepts it next, and putting it back when it backtracks. A return reached before its
 * call was lifted means nothing placed so far can be followed by that op's completion: backtrack.
 * A configuration (the set of ops placed, the model's state) is explored at most once.
 */

export type SearchStatus = 'ok' | 'violated' | 'gave-up';

export interface SearchOptions {
  /** Search steps (list entries visited) before giving up. */
  readonly budget?: number;
  /** Off only to measure what the cache buys (the benchmark's peer). */
  readonly memoise?: boolean;
}

export interface SearchResult {
  readonly status: SearchStatus;
  readonly steps: number;
  /** A complete order when ok; otherwise the longest legal order found, by op id. */
  readonly order: readonly number[];
}

export const defaultBudget = 1_000_000;

/*
 * Entries sort by time, then rank, so that "`a` precedes `b`" (history.ts) is exactly "a's return
 * comes before b's call": at one instant, returns of ops that took time come first, then the
 * calls and then the returns of ops that took no time, then the calls of the rest.
 */
const returnRank = 0;
const instantCallRank = 1;
const instantReturnRank = 2;
const callRank = 3;

/** Checks one key's operations against the model. */
export function searchLinearization<S>(
  ops: readonly Operation[],
  model: Model<S>,
  options: SearchOptions = {},
): SearchResult {
  const budget = options.budget ?? defaultBudget;
  const memoise = options.memoise ?? true;
  const n = ops.length;
  let completedLeft = 0;
  for (const op of ops) if (op.completeUs !== null) completedLeft++;
  if (completedLeft === 0) return { status: 'ok', steps: 0, order: [] };

  // Entry e < n is op e's call, e ≥ n its return; the list head is 2n; -1 ends the list.
  const times = new Float64Array(2 * n);
  const ranks = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation;
    const isInstant = op.completeUs === op.invokeUs;
    times[i] = op.invokeUs;
    ranks[i] = isInstant ? instantCallRank : callRank;
    times[n + i] = op.completeUs ?? Number.POSITIVE_INFINITY;
    ranks[n + i] = isInstant ? instantReturnRank : returnRank;
  }
  const sorted = Array.from({ length: 2 * n }, (_, e) => e).sort(
    (a, b) =>
      (times[a] as number) - (times[b] as number) ||
      (ranks[a] as number) - (ranks[b] as number) ||
      (a % n) - (b % n) ||
      a - b,
  );
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  let last = head;
  for (const e of sorted) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = -1;

  const lift = (call: number): void => {
    next[prev[call] as number] = next[call] as number;
    prev[next[call] as number] = prev[call] as number;
    const ret = call + n;
    next[prev[ret] as number] = next[ret] as number;
    if (next[ret] !== -1) prev[next[ret] as number] = prev[ret] as number;
  };
  const unlift = (call: number): void => {
    const ret = call + n;
    next[prev[ret] as number] = ret;
    if (next[ret] !== -1) prev[next[ret] as number] = ret;
    next[prev[call] as number] = call;
    prev[next[call] as number] = call;
  };

  const placed = new Uint32Array((n + 31) >>> 5);
  const zobrist = Uint32Array.from({ length: n }, (_, i) => mix32(i + 1));
  let placedHash = 0;
  const cache = new ConfigurationCache(placed.length, 2 * n);
  const stackCalls = new Int32Array(n);
  const stackStates: S[] = [];
  let depth = 0;
  let longest: number[] = [];
  let state = model.init();
  let steps = 0;
  let entry = next[head] as number;

  const orderOf = (count: number): number[] => {
    const order: number[] = [];
    for (let i = 0; i < count; i++) order.push((ops[stackCalls[i] as number] as Operation).id);
    return order;
  };

  while (entry !== -1) {
    if (++steps > budget) return { status: 'gave-up', steps: budget, order: longest };
    if (entry < n) {
      const op = ops[entry] as Operation;
      const nextState = model.step(state, op);
      if (nextState !== impossible) {
        const word = entry >>> 5;
        const bit = 1 << (entry & 31);
        placed[word] = (placed[word] as number) | bit;
        placedHash ^= zobrist[entry] as number;
        if (!memoise || cache.add(placedHash, placed, model.stateKey(nextState))) {
          stackCalls[depth] = entry;
          stackStates[depth] = state;
          depth++;
          state = nextState;
          lift(entry);
          if (op.completeUs !== null && --completedLeft === 0) {
            // Every answered op is placed; the unanswered rest may simply never take effect.
            return { status: 'ok', steps, order: orderOf(depth) };
          }
          entry = next[head] as number;
        } else {
          placed[word] = (placed[word] ?? 0) & ~bit;
          placedHash ^= zobrist[entry] as number;
          entry = next[entry] as number;
        }
      } else entry = next[entry] as number;
    } else {
      // A return whose call is still in the list: this op must come before everything left,
      // and none of the orders tried from here worked. Undo the last placement.
      if (depth === 0) return { status: 'violated', steps, order: longest };
      if (depth > longest.length) longest = orderOf(depth);
      depth--;
      const call = stackCalls[depth] as number;
      state = stackStates[depth] as S;
      placed[call >>> 5] = (placed[call >>> 5] as number) & ~(1 << (call & 31));
      placedHash ^= zobrist[call] as number;
      if ((ops[call] as Operation).completeUs !== null) completedLeft++;
      unlift(call);
      entry = next[call] as number;
    }
  }
  // Not reached: while an answered op is unplaced, its return is in the list and stops the walk.
  return { status: 'ok', steps, order: orderOf(depth) };
}
