import type { MomentSink, MomentSpec, NodeView, WorldView } from '../../engine/types.ts';
import { facadeId, legacyId, newServiceId, paramOf, routeNames } from './protocol.ts';
import type { FacadeDurable, LegacyStatus, RouteConfig } from './routing.ts';

/**
 * The migration's moments: every step a route takes (shadowed, canaried, moved, rolled back),
 * the baseline's one big-bang cutover, and legacy's retirement. All of them are decisions the
 * facade writes to its durable route table, so the monitor only compares that table with the
 * one it saw last, and only after the facade's own events (or a command) [1].
 */

export const stranglerFigMoments: readonly MomentSpec[] = [
  { id: 'route-shadowed', label: 'Route shadowed' },
  { id: 'route-canaried', label: 'Route canaried' },
  { id: 'route-moved', label: 'Route moved' },
  { id: 'route-rolled-back', label: 'Route rolled back' },
  { id: 'big-bang-cutover', label: 'Big-bang cutover' },
  { id: 'legacy-retired', label: 'Legacy retired' },
];

/** What the monitor last saw of the facade's durable decisions. */
export interface RouteTableSeen {
  /** The route table last compared (the facade replaces it whenever a route changes). */
  routes: readonly RouteConfig[] | null;
  legacy: LegacyStatus;
  isCutOver: boolean;
}

export function createRouteTableSeen(): RouteTableSeen {
  return { routes: null, legacy: 'serving', isCutOver: false };
}

/** Reports what changed in the facade's route table since the last look. */
export function observeRouteTable(
  world: WorldView,
  node: NodeView | undefined,
  seen: RouteTableSeen,
  moment: MomentSink,
): void {
  if (node !== undefined && node.id !== facadeId) return;
  const durable = world.node(facadeId).durable as FacadeDurable;
  // The durable state is an immutable value: the same table means nothing changed.
  if (durable.routes === seen.routes && durable.legacy === seen.legacy) return;
  const before = seen.routes;
  seen.routes = durable.routes;
  if (durable.isCutOver && !seen.isCutOver) {
    seen.isCutOver = true;
    moment(
      'big-bang-cutover',
      `Big-bang cutover: all ${durable.routes.length} routes switched from legacy to their new services at once`,
      [facadeId, ...durable.routes.map((_, route) => newServiceId(route))],
    );
  } else if (before !== null) {
    durable.routes.forEach((config, route) => {
      const old = before[route];
      if (old !== undefined) compareRoute(world, route, old, config, moment);
    });
  }
  if (durable.legacy === 'retired' && seen.legacy !== 'retired') {
    moment(
      'legacy-retired',
      `legacy is retired: every route runs on its new service and legacy is switched off for good`,
      [facadeId, legacyId],
    );
  }
  seen.legacy = durable.legacy;
}

/** One route's step, if it took one [2]. */
function compareRoute(
  world: WorldView,
  route: number,
  old: RouteConfig,
  config: RouteConfig,
  moment: MomentSink,
): void {
  if (config === old) return;
  const name = routeNames[route] ?? String(route);
  const service = newServiceId(route);
  const nodes = [facadeId, service];
  if (config.isRolledBack && !old.isRolledBack) {
    moment(
      'route-rolled-back',
      `The facade rolled ${name} back to legacy on its own: at least ` +
        `${paramOf(world, 'rollbackThresholdPct')} % of the calls to ${service} in the last ` +
        `${paramOf(world, 'rollbackWindowMs')} ms failed (rollback ${config.rollbacks} of ${name})`,
      nodes,
    );
    return;
  }
  if (config.isShadow && !old.isShadow) {
    moment(
      'route-shadowed',
      `${name} is shadowed: ${service} gets a copy of every ${name} request legacy serves, ` +
        `and the facade compares the answers without serving them`,
      nodes,
    );
  }
  if (config.percentNew >= 100 && old.percentNew < 100) {
    moment('route-moved', `${name} moved: ${service} now serves all of its users`, nodes);
  } else if (config.percentNew > 0 && config.percentNew < 100) {
    if (config.percentNew !== old.percentNew) {
      moment(
        'route-canaried',
        `${name} is in canary: ${service} serves ${config.percentNew} % of its users, legacy the rest`,
        nodes,
      );
    }
  }
}

/*
 * Notes
 *
 * [1] The facade replaces its durable value whenever it decides something (controls.ts,
 *     verdicts.ts, facade.ts), so an unchanged reference is the common case and costs one
 *     comparison. After a checkpoint is restored the remembered table is a copy: it no longer
 *     matches by reference, and the field-by-field comparison finds nothing new.
 * [2] An operator's set-route can shadow and canary a route at once: both are reported. Taking a
 *     route back to legacy by hand is not a moment of its own (the annotation records it); a
 *     rollback is, since the facade decides it alone.
 */
