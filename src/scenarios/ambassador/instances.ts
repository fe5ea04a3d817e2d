import type { NodeContext, NodeId } from '../../engine/types.ts';
import { acquire, type BreakerState, stepBreaker } from '../circuit-breaker/breaker.ts';
import { settingsOf } from './protocol.ts';

/**
 * The ambassador's view of the remote instances: which one gets the next attempt (load
 * balancing [1]) and whether it may get it at all (one circuit breaker per instance [2]).
 */

/** What the ambassador keeps per instance, parallel to the remote ids in topology order. */
export interface InstanceTable {
  readonly remotes: readonly NodeId[];
  readonly breakers: readonly BreakerState[];
  /** Attempts in flight to each instance (late ones included until their reply or timeout). */
  readonly outstanding: readonly number[];
  /** Attempts ever sent to each instance since the ambassador (re)started. */
  readonly sent: readonly number[];
  /** Round robin: the instance to start the next search at. */
  readonly nextIndex: number;
}

/** A chosen instance and the breaker permit for the attempt (null with breakers off). */
export interface Choice {
  readonly index: number;
  readonly permit: number | null;
  readonly table: InstanceTable;
}

export type Balancer = 'round-robin' | 'least-outstanding' | 'two-choices';

export function balancerOf(ctx: { readonly params: Readonly<Record<string, number>> }): Balancer {
  const mode = settingsOf(ctx.params).balancerMode;
  return mode === 1 ? 'least-outstanding' : mode === 2 ? 'two-choices' : 'round-robin';
}

/** Options for a broken ambassador in tests: take the instance even when its breaker says no. */
export interface ChoiceFlaws {
  readonly ignoresBreaker?: boolean;
}

/**
 * Picks the instance for an attempt. Instances the request has not tried yet come first (a retry
 * should not go back to the instance that just failed it) [1]; `isOtherOnly` allows untried ones
 * only (a hedge must go elsewhere). With breakers on, each candidate in order is asked for a
 * permit; an open breaker rejects and the next candidate is asked. Null when nobody permits.
 */
export function chooseInstance(
  table: InstanceTable,
  tried: readonly NodeId[],
  isOtherOnly: boolean,
  ctx: NodeContext,
  flaws: ChoiceFlaws = {},
): Choice | null {
  const order = candidatesOf(table, tried, isOtherOnly, ctx);
  const settings = settingsOf(ctx.params);
  let current = table;
  for (const index of order) {
    const breaker = current.breakers[index];
    if (!settings.isBreakerOn || breaker === undefined) return picked(current, index, null);
    const asked = acquire(breaker, ctx.localTimeUs, settings.breaker);
    current = withBreaker(current, index, asked.breaker);
    if (asked.permit !== null) return picked(current, index, asked.permit);
    if (flaws.ignoresBreaker === true) return picked(current, index, null);
  }
  return null;
}

/** The candidates in the order they are asked: untried first, then (unless hedging) the rest. */
function candidatesOf(
  table: InstanceTable,
  tried: readonly NodeId[],
  isOtherOnly: boolean,
  ctx: NodeContext,
): number[] {
  const count = table.remotes.length;
  // Rotating from `nextIndex` gives round robin, and fair tie-breaking for the other modes.
  const untried: number[] = [];
  const again: number[] = [];
  for (let step = 0; step < count; step++) {
    const index = (table.nextIndex + step) % count;
    if (!tried.includes(table.remotes[index] ?? '')) untried.push(index);
    else if (!isOtherOnly) again.push(index);
  }
  const order = ordered(untried, table, ctx);
  return again.length === 0 ? order : [...order, ...ordered(again, table, ctx)];
}

/** Candidates (in rotation order) in the order the balancer prefers them. */
function ordered(rotated: number[], table: InstanceTable, ctx: NodeContext): number[] {
  const balancer = balancerOf(ctx);
  switch (balancer) {
    case 'round-robin':
      return rotated;
    case 'least-outstanding':
      // A stable sort keeps the rotation among equally loaded instances.
      return byLoad(rotated, table.outstanding);
    case 'two-choices': {
      if (rotated.length < 2) return rotated;
      // [1] Two candidates at random, the less loaded first; the rest follow as fallbacks.
      const load = table.outstanding;
      const first = ctx.random.pick(rotated);
      const second = ctx.random.pick(rotated.filter((index) => index !== first));
      const pair = (load[second] ?? 0) < (load[first] ?? 0) ? [second, first] : [first, second];
      return [...pair, ...rotated.filter((index) => !pair.includes(index))];
    }
    default: {
      const unknownBalancer: never = balancer;
      return unknownBalancer;
    }
  }
}

