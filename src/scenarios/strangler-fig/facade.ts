import type {
  Behaviour,
  NodeContext,
  NodeEvent,
  NodeId,
  NodeSummary,
  Variant,
} from '../../engine/types.ts';
import {
  cohortOf,
  legacyId,
  newServiceId,
  type Outcome,
  msParamUs,
  type ReplyMessage,
  type RequestMessage,
  routeCount,
  routeNames,
  type ShadowReplyMessage,
  type StranglerMessage,
} from './protocol.ts';
import {
  emptyStats,
  type FacadeDurable,
  facadeSummary,
  initialFacadeDurable,
  isAllOnNew,
  isServedByNew,
  type RouteConfig,
  type RouteRow,
  routeRows,
  type RouteStats,
} from './routing.ts';
import { applyControl } from './controls.ts';
import { armPlanTimer, facadePlan, type PlanStep, planTimer } from './storyline.ts';
import { noteNewOutcome, refreshRows, settle } from './verdicts.ts';

/**
 * The strangler fig facade: a routing proxy in front of the legacy monolith and the new
 * services. Every request gets exactly one answer from it [1]; each route is sent to legacy or
 * new by its configuration, per user for a canary [2], optionally shadowed [4]; a failing new
 * service is rolled back automatically [3]; and once legacy carries no traffic it is retired
 * [5]. Numbered notes [n] are at the end of the file.
 */

/** A call the facade is waiting on: one that will answer a client, or a shadow copy. */
export type CallRecord =
  | {
      readonly kind: 'primary';
      readonly client: NodeId;
      readonly requestId: number;
      readonly route: number;
      readonly target: NodeId;
      readonly shadowCallId: number | null;
    }
  | { readonly kind: 'shadow'; readonly route: number; readonly target: NodeId };

/** One side of a shadow comparison: an answer, no answer (error/timeout), or still waiting. */
export type Side = number | null | 'pending';

export interface Comparison {
  readonly route: number;
  readonly legacy: Side;
  readonly shadow: Side;
}

export interface FacadeState {
  /** Next sequence number for answer and call ids (unique within a boot). */
  readonly nextSeq: number;
  readonly calls: ReadonlyMap<number, CallRecord>;
  /** Shadow comparisons waiting for one or both answers, by shadow call id. */
  readonly comparisons: ReadonlyMap<number, Comparison>;
  /** Recent request ids per client, to drop a duplicated request [1]. */
  readonly seen: ReadonlyMap<NodeId, readonly number[]>;
  readonly stats: readonly RouteStats[];
  /** The route table as the inspector shows it (refreshed on every change and periodically). */
  readonly routes: readonly RouteRow[];
  readonly lastLegacyCallUs: number;
  readonly lastRouteChangeUs: number;
  /** Calls sent to legacy after it was told to retire: the invariant demands zero. */
  readonly legacyCallsAfterRetire: number;
}

export type FacadeContext = NodeContext<StranglerMessage, FacadeDurable>;

const housekeepingTimer = 'housekeeping';
const housekeepingIntervalUs = 500_000;
const callIdsPerBoot = 10_000_000;
const seenPerClientMax = 64;
const comparisonsMax = 500;
const callsMax = 2000;

export const facadeHousekeepingUs = housekeepingIntervalUs;

