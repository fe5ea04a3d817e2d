import { msParamUs, routeNames } from './protocol.ts';
import type { Comparison, FacadeContext, FacadeState } from './facade.ts';
import {
  emptyStats,
  isRollbackDue,
  recordOutcome,
  type RouteConfig,
  routeRows,
  type RouteStats,
  usesNew,
  windowCounts,
} from './routing.ts';

/**
 * What the facade learns from the answers it gets: shadow comparisons (facade.ts note [4]) and
 * the error window that triggers an automatic rollback (note [3]). Each function takes the
 * facade's state and returns the next one; effects (metrics, annotations, the durable route
 * table) go through the facade's context.
 */

/** [4] Fills one side of a comparison; once both are in, counts a comparison or a mismatch. */
export function settle(
  state: FacadeState,
  shadowCallId: number,
  side: 'legacy' | 'shadow',
  value: number | null,
  ctx: FacadeContext,
): FacadeState {
  const comparison = state.comparisons.get(shadowCallId);
  if (comparison === undefined) return state;
  const filled: Comparison = { ...comparison, [side]: value };
  const comparisons = new Map(state.comparisons);
  if (filled.legacy === 'pending' || filled.shadow === 'pending') {
    comparisons.set(shadowCallId, filled);
    return { ...state, comparisons };
  }
  comparisons.delete(shadowCallId);
  if (filled.legacy === null || filled.shadow === null) return { ...state, comparisons };
  const route = filled.route;
  const seen = state.stats[route] ?? emptyStats;
  const isMismatch = filled.legacy !== filled.shadow;
  ctx.metric('shadow-compared', 1);
  if (isMismatch) {
    ctx.metric('mismatches', 1);
    if (seen.mismatches === 0) {
      ctx.annotate(
        `shadow mismatch on ${routeNames[route] ?? route}: legacy says ${filled.legacy}, new says ${filled.shadow}`,
      );
    }
  }
  const updated: RouteStats = {
    ...seen,
    compared: seen.compared + 1,
    mismatches: seen.mismatches + (isMismatch ? 1 : 0),
  };
  return refreshRows({ ...state, comparisons, stats: withStats(state.stats, route, updated) }, ctx);
}

/** [3] Records a new-service outcome in the route's window and rolls back when it is due. */
export function noteNewOutcome(
  state: FacadeState,
  route: number,
  isFailure: boolean,
  ctx: FacadeContext,
  isBaseline: boolean,
): FacadeState {
  const config = ctx.durable.routes[route] as RouteConfig;
  // After a rollback, late answers from the new service no longer judge anything.
  if (!usesNew(config) && ctx.durable.legacy === 'serving') return state;
  const seen = recordOutcome(
    state.stats[route] ?? emptyStats,
    { atUs: ctx.localTimeUs, isFailure },
    ctx.params,
  );
  const stats = withStats(state.stats, route, seen);
  const counts = windowCounts(seen, ctx.localTimeUs, ctx.params);
  if (isBaseline || !isFailure || !isRollbackDue(counts, ctx.params)) {
    return refreshRows(state, ctx, stats);
  }
  const next = { ...state, stats };
  const name = routeNames[route] ?? String(route);
  if (ctx.durable.legacy !== 'serving') {
    // [5] Nothing to go back to: the failing service keeps the route.
    if (seen.isStuckNoted) return refreshRows(next, ctx);
    ctx.annotate(`${name} is failing on new but legacy is retired: no rollback possible`);
    const noted: RouteStats = { ...seen, isStuckNoted: true };
    return refreshRows({ ...next, stats: withStats(next.stats, route, noted) }, ctx);
  }
  const routes = ctx.durable.routes.map((each, index) =>
    index === route
      ? { percentNew: 0, isShadow: false, isRolledBack: true, rollbacks: each.rollbacks + 1 }
      : each,
  );
  ctx.persist({ ...ctx.durable, routes });
  ctx.metric('rollbacks', 1);
  ctx.annotate(
    `rolled back ${name} to legacy: ${counts.failures} of ${counts.calls} new-service calls failed ` +
      `in the last ${msParamUs(ctx, 'rollbackWindowMs') / 1000} ms`,
  );
  return refreshRows(
    {
      ...next,
      stats: withStats(next.stats, route, emptyStats),
      lastRouteChangeUs: ctx.localTimeUs,
    },
    ctx,
  );
}

/**
 * `state` with `stats` and the inspector's route table rebuilt from them. A whole literal rather
 * than a spread: it runs for every answer from a new service, and V8 11 (Node 20) copies a spread
 * several times slower.
 */
export function refreshRows(
  state: FacadeState,
  ctx: FacadeContext,
  stats: readonly RouteStats[] = state.stats,
): FacadeState {
  return {
    nextSeq: state.nextSeq,
    calls: state.calls,
    comparisons: state.comparisons,
    seen: state.seen,
    stats,
    routes: routeRows(ctx.durable.routes, stats, ctx.localTimeUs, ctx.params),
    lastLegacyCallUs: state.lastLegacyCallUs,
    lastRouteChangeUs: state.lastRouteChangeUs,
    legacyCallsAfterRetire: state.legacyCallsAfterRetire,
  };
}

export function withStats(
  stats: readonly RouteStats[],
  route: number,
  updated: RouteStats,
): RouteStats[] {
  return stats.map((each, index) => (index === route ? updated : each));
}
