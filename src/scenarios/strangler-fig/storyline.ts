import type { NodeContext } from '../../engine/types.ts';
import {
  buggyReleaseFault,
  fixReleaseControl,
  moveAllControl,
  moveRouteControl,
  paramOf,
  setRouteControl,
  secondsParamUs,
} from './protocol.ts';

/**
 * The default run's storyline: a migration plan on a schedule, so that a newcomer who only
 * presses Play sees the pattern [1]. The facade carries out the operator's steps and the orders
 * service deploys its releases, each through its own timer and through the same code as the
 * controls and faults a person would use (`applyControl`, `deploy`). A person's control at the
 * facade (or the guided tour's) takes over and drops the facade's remaining steps; a person's
 * deployment to a service drops its planned releases. `planStartS` = 0 turns the storyline off:
 * no timer is set and the run is the operator-less run it always was.
 */

/** One scheduled action: a control or fault id with its arguments, at a time on the node's clock. */
export interface PlanStep {
  readonly atUs: number;
  readonly action: string;
  readonly args: Readonly<Record<string, number>>;
}

/** Routes in control arguments are 1-based (1 catalog, 2 orders, ...). */
const catalogArg = 1;
const ordersArg = 2;
/** The route whose new service gets the buggy release (0-based: orders). */
export const planBugRoute = 1;
const canaryPct = 25;

type Params = Readonly<Record<string, number>>;

export function isPlanOn(params: Params): boolean {
  return paramOf({ params }, 'planStartS') > 0;
}

function startUs(params: Params): number {
  return secondsParamUs({ params }, 'planStartS');
}

function stepUs(params: Params): number {
  return secondsParamUs({ params }, 'planStepS');
}

/**
 * [2] The facade's steps: shadow catalog, canary it, move it, canary orders (with shadow), and
 * move everything. The big-bang baseline has one step: its first control cuts every route over.
 */
export function facadePlan(params: Params, isBaseline: boolean): readonly PlanStep[] {
  if (!isPlanOn(params)) return [];
  const s = startUs(params);
  const d = stepUs(params);
  const steps: PlanStep[] = [
    { atUs: s, action: setRouteControl, args: { route: catalogArg, sharePct: 0, shadow: 1 } },
    {
      atUs: s + d,
      action: setRouteControl,
      args: { route: catalogArg, sharePct: canaryPct, shadow: 0 },
    },
    { atUs: s + 2 * d, action: moveRouteControl, args: { route: catalogArg } },
    {
      atUs: s + 3 * d,
      action: setRouteControl,
      args: { route: ordersArg, sharePct: canaryPct, shadow: 1 },
    },
    { atUs: s + 5 * d, action: moveAllControl, args: {} },
  ];
  return isBaseline ? steps.slice(0, 1) : steps;
}

/**
 * [3] The orders service's releases: a buggy one half a step before its canary, the fix half
 * a step before everything moves. `planBugErrorPct` = 0 plans no buggy release (and no fix).
 */
export function releasePlan(params: Params, route: number): readonly PlanStep[] {
  const errorRatePct = paramOf({ params }, 'planBugErrorPct');
  if (!isPlanOn(params) || route !== planBugRoute || errorRatePct <= 0) return [];
  const s = startUs(params);
  const d = stepUs(params);
  return [
    {
      atUs: s + 3 * d - d / 2,
      action: buggyReleaseFault,
      args: { errorRatePct, wrongRatePct: 0 },
    },
    { atUs: s + 5 * d - d / 2, action: fixReleaseControl, args: {} },
  ];
}

export const planTimer = 'plan';

/**
 * Arms the timer for the next step not yet done (`done` steps are, kept on disk). A step whose
 * time passed while the node was down runs at once.
 */
export function armPlanTimer(plan: readonly PlanStep[], done: number, ctx: NodeContext): void {
  const next = plan[done];
  if (next === undefined) return;
  ctx.setTimer(planTimer, Math.max(0, next.atUs - ctx.localTimeUs));
}

/*
 * Notes
 *
 * [1] Real migrations run on a plan like this one: each capability is shadowed (answers
 *     compared, never served), canaried to a sticky share of users, then moved; a release that
 *     fails in canary is rolled back by the facade; and the monolith is switched off once it
 *     has been idle for the quiet period after the last route moved. With the defaults (start
 *     2 s, step 3 s): catalog shadowed at 2 s, canaried at 5 s, moved at 8 s; the buggy orders
 *     release at 9.5 s; orders canaried (and shadowed) at 11 s and rolled back by the facade
 *     within about a second; the fix at 15.5 s; every route moved at 17 s; legacy retired about
 *     the quiet period later (~22 s). The baseline cuts everything over at 2 s, serves the
 *     buggy release to every orders user from 9.5 s to 15.5 s, and retires legacy at ~7 s.
 *
 * [2] The step count is kept on the facade's disk with the route table, so a restarted facade
 *     resumes the plan where it stopped instead of replaying (and undoing a rollback).
 *
 * [3] The release schedule belongs to the service (a deployment pipeline acts on the service,
 *     not through the facade), so both variants get the same releases at the same times.
 */
