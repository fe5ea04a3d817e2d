import type { NodeContext, NodeId } from '../../engine/types.ts';
import { acquire, type BreakerState, stepBreaker } from '../circuit-breaker/breaker.ts';
import { breakerConfigOf, isOn, paramOf, paramUs } from './protocol.ts';

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
  const mode = Math.round(paramOf(ctx, 'balancer'));
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
  const all = table.remotes.map((_, index) => index);
  const untried = all.filter((index) => !tried.includes(table.remotes[index] ?? ''));
  const again = isOtherOnly ? [] : all.filter((index) => !untried.includes(index));
  const order = [...ordered(untried, table, ctx), ...ordered(again, table, ctx)];
  const isBreakerOn = isOn(ctx, 'isBreakerOn');
  let current = table;
  for (const index of order) {
    const breaker = current.breakers[index];
    if (!isBreakerOn || breaker === undefined) return picked(current, index, null);
    const asked = acquire(breaker, ctx.localTimeUs, breakerConfigOf(ctx));
    current = withBreaker(current, index, asked.breaker);
    if (asked.permit !== null) return picked(current, index, asked.permit);
    if (flaws.ignoresBreaker === true) return picked(current, index, null);
  }
  return null;
}

/** Candidates in the order the balancer prefers them. */
function ordered(candidates: readonly number[], table: InstanceTable, ctx: NodeContext): number[] {
  const count = table.remotes.length;
  // Rotating from `nextIndex` gives round robin, and fair tie-breaking for the other modes.
  const rotated = candidates
    .slice()
    .sort(
      (a, b) => ((a - table.nextIndex + count) % count) - ((b - table.nextIndex + count) % count),
    );
  const load = (index: number): number => table.outstanding[index] ?? 0;
  const balancer = balancerOf(ctx);
  switch (balancer) {
    case 'round-robin':
      return rotated;
    case 'least-outstanding':
      // A stable sort keeps the rotation among equally loaded instances.
      return rotated.sort((a, b) => load(a) - load(b));
    case 'two-choices': {
      if (rotated.length < 2) return rotated;
      // [1] Two candidates at random, the less loaded first; the rest follow as fallbacks.
      const first = ctx.random.pick(rotated);
      const second = ctx.random.pick(rotated.filter((index) => index !== first));
      const pair = load(second) < load(first) ? [second, first] : [first, second];
      return [...pair, ...rotated.filter((index) => !pair.includes(index))];
    }
    default: {
      const unknownBalancer: never = balancer;
      return unknownBalancer;
    }
  }
}

function picked(table: InstanceTable, index: number, permit: number | null): Choice {
  const next: InstanceTable = {
    ...table,
    outstanding: table.outstanding.map((count, at) => (at === index ? count + 1 : count)),
    sent: table.sent.map((count, at) => (at === index ? count + 1 : count)),
    nextIndex: (index + 1) % Math.max(1, table.remotes.length),
  };
  return { index, permit, table: next };
}

function withBreaker(table: InstanceTable, index: number, breaker: BreakerState): InstanceTable {
  if (table.breakers[index] === breaker) return table;
  return { ...table, breakers: table.breakers.map((each, at) => (at === index ? breaker : each)) };
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
  const eased: InstanceTable = {
    ...table,
    outstanding: table.outstanding.map((count, at) =>
      at === index ? Math.max(0, count - 1) : count,
    ),
  };
  const breaker = eased.breakers[index];
  if (permit === null || breaker === undefined) return { table: eased, hasTripped: false };
  const next = stepBreaker(breaker, {
    type: 'RESULT',
    nowUs: ctx.localTimeUs,
    config: breakerConfigOf(ctx),
    generation: permit,
    isFailure: outcome.isFailure,
    durationUs: outcome.durationUs,
  });
  const hasTripped = next.value === 'open' && next.context.trips > breaker.context.trips;
  if (hasTripped) {
    ctx.setTimer(breakerTimerOf(index), paramUs(ctx, 'breakerWaitMs'));
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
    config: breakerConfigOf(ctx),
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
