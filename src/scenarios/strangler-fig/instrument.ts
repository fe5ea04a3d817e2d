import type { WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { ServiceDurable } from './backend.ts';
import { newServiceId, paramOf, routeNames, countParam } from './protocol.ts';
import {
  allOnLegacy,
  emptyStats,
  type LegacyStatus,
  type RouteConfig,
  type RouteStats,
} from './routing.ts';
import { facadeDurable, facadeState } from './world.ts';

/**
 * The facade's route table as Fowler's "Strangler Fig Application" and the canary/shadow practice
 * it grows with describe it (the README's "The pattern in plain words"): each route's stage
 * (legacy, shadow, canary, new, rolled back), the share of its users sent to new against the
 * rest on legacy, the shadow comparisons and their mismatches, the new service's recent outcomes
 * in the error window that rolls a route back on its own past the threshold, and legacy's
 * retirement once nothing routes to it.
 */

export type RouteStage = 'legacy' | 'shadow' | 'canary' | 'new' | 'rolled back';

export interface RouteReading {
  readonly name: string;
  readonly stage: RouteStage;
  /** Share of the route's users (by canary bucket) served by new, 0–100; the rest by legacy. */
  readonly percentNew: number;
  /** Requests served by legacy are copied to new and the answers compared. */
  readonly isShadow: boolean;
  /** New-service calls and failures in the rollback window (empty while the facade is down). */
  readonly windowCalls: number;
  readonly windowFailures: number;
  /** The newest outcomes in the window, oldest first: 1 failed, 0 good; at most `recentMax`. */
  readonly recent: readonly number[];
  readonly compared: number;
  readonly mismatches: number;
  readonly rollbacks: number;
  /** The new service's release: its error and wrong-answer rates (0 and 0: a good release). */
  readonly releaseErrorPct: number;
  readonly releaseWrongPct: number;
  readonly isServiceUp: boolean;
}

export interface RoutesInstrumentData {
  readonly routes: readonly RouteReading[];
  readonly thresholdPct: number;
  readonly minCalls: number;
  readonly windowMs: number;
  readonly legacy: LegacyStatus;
  /** The facade is down: the table is its durable decisions only; the windows are lost. */
  readonly isFacadeDown: boolean;
}

/** Outcomes per route drawn at most. */
export const recentMax = 12;

function stageOf(config: RouteConfig): RouteStage {
  if (config.percentNew >= 100) return 'new';
  if (config.percentNew > 0) return 'canary';
  if (config.isRolledBack) return 'rolled back';
  return config.isShadow ? 'shadow' : 'legacy';
}

/**
 * The failures among the newest `calls` outcomes of a route's window, and the newest `max` of
 * them (1 failed, 0 good), oldest first. The facade refreshes its rows after every outcome, so
 * the newest `calls` entries are exactly the ones its window judged last.
 */
function windowOutcomes(
  stats: RouteStats,
  calls: number,
  max: number,
): { readonly failures: number; readonly recent: number[] } {
  const recent: number[] = [];
  let failures = 0;
  const oldest = Math.max(0, stats.window.length - calls);
  for (let i = stats.window.length - 1; i >= oldest; i--) {
    const bit = stats.window[i]?.isFailure === true ? 1 : 0;
    failures += bit;
    if (recent.length < max) recent.push(bit);
  }
  return { failures, recent: recent.reverse() };
}

/** Reads the facade's route table (durable), its windows and comparisons (volatile), and the releases. */
export function readRoutes(world: WorldView): RoutesInstrumentData {
  const durable = facadeDurable(world);
  const state = facadeState(world);
  const isFacadeDown = world.node('facade').status !== 'up' || state === undefined;
  const routes = routeNames.map((name, index): RouteReading => {
    const config = durable.routes[index] ?? allOnLegacy;
    const stats = isFacadeDown ? emptyStats : (state.stats[index] ?? emptyStats);
    // The facade's own rows (refreshed on every change, on its own clock) say how many calls
    // its window holds; a crashed facade has lost its windows.
    const calls = isFacadeDown ? 0 : (state.routes[index]?.windowCalls ?? 0);
    const outcomes = windowOutcomes(stats, calls, recentMax);
    const service = world.node(newServiceId(index));
    const release = service.durable as ServiceDurable;
    return {
      name,
      stage: stageOf(config),
      percentNew: config.percentNew,
      isShadow: config.isShadow,
      windowCalls: calls,
      windowFailures: outcomes.failures,
      recent: outcomes.recent,
      compared: stats.compared,
      mismatches: stats.mismatches,
      rollbacks: config.rollbacks,
      releaseErrorPct: release.errorRatePct,
      releaseWrongPct: release.wrongRatePct,
      isServiceUp: service.status === 'up',
    };
  });
  return {
    routes,
    thresholdPct: paramOf(world, 'rollbackThresholdPct'),
    minCalls: countParam(world, 'rollbackMinCalls'),
    windowMs: paramOf(world, 'rollbackWindowMs'),
    legacy: durable.legacy,
    isFacadeDown,
  };
}

function routeWords(route: RouteReading): string {
  const mismatches =
    route.mismatches > 0
      ? `, ${route.mismatches} mismatch${route.mismatches === 1 ? '' : 'es'}`
      : '';
  const failing =
    route.windowFailures > 0 && route.stage !== 'legacy'
      ? `, ${route.windowFailures} of ${route.windowCalls} new calls failed`
      : '';
  switch (route.stage) {
    case 'new':
      return `/${route.name} on new${failing}`;
    case 'canary':
      return `/${route.name} canary ${route.percentNew}% to new${route.isShadow ? ' and shadowed' : ''}${mismatches}${failing}`;
    case 'shadow':
      return `/${route.name} shadowed on legacy, ${route.compared} compared${mismatches}`;
    case 'rolled back':
      return `/${route.name} rolled back to legacy`;
    case 'legacy':
      return `/${route.name} on legacy`;
  }
}

/**
 * The route table in one or two sentences, as the figure's accessible name. Routes at rest on
 * the same side are named together ("/payments, /accounts on legacy").
 */
export function describeRoutes(data: RoutesInstrumentData): string {
  const parts: string[] = [];
  const grouped = new Map<string, number>();
  for (const route of data.routes) {
    const words = routeWords(route);
    const rest = words === `/${route.name} on legacy` || words === `/${route.name} on new`;
    const side = words.slice(route.name.length + 1);
    const at = grouped.get(side);
    if (rest && at !== undefined) {
      parts[at] = `${(parts[at] ?? '').slice(0, -side.length)}, /${route.name}${side}`;
    } else {
      if (rest) grouped.set(side, parts.length);
      parts.push(words);
    }
  }
  const legacy =
    data.legacy === 'retired'
      ? ' Legacy is retired: no way back.'
      : data.legacy === 'retiring'
        ? ' Legacy is being retired.'
        : '';
  const down = data.isFacadeDown ? ' The facade is down.' : '';
  return `Routes: ${parts.join('; ')}.${legacy}${down}`;
}

export const stranglerFigInstrument: Instrument = {
  title: 'Routes',
  read(world): InstrumentReading {
    const data = readRoutes(world);
    return { description: describeRoutes(data), data };
  },
};