/** The facade behaviour; the baseline is a big-bang facade (no canary, shadow or rollback). */
export function makeFacadeBehaviour(
  variant: Variant,
): Behaviour<FacadeState, StranglerMessage, FacadeDurable> {
  const isBaseline = variant === 'baseline';
  // The summary depends on the durable route table only, which changes rarely: remember the
  // last one (a pure function's memo, so replays and checkpoints are unaffected).
  let summarized: { durable: FacadeDurable; summary: NodeSummary } | null = null;
  return {
    initialDurable: initialFacadeDurable,

    init(ctx: FacadeContext): FacadeState {
      ctx.persist({ ...ctx.durable, boots: ctx.durable.boots + 1 });
      ctx.setTimer(housekeepingTimer, housekeepingIntervalUs);
      armPlanTimer(facadePlan(ctx.params, isBaseline), ctx.durable.planDone, ctx);
      const stats = routeNames.map(() => emptyStats);
      return {
        nextSeq: 1,
        calls: new Map(),
        comparisons: new Map(),
        seen: new Map(),
        stats,
        routes: routeRows(ctx.durable.routes, stats, ctx.localTimeUs, ctx.params),
        lastLegacyCallUs: ctx.localTimeUs,
        lastRouteChangeUs: ctx.localTimeUs,
        legacyCallsAfterRetire: 0,
      };
    },

    receive(state: FacadeState, event: NodeEvent<StranglerMessage>, ctx: FacadeContext) {
      switch (event.kind) {
        case 'message':
          return onMessage(state, event.from, event.message, ctx, isBaseline);
        case 'timer':
          if (event.name === housekeepingTimer) return housekeeping(state, ctx);
          if (event.name === planTimer) return nextPlanStep(state, ctx, isBaseline);
          return onCallTimeout(state, event.data as number, ctx, isBaseline);
        case 'fault': {
          stopPlan(facadePlan(ctx.params, isBaseline), ctx);
          const next = applyControl(state, event.fault, event.args, ctx, isBaseline);
          return next === state ? state : refreshRows(next, ctx);
        }
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(_state: FacadeState, durable: FacadeDurable): NodeSummary {
      if (summarized?.durable !== durable) {
        summarized = { durable, summary: facadeSummary(durable, isBaseline) };
      }
      return summarized.summary;
    },
  };
}

function onMessage(
  state: FacadeState,
  from: NodeId,
  message: StranglerMessage,
  ctx: FacadeContext,
  isBaseline: boolean,
): FacadeState {
  switch (message.type) {
    case 'Request':
      return onRequest(state, from, message, ctx);
    case 'Reply':
      return onReply(state, message, ctx, isBaseline);
    case 'ShadowReply':
      return onShadowReply(state, message, ctx, isBaseline);
    case 'RetireAck':
      if (ctx.durable.legacy === 'retiring') {
        ctx.persist({ ...ctx.durable, legacy: 'retired' });
        ctx.annotate('legacy confirmed retired: the migration is complete');
        return { ...state };
      }
      return state;
    case 'Response':
    case 'Call':
    case 'ShadowCall':
    case 'Retire':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/**
 * [6] The migration plan's next step, through the operator's own code path; the step count
 * goes to disk with the route table so that a restart resumes the plan.
 */
function nextPlanStep(state: FacadeState, ctx: FacadeContext, isBaseline: boolean): FacadeState {
  const plan = facadePlan(ctx.params, isBaseline);
  const step = plan[ctx.durable.planDone];
  if (step === undefined) return state;
  ctx.annotate(`migration plan, step ${ctx.durable.planDone + 1} of ${plan.length}`);
  const next = applyControl(state, step.action, step.args, ctx, isBaseline);
  ctx.persist({ ...ctx.durable, planDone: ctx.durable.planDone + 1 });
  armPlanTimer(plan, ctx.durable.planDone, ctx);
  return next === state ? state : refreshRows(next, ctx);
}

/** [6] An operator's control takes over from the plan: its remaining steps are dropped. */
function stopPlan(plan: readonly PlanStep[], ctx: FacadeContext): void {
  if (ctx.durable.planDone >= plan.length) return;
  ctx.persist({ ...ctx.durable, planDone: plan.length });
  ctx.cancelTimer(planTimer);
  ctx.annotate('an operator took over: the migration plan stops here');
}

/** [1] [2] [4] Routes one request: one call that will answer it, maybe one shadow copy. */
function onRequest(
  state: FacadeState,
  client: NodeId,
  request: RequestMessage,
  ctx: FacadeContext,
): FacadeState {
  const route = request.route;
  if (!Number.isInteger(route) || route < 0 || route >= routeCount) return state;
  const recent = state.seen.get(client) ?? [];
  if (recent.includes(request.requestId) || state.calls.size >= callsMax) return state;
  const seen = new Map(state.seen).set(client, withSeen(recent, request.requestId));
  const config = ctx.durable.routes[route] as RouteConfig;
  const isLegacyServing = ctx.durable.legacy === 'serving';
  const toNew = !isLegacyServing || isServedByNew(config, cohortOf(request.userId));
  const target = toNew ? newServiceId(route) : legacyId;
  const boots = ctx.durable.boots;
  const callId = boots * callIdsPerBoot + state.nextSeq;
  const calls = new Map(state.calls);
  let comparisons = state.comparisons;
  let shadowCallId: number | null = null;
  ctx.send(target, { type: 'Call', callId, route, key: request.key });
  ctx.setTimer(`call:${callId}`, msParamUs(ctx, 'callTimeoutMs'), callId);
  if (!toNew && config.isShadow && comparisons.size < comparisonsMax) {
    shadowCallId = callId + 1;
    const shadowTarget = newServiceId(route);
    ctx.send(shadowTarget, { type: 'ShadowCall', callId: shadowCallId, route, key: request.key });
    ctx.setTimer(`call:${shadowCallId}`, msParamUs(ctx, 'callTimeoutMs'), shadowCallId);
    calls.set(shadowCallId, { kind: 'shadow', route, target: shadowTarget });
    comparisons = new Map(comparisons).set(shadowCallId, {
      route,
      legacy: 'pending',
      shadow: 'pending',
    });
  }
  calls.set(callId, {
    kind: 'primary',
    client,
    requestId: request.requestId,
    route,
    target,
    shadowCallId,
  });
  const isLegacyCall = target === legacyId;
  // Whole literals on the request path (here and in `onReply`): V8 11 (Node 20) copies an
  // object spread several times slower, and these run for every request.
  return {
    nextSeq: state.nextSeq + (shadowCallId === null ? 1 : 2),
    calls,
    comparisons,
    seen,
    stats: state.stats,
    routes: state.routes,
    lastLegacyCallUs: isLegacyCall ? ctx.localTimeUs : state.lastLegacyCallUs,
    lastRouteChangeUs: state.lastRouteChangeUs,
    legacyCallsAfterRetire:
      state.legacyCallsAfterRetire + (isLegacyCall && !isLegacyServing ? 1 : 0),
  };
}

/** The last `seenPerClientMax` request ids of a client, newest last. */
function withSeen(recent: readonly number[], requestId: number): readonly number[] {
  const kept =
    recent.length < seenPerClientMax ? recent.slice() : recent.slice(1 - seenPerClientMax);
  kept.push(requestId);
  return kept;
}

/** [1] The served answer: passed on to the client, tagged with who produced it. */
function onReply(
  state: FacadeState,
  reply: ReplyMessage,
  ctx: FacadeContext,
  isBaseline: boolean,
): FacadeState {
  const record = state.calls.get(reply.callId);
  // Unknown: it timed out (the client already has its answer) or belongs to an earlier boot.
  if (record?.kind !== 'primary' || record.target !== reply.producer) return state;
  ctx.cancelTimer(`call:${reply.callId}`);
  const outcome: Outcome = reply.isError ? 'error' : 'ok';
  answer(ctx, state, record, outcome, reply.value, reply.producer);
  const calls = new Map(state.calls);
  calls.delete(reply.callId);
  let next: FacadeState = {
    nextSeq: state.nextSeq + 1,
    calls,
    comparisons: state.comparisons,
    seen: state.seen,
    stats: state.stats,
    routes: state.routes,
    lastLegacyCallUs: state.lastLegacyCallUs,
    lastRouteChangeUs: state.lastRouteChangeUs,
    legacyCallsAfterRetire: state.legacyCallsAfterRetire,
  };
  if (record.target !== legacyId) {
    next = noteNewOutcome(next, record.route, reply.isError, ctx, isBaseline);
  }
  if (record.shadowCallId !== null) {
    next = settle(next, record.shadowCallId, 'legacy', reply.isError ? null : reply.value, ctx);
  }
  return next;
}

/** [4] A shadow answer: compared with legacy's, counted for the error window, never served. */
function onShadowReply(
  state: FacadeState,
  reply: ShadowReplyMessage,
  ctx: FacadeContext,
  isBaseline: boolean,
): FacadeState {
  const record = state.calls.get(reply.callId);
  if (record?.kind !== 'shadow' || record.target !== reply.producer) return state;
  ctx.cancelTimer(`call:${reply.callId}`);
  const calls = new Map(state.calls);
  calls.delete(reply.callId);
  const next = noteNewOutcome({ ...state, calls }, record.route, reply.isError, ctx, isBaseline);
  return settle(next, reply.callId, 'shadow', reply.isError ? null : reply.value, ctx);
}

/** [1] No answer in time: the client gets a timeout from the facade, once. */
function onCallTimeout(
  state: FacadeState,
  callId: number,
  ctx: FacadeContext,
  isBaseline: boolean,
): FacadeState {
  const record = state.calls.get(callId);
  if (record === undefined) return state;
  const calls = new Map(state.calls);
  calls.delete(callId);
  let next: FacadeState = { ...state, calls };
  if (record.kind === 'primary') {
    answer(ctx, state, record, 'timeout', null, ctx.self);
    next = { ...next, nextSeq: next.nextSeq + 1 };
    if (record.shadowCallId !== null) next = settle(next, record.shadowCallId, 'legacy', null, ctx);
  } else {
    next = settle(next, callId, 'shadow', null, ctx);
  }
  if (record.target === legacyId) return next;
  return noteNewOutcome(next, record.route, true, ctx, isBaseline);
}

function answer(
  ctx: FacadeContext,
  state: FacadeState,
  record: Extract<CallRecord, { kind: 'primary' }>,
  outcome: Outcome,
  value: number | null,
  producer: NodeId,
): void {
  ctx.send(record.client, {
    type: 'Response',
    requestId: record.requestId,
    answerId: `${ctx.durable.boots}.${state.nextSeq}`,
    outcome,
    value,
    producer,
    isShadow: false,
  });
}

/** [5] Periodic: retire an idle legacy, repeat an unacknowledged Retire, refresh the table. */
function housekeeping(state: FacadeState, ctx: FacadeContext): FacadeState {
  ctx.setTimer(housekeepingTimer, housekeepingIntervalUs);
  const durable = ctx.durable;
  if (durable.legacy === 'retiring') ctx.send(legacyId, { type: 'Retire' });
  if (durable.legacy === 'serving' && isLegacyIdle(state, ctx)) {
    ctx.persist({ ...durable, legacy: 'retiring' });
    ctx.annotate(
      `legacy has had no traffic for ${msParamUs(ctx, 'retireQuietS') / 1000} s with every route on new: retiring it`,
    );
    ctx.send(legacyId, { type: 'Retire' });
  }
  return refreshRows(state, ctx);
}

function isLegacyIdle(state: FacadeState, ctx: FacadeContext): boolean {
  if (!isAllOnNew(ctx.durable.routes)) return false;
  for (const record of state.calls.values()) if (record.target === legacyId) return false;
  const quietUs = msParamUs(ctx, 'retireQuietS') * 1000;
  const now = ctx.localTimeUs;
  return now - state.lastLegacyCallUs >= quietUs && now - state.lastRouteChangeUs >= quietUs;
}

/*
 * Notes
 *
 * [1] Exactly one answer. A request becomes exactly one "primary" call; whichever comes first,
 *     its reply or its timeout, answers the client and removes the call, so the other finds
 *     nothing and does nothing. The answer is tagged with the node that produced it (the
 *     facade itself for a timeout) and gets an id unique to this facade boot, so the client side
 *     can tell a network duplicate of one answer from a second answer. A request the network
 *     duplicated is recognised by its id and dropped. The clients never retry, so a facade
 *     crash simply costs the requests in flight: they time out at the client, unanswered, and
 *     still never get two answers.
 *
 * [2] Canary by user. A route at p % sends a user to the new service when the user's bucket
 *     (a hash of the user id, 0–99) is below p. The split is sticky: the same users are in the
 *     canary on every request, so a bad release hurts a fixed p % of users rather than
 *     everyone a little, and raising p only adds users.
 *
 * [3] Automatic rollback. Every answer from a new service (served or shadow) and every timeout
 *     of one goes into the route's window (the last rollbackWindowMs of the facade's clock).
 *     When the window holds at least rollbackMinCalls calls and failures make up at least
 *     rollbackThresholdPct of them, the route goes back to legacy (0 %, no shadow), the rollback
 *     is written to disk, annotated and counted. It stays there until the operator moves it
 *     again, which starts a fresh window. Wrong answers are not failures here: the facade
 *     cannot see them, except by shadow comparison [4].
 *
 * [4] Shadow mode. A request served by legacy on a shadowed route is also sent to the new
 *     service as a ShadowCall. The client always gets legacy's answer; the shadow answer is
 *     compared with it when both are in and a difference is counted as a mismatch. Errors and
 *     timeouts of shadow calls count towards the rollback window (a rollback also ends the
 *     shadowing); mismatches do not trigger anything on their own: they are for the operator.
 *
 * [5] Retirement. When every route is fully on new with no shadow, no call to legacy is
 *     outstanding and none has been sent for retireQuietS (and no route changed for as long),
 *     the facade decides to retire legacy. The decision is durable and final: from then on no
 *     route may use legacy, so rollbacks and controls that would need it are refused. It sends
 *     Retire until the monolith acknowledges.
 *
 * [6] The storyline. With `planStartS` > 0 the facade carries out a scheduled migration plan
 *     (storyline.ts) on its own timer: each step is applied exactly as the operator's control
 *     would be, so shadowing, canaries, rollbacks and retirement follow the same rules. A step
 *     that would undo a rollback never comes: the plan's next step for that route is the final
 *     move, after the fix. An operator's control (a person, or the guided tour) takes over, as
 *     with a rollout tool that is paused by hand: the plan's remaining steps are dropped, so the
 *     plan never undoes what a person chose.
 */
