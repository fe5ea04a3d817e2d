import type { NodeSummary } from '../../engine/types.ts';
import {
  paramOf,
  msParamUs,
  routeCount,
  type RouteName,
  routeNames,
  countParam,
} from './protocol.ts';

/**
 * The facade's route table: what each route is configured to do (durable: the operator's
 * decisions and the rollbacks survive a facade restart), what the facade has observed about it
 * (volatile: the error window and the shadow comparisons), and the rules that read them: the
 * canary split, the automatic rollback, and the retirement condition. Footnotes are in
 * facade.ts.
 */

/** One route's configuration. */
export interface RouteConfig {
  /** Share of users (by canary bucket) served by the new service, 0–100. */
  readonly percentNew: number;
  /** Whether requests served by legacy are also copied to the new service to compare. */
  readonly isShadow: boolean;
  /** Whether the facade took the route back to legacy on its own (until the operator acts). */
  readonly isRolledBack: boolean;
  readonly rollbacks: number;
}

/** The legacy monolith as the facade sees it: serving, being switched off, or gone. */
export type LegacyStatus = 'serving' | 'retiring' | 'retired';

export interface FacadeDurable {
  /** Incremented at every start, so answer and call ids never repeat across restarts. */
  readonly boots: number;
  readonly routes: readonly RouteConfig[];
  readonly legacy: LegacyStatus;
  /** Big-bang baseline only: whether the one-time cutover has happened. */
  readonly isCutOver: boolean;
  /** Steps of the scheduled migration plan carried out so far (storyline.ts). */
  readonly planDone: number;
}

/** One call to a new service as the error window remembers it (facade local time). */
export interface WindowEntry {
  readonly atUs: number;
  readonly isFailure: boolean;
}

/** What the facade has observed about one route since it last changed. */
export interface RouteStats {
  readonly window: readonly WindowEntry[];
  readonly compared: number;
  readonly mismatches: number;
  /** Set once the facade has noted that a failing route cannot go back (legacy retired). */
  readonly isStuckNoted: boolean;
}

/** A route as the inspector shows it. */
export interface RouteRow {
  readonly route: RouteName;
  readonly mode: RouteMode;
  readonly percentNew: number;
  readonly isShadow: boolean;
  readonly errorRatePct: number;
  readonly windowCalls: number;
  readonly compared: number;
  readonly mismatches: number;
  readonly isRolledBack: boolean;
}

export type RouteMode = 'legacy' | 'shadow' | 'canary' | 'canary+shadow' | 'new';

/** Entries one window keeps at most; older ones go first. */
export const windowEntriesMax = 1000;

export const allOnLegacy: RouteConfig = {
  percentNew: 0,
  isShadow: false,
  isRolledBack: false,
  rollbacks: 0,
};

export const emptyStats: RouteStats = {
  window: [],
  compared: 0,
  mismatches: 0,
  isStuckNoted: false,
};

export function initialFacadeDurable(): FacadeDurable {
  return {
    boots: 0,
    routes: routeNames.map(() => allOnLegacy),
    legacy: 'serving',
    isCutOver: false,
    planDone: 0,
  };
}

export function modeOf(config: RouteConfig): RouteMode {
  if (config.percentNew >= 100) return 'new';
  if (config.percentNew <= 0) return config.isShadow ? 'shadow' : 'legacy';
  return config.isShadow ? 'canary+shadow' : 'canary';
}

/** [2] Whether a user in canary bucket `cohort` is served by the new service. */
export function isServedByNew(config: RouteConfig, cohort: number): boolean {
  return cohort < config.percentNew;
}

/** [5] Every route fully on new, nothing shadowed: legacy is no longer needed by routing. */
export function isAllOnNew(routes: readonly RouteConfig[]): boolean {
  return routes.every((config) => config.percentNew >= 100 && !config.isShadow);
}

/** Whether the route sends anything to its new service (served or shadow calls). */
export function usesNew(config: RouteConfig): boolean {
  return config.percentNew > 0 || config.isShadow;
}