/** `candidates` stably sorted by load (an insertion sort: there are at most a few). */
function byLoad(candidates: number[], load: readonly number[]): number[] {
  for (let at = 1; at < candidates.length; at++) {
    const index = candidates[at] as number;
    let to = at;
    while (to > 0 && (load[candidates[to - 1] as number] ?? 0) > (load[index] ?? 0)) {
      candidates[to] = candidates[to - 1] as number;
      to--;
    }
    candidates[to] = index;
  }
  return candidates;
}

/** `counts` with `delta` added at `index`. */
function bumped(counts: readonly number[], index: number, delta: number): number[] {
  const next = counts.slice();
  next[index] = (next[index] ?? 0) + delta;
  return next;
}

function picked(table: InstanceTable, index: number, permit: number | null): Choice {
  const next: InstanceTable = {
    ...table,
    outstanding: bumped(table.outstanding, index, 1),
    sent: bumped(table.sent, index, 1),
    nextIndex: (index + 1) % Math.max(1, table.remotes.length),
  };
  return { index, permit, table: next };
}

function withBreaker(table: InstanceTable, index: number, breaker: BreakerState): InstanceTable {
  if (table.breakers[index] === breaker) return table;
  const breakers = table.breakers.slice();
  breakers[index] = breaker;
  return { ...table, breakers };
}

/**
 * An attempt to instance `index` finished (a reply, or its per-try timeout): one fewer in flight,
 * and its outcome goes to the instance's breaker if it was sent under a permit. Returns the table
 * and whether the breaker has just opened (the caller sets its wait timer).
 */
export function attemptFinished(
  table: InstanceTable,
  index: number,
  permit: number | null,
  outcome: { readonly isFailure: boolean; readonly durationUs: number },
  ctx: NodeContext,
): { readonly table: InstanceTable; readonly hasTripped: boolean } {
  const outstanding = table.outstanding.slice();
  outstanding[index] = Math.max(0, (outstanding[index] ?? 0) - 1);
  const eased: InstanceTable = { ...table, outstanding };
  const breaker = eased.breakers[index];
  if (permit === null || breaker === undefined) return { table: eased, hasTripped: false };
  const settings = settingsOf(ctx.params);
  const next = stepBreaker(breaker, {
    type: 'RESULT',
    nowUs: ctx.localTimeUs,
    config: settings.breaker,
    generation: permit,
    isFailure: outcome.isFailure,
    durationUs: outcome.durationUs,
  });
  const hasTripped = next.value === 'open' && next.context.trips > breaker.context.trips;
  if (hasTripped) {
    ctx.setTimer(breakerTimerOf(index), settings.breakerWaitUs);
    ctx.annotate(`breaker for ${table.remotes[index] ?? '?'} opens: ${next.context.reason}`);
  }
  return { table: withBreaker(eased, index, next), hasTripped };
}

/** The wait in `open` is over: the breaker lets trial attempts through (half-open). */
export function breakerWaitElapsed(
  table: InstanceTable,
  index: number,
  ctx: NodeContext,
): InstanceTable {
  const breaker = table.breakers[index];
  if (breaker?.value !== 'open') return table;
  const next = stepBreaker(breaker, {
    type: 'WAIT_ELAPSED',
    nowUs: ctx.localTimeUs,
    config: settingsOf(ctx.params).breaker,
  });
  return withBreaker(table, index, next);
}

const breakerTimerPrefix = 'breaker:';

export function breakerTimerOf(index: number): string {
  return `${breakerTimerPrefix}${index}`;
}

/** The instance index of a breaker timer, or null for another timer. */
export function breakerTimerIndex(name: string): number | null {
  return name.startsWith(breakerTimerPrefix) ? Number(name.slice(breakerTimerPrefix.length)) : null;
}

/*
 * Notes
 *
 * [1] Round robin spreads attempts evenly but keeps sending a slow instance its full share.
 *     Least outstanding sends each attempt to the instance with the fewest attempts in flight, so a
 *     slow instance, whose attempts pile up, gets fewer. Power of two choices (Mitzenmacher; used
 *     by Envoy, Finagle and NGINX) asks two instances at random and takes the less loaded: almost
 *     as good, and with many callers it avoids everyone herding onto the same "least loaded" one.
 *     Retries prefer instances not tried yet (Envoy's previous-hosts retry predicate).
 *
 * [2] The breaker sees only the attempts sent under its permit, and every one of them finishes
 *     exactly once (reply or per-try timeout), so trial attempts in half-open are always judged.
 */
