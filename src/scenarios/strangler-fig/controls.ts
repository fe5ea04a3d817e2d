import type { ParamSpec, ScenarioFaultSpec } from '../../engine/types.ts';
import { buggyReleaseFault, fixReleaseControl } from './backend.ts';
import type { FacadeContext, FacadeState } from './facade.ts';
import {
  facadeRole,
  moveAllControl,
  moveRouteControl,
  newRole,
  routeCount,
  routeNames,
  setRouteControl,
} from './protocol.ts';
import { emptyStats, modeOf, type RouteConfig, routeFromArg } from './routing.ts';

/**
 * The operator's migration controls (on the facade) and the release faults (on a new service),
 * as the scenario declares them, and what the facade does with a control. In the pattern each
 * control changes one route; in the big-bang baseline the first control of any kind switches
 * every route to new at once and later ones change nothing.
 */

export { moveAllControl, moveRouteControl, setRouteControl } from './protocol.ts';

/** Routes are numbered from 1 in commands (`routeFromArg`); people pick them by name. */
const routeArg: ParamSpec = {
  label: 'Route',
  default: 1,
  min: 1,
  max: routeCount,
  step: 1,
  unit: '',
  help: 'Which route of the facade changes.',
  choices: routeNames.map((name, index) => ({ value: index + 1, label: name })),
};

export const stranglerFigFaults: readonly ScenarioFaultSpec[] = [
  {
    id: setRouteControl,
    kind: 'control',
    label: 'Set a route',
    help: 'Send a share of the route’s users to its new service; shadow copies legacy-served requests to it.',
    roles: [facadeRole],
    args: {
      route: routeArg,
      sharePct: {
        label: 'Share to new',
        default: 10,
        min: 0,
        max: 100,
        step: 5,
        unit: '%',
        help: '0 keeps everyone on legacy, 100 moves the route entirely; between is a canary.',
      },
      shadow: {
        label: 'Shadow',
        default: 0,
        min: 0,
        max: 1,
        step: 1,
        unit: '',
        help: 'On: also send legacy-served requests to the new service and compare the answers.',
        choices: [
          { value: 0, label: 'off' },
          { value: 1, label: 'on' },
        ],
      },
    },
  },
  {
    id: moveRouteControl,
    kind: 'control',
    label: 'Move a route to new',
    help: 'The whole route to its new service: 100 %, no shadow.',
    roles: [facadeRole],
    args: { route: routeArg },
  },
  {
    id: moveAllControl,
    kind: 'control',
    label: 'Move every route to new',
    help: 'Finish the migration: every route 100 % on new. Legacy retires after the quiet period.',
    roles: [facadeRole],
    args: {},
  },
  {
    id: buggyReleaseFault,
    kind: 'fault',
    label: 'Deploy a buggy release',
    help: 'The new service starts failing some calls and answering some wrongly.',
    roles: [newRole],
    args: {
      errorRatePct: {
        label: 'Error rate',
        default: 50,
        min: 0,
        max: 100,
        step: 5,
        unit: '%',
        help: 'Share of calls answered with an error (the facade sees these).',
      },
      wrongRatePct: {
        label: 'Wrong-answer rate',
        default: 0,
        min: 0,
        max: 100,
        step: 5,
        unit: '%',
        help: 'Share of the other calls answered with a wrong value (only a shadow comparison sees these).',
      },
    },
  },
  {
    id: fixReleaseControl,
    kind: 'control',
    label: 'Deploy the fix',
    help: 'A new release without the bug.',
    roles: [newRole],
    args: {},
  },
];

/** Applies a control at the facade; returns the state unchanged when nothing changed. */
export function applyControl(
  state: FacadeState,
  control: string,
  args: Readonly<Record<string, number>>,
  ctx: FacadeContext,
  isBaseline: boolean,
): FacadeState {
  if (control !== setRouteControl && control !== moveRouteControl && control !== moveAllControl) {
    return state;
  }
  if (isBaseline) return bigBang(state, ctx);
  if (control === moveAllControl) {
    let next = state;
    for (let route = 0; route < routeCount; route++) next = setRoute(next, route, 100, false, ctx);
    return next;
  }
  const route = routeFromArg(args.route ?? 1);
  if (route === null) return state;
  if (control === moveRouteControl) return setRoute(state, route, 100, false, ctx);
  const percent = Math.min(100, Math.max(0, Math.round(args.sharePct ?? 0)));
  return setRoute(state, route, percent, (args.shadow ?? 0) >= 1 && percent < 100, ctx);
}

/** One route to a new configuration; its error window starts afresh. */
function setRoute(
  state: FacadeState,
  route: number,
  percentNew: number,
  isShadow: boolean,
  ctx: FacadeContext,
): FacadeState {
  const durable = ctx.durable;
  const name = routeNames[route] ?? String(route);
  if (durable.legacy !== 'serving' && (percentNew < 100 || isShadow)) {
    ctx.annotate(`${name}: refused, legacy is retired and cannot take traffic again`);
    return state;
  }
  const old = durable.routes[route] as RouteConfig;
  const config: RouteConfig = {
    percentNew,
    isShadow,
    isRolledBack: false,
    rollbacks: old.rollbacks,
  };
  if (old.percentNew === percentNew && old.isShadow === isShadow && !old.isRolledBack) {
    return state;
  }
  ctx.persist({
    ...durable,
    routes: durable.routes.map((each, index) => (index === route ? config : each)),
  });
  ctx.annotate(`${name}: ${modeOf(old)} → ${describe(config)}`);
  return {
    ...state,
    stats: state.stats.map((each, index) => (index === route ? emptyStats : each)),
    lastRouteChangeUs: ctx.localTimeUs,
  };
}

/** The baseline: every route to new at once, no canary, no shadow, and no way back. */
function bigBang(state: FacadeState, ctx: FacadeContext): FacadeState {
  const durable = ctx.durable;
  if (durable.isCutOver) {
    ctx.annotate('big bang: already cut over, there is nothing left to switch');
    return state;
  }
  const all: RouteConfig = { percentNew: 100, isShadow: false, isRolledBack: false, rollbacks: 0 };
  ctx.persist({ ...durable, isCutOver: true, routes: durable.routes.map(() => all) });
  ctx.annotate('big-bang cutover: every route switches to its new service at once');
  return {
    ...state,
    stats: state.stats.map(() => emptyStats),
    lastRouteChangeUs: ctx.localTimeUs,
  };
}

function describe(config: RouteConfig): string {
  const mode = modeOf(config);
  return mode === 'canary' || mode === 'canary+shadow' ? `${mode} ${config.percentNew}%` : mode;
}