/** Adds one new-service outcome and forgets what fell out of the window. */
export function recordOutcome(
  stats: RouteStats,
  entry: WindowEntry,
  params: Readonly<Record<string, number>>,
): RouteStats {
  const fromUs = entry.atUs - msParamUs({ params }, 'rollbackWindowMs');
  const kept = stats.window.filter((each) => each.atUs > fromUs);
  if (kept.length >= windowEntriesMax) kept.shift();
  kept.push(entry);
  return { ...stats, window: kept };
}

/** Failures and calls in the window ending at `nowUs`. */
export function windowCounts(
  stats: RouteStats,
  nowUs: number,
  params: Readonly<Record<string, number>>,
): { readonly calls: number; readonly failures: number } {
  const fromUs = nowUs - msParamUs({ params }, 'rollbackWindowMs');
  let calls = 0;
  let failures = 0;
  for (const entry of stats.window) {
    if (entry.atUs <= fromUs) continue;
    calls++;
    if (entry.isFailure) failures++;
  }
  return { calls, failures };
}

/**
 * [3] Whether the window condemns the new service: enough calls, at least one failure, and a
 * failure share at or above the threshold.
 */
export function isRollbackDue(
  counts: { readonly calls: number; readonly failures: number },
  params: Readonly<Record<string, number>>,
): boolean {
  const minCalls = countParam({ params }, 'rollbackMinCalls');
  const threshold = paramOf({ params }, 'rollbackThresholdPct');
  return (
    counts.calls >= minCalls &&
    counts.failures > 0 &&
    counts.failures * 100 >= threshold * counts.calls
  );
}

/** The route table as the inspector shows it. */
export function routeRows(
  routes: readonly RouteConfig[],
  stats: readonly RouteStats[],
  nowUs: number,
  params: Readonly<Record<string, number>>,
): RouteRow[] {
  return routeNames.map((route, index) => {
    const config = routes[index] ?? allOnLegacy;
    const seen = stats[index] ?? emptyStats;
    const counts = windowCounts(seen, nowUs, params);
    return {
      route,
      mode: modeOf(config),
      percentNew: config.percentNew,
      isShadow: config.isShadow,
      errorRatePct: counts.calls === 0 ? 0 : Math.round((counts.failures * 100) / counts.calls),
      windowCalls: counts.calls,
      compared: seen.compared,
      mismatches: seen.mismatches,
      isRolledBack: config.isRolledBack,
    };
  });
}

/** The facade at a glance: how many routes are in each mode. */
export function facadeSummary(durable: FacadeDurable, isBaseline: boolean): NodeSummary {
  const counts = new Map<RouteMode, number>();
  for (const config of durable.routes) {
    const mode = modeOf(config);
    counts.set(mode, (counts.get(mode) ?? 0) + 1);
  }
  const order: readonly RouteMode[] = ['new', 'canary', 'canary+shadow', 'shadow', 'legacy'];
  const parts = order.flatMap((mode) => {
    const count = counts.get(mode) ?? 0;
    return count === 0 ? [] : [`${count} ${mode}`];
  });
  const rolledBack = durable.routes.filter((config) => config.isRolledBack).length;
  if (rolledBack > 0) parts.push(`${rolledBack} rolled back`);
  const badge = parts.join(' · ');
  if (durable.legacy !== 'serving') {
    const label = durable.legacy === 'retired' ? 'migrated' : 'retiring';
    return { label, badge, health: 'ok' };
  }
  if (rolledBack > 0) return { label: 'rolled back', badge, health: 'warn' };
  if (isBaseline) return { label: durable.isCutOver ? 'cut over' : 'facade', badge, health: 'ok' };
  return { label: 'facade', badge, health: 'ok' };
}

/** A route number from a control's 1-based argument, or null when out of range. */
export function routeFromArg(value: number | undefined): number | null {
  if (value === undefined) return null;
  const route = Math.round(value) - 1;
  return route >= 0 && route < routeCount ? route : null;
}
