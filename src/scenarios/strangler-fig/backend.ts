import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  answerOf,
  buggyReleaseFault,
  fixReleaseControl,
  type BackendMessage,
  type CallMessage,
  newServiceId,
  paramOf,
  routeCount,
  serviceTimeUs,
  type ShadowCallMessage,
} from './protocol.ts';
import { armPlanTimer, planTimer, releasePlan } from './storyline.ts';

/**
 * The two kinds of back end. Both answer a call after a service time with the deterministic
 * answer to (route, key) [1]. A new service runs a release that may be buggy [2]; the legacy
 * monolith can be retired, after which it is switched off for good [3]. Notes at the end.
 */

/** A reply waiting for its service time to pass (timer data). */
interface PendingReply {
  readonly to: NodeId;
  readonly isShadow: boolean;
  readonly callId: number;
  readonly isError: boolean;
  readonly value: number | null;
}

// ---- New services ----------------------------------------------------------------------------

/** The deployed release, kept on disk: a restart runs the same release [2]. */
export interface ServiceDurable {
  readonly release: number;
  readonly errorRatePct: number;
  readonly wrongRatePct: number;
  /** Releases of the storyline's schedule deployed so far (storyline.ts) [4]. */
  readonly planDone: number;
}

export interface ServiceState {
  readonly served: number;
  readonly shadowServed: number;
  readonly errors: number;
  readonly wrongAnswers: number;
}

type ServiceContext = NodeContext<BackendMessage, ServiceDurable>;

/** Whether a release misbehaves at all. */
export function isBuggy(release: ServiceDurable): boolean {
  return release.errorRatePct > 0 || release.wrongRatePct > 0;
}

export { buggyReleaseFault, fixReleaseControl } from './protocol.ts';

export const newServiceBehaviour: Behaviour<ServiceState, BackendMessage, ServiceDurable> = {
  initialDurable(): ServiceDurable {
    return { release: 1, errorRatePct: 0, wrongRatePct: 0, planDone: 0 };
  },

  init(ctx: ServiceContext): ServiceState {
    armPlanTimer(releasePlan(ctx.params, routeOfService(ctx)), ctx.durable.planDone, ctx);
    return { served: 0, shadowServed: 0, errors: 0, wrongAnswers: 0 };
  },

  receive(state: ServiceState, event: NodeEvent<BackendMessage>, ctx: ServiceContext) {
    switch (event.kind) {
      case 'message': {
        const message = event.message;
        if (message.type !== 'Call' && message.type !== 'ShadowCall') return state;
        return serveNew(state, event.from, message, ctx);
      }
      case 'timer':
        if (event.name === planTimer) nextRelease(ctx);
        else sendReply(event.data as PendingReply, ctx);
        return state;
      case 'fault':
        stopReleasePlan(ctx);
        deploy(event.fault, event.args, ctx);
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ServiceState, durable: ServiceDurable): NodeSummary {
    const buggy = isBuggy(durable);
    return {
      label: buggy ? 'buggy' : 'new',
      badge: `release ${durable.release} · ${state.served + state.shadowServed} calls`,
      health: buggy ? 'bad' : 'ok',
    };
  },
};

/** [2] A release is a draw per call: an error, a wrong answer, or the right answer. */
function serveNew(
  state: ServiceState,
  from: NodeId,
  call: CallMessage | ShadowCallMessage,
  ctx: ServiceContext,
): ServiceState {
  const release = ctx.durable;
  const correct = answerOf(call.route, call.key);
  const roll = ctx.random.int(100);
  const isError = roll < release.errorRatePct;
  const isWrong = !isError && ctx.random.int(100) < release.wrongRatePct;
  // A wrong answer is off by a few cents: plausible, and only a comparison can catch it.
  const value = isError ? null : isWrong ? correct + 1 + ctx.random.int(50) : correct;
  const isShadow = call.type === 'ShadowCall';
  schedule({ to: from, isShadow, callId: call.callId, isError, value }, 'newServiceMs', ctx);
  return {
    served: state.served + (isShadow ? 0 : 1),
    shadowServed: state.shadowServed + (isShadow ? 1 : 0),
    errors: state.errors + (isError ? 1 : 0),
    wrongAnswers: state.wrongAnswers + (isWrong ? 1 : 0),
  };
}

function deploy(fault: string, args: Readonly<Record<string, number>>, ctx: ServiceContext): void {
  const release = ctx.durable.release + 1;
  const planDone = ctx.durable.planDone;
  if (fault === buggyReleaseFault) {
    const errorRatePct = clampPct(args.errorRatePct ?? 50);
    const wrongRatePct = clampPct(args.wrongRatePct ?? 0);
    ctx.persist({ release, errorRatePct, wrongRatePct, planDone });
    ctx.annotate(
      `release ${release} deployed: ${errorRatePct}% errors, ${wrongRatePct}% wrong answers`,
    );
  } else if (fault === fixReleaseControl) {
    ctx.persist({ release, errorRatePct: 0, wrongRatePct: 0, planDone });
    ctx.annotate(`release ${release} deployed: the fix`);
  }
}

/** The route a new service implements, from its id (`new-orders` is route 1). */
function routeOfService(ctx: ServiceContext): number {
  for (let route = 0; route < routeCount; route++)
    if (newServiceId(route) === ctx.self) return route;
  return -1;
}

/** [4] The storyline's next release, deployed as the operator's fault or control would be. */
function nextRelease(ctx: ServiceContext): void {
  const plan = releasePlan(ctx.params, routeOfService(ctx));
  const step = plan[ctx.durable.planDone];
  if (step === undefined) return;
  deploy(step.action, step.args, ctx);
  ctx.persist({ ...ctx.durable, planDone: ctx.durable.planDone + 1 });
  armPlanTimer(plan, ctx.durable.planDone, ctx);
}

/** [4] An operator's deployment supersedes the scheduled ones: they are dropped. */
function stopReleasePlan(ctx: ServiceContext): void {
  const plan = releasePlan(ctx.params, routeOfService(ctx));
  if (ctx.durable.planDone >= plan.length) return;
  ctx.persist({ ...ctx.durable, planDone: plan.length });
  ctx.cancelTimer(planTimer);
  ctx.annotate('an operator deployed a release: the scheduled releases are dropped');
}

function clampPct(value: number): number {
  return Math.min(100, Math.max(0, Math.round(value)));
}

// ---- The legacy monolith ---------------------------------------------------------------------

/** [3] Retirement is on disk: a retired monolith that is restarted stays switched off. */
export interface LegacyDurable {
  readonly isRetired: boolean;
}

export interface LegacyState {
  readonly served: number;
  /** Calls that reached it after it retired (none should: nothing routes to it). */
  readonly callsAfterRetire: number;
}

type LegacyContext = NodeContext<BackendMessage, LegacyDurable>;

export const legacyBehaviour: Behaviour<LegacyState, BackendMessage, LegacyDurable> = {
  initialDurable(): LegacyDurable {
    return { isRetired: false };
  },

  init(): LegacyState {
    return { served: 0, callsAfterRetire: 0 };
  },

  receive(state: LegacyState, event: NodeEvent<BackendMessage>, ctx: LegacyContext) {
    switch (event.kind) {
      case 'message':
        return onLegacyMessage(state, event.from, event.message, ctx);
      case 'timer':
        // A reply whose service time passed; a monolith retired meanwhile no longer answers.
        if (!ctx.durable.isRetired) sendReply(event.data as PendingReply, ctx);
        return state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: LegacyState, durable: LegacyDurable): NodeSummary {
    if (durable.isRetired) return { label: 'retired', badge: 'switched off', health: 'ok' };
    return { label: 'legacy', badge: `${state.served} calls`, health: 'ok' };
  },
};

function onLegacyMessage(
  state: LegacyState,
  from: NodeId,
  message: BackendMessage,
  ctx: LegacyContext,
): LegacyState {
  switch (message.type) {
    case 'Retire':
      // [3] Idempotent: every Retire is acknowledged, so a lost ack is repaired by a resend.
      if (!ctx.durable.isRetired) {
        ctx.persist({ isRetired: true });
        ctx.annotate('legacy monolith retired: switched off for good');
      }
      ctx.send(from, { type: 'RetireAck' });
      return state;
    case 'Call':
    case 'ShadowCall': {
      if (ctx.durable.isRetired) return { ...state, callsAfterRetire: state.callsAfterRetire + 1 };
      const value = answerOf(message.route, message.key);
      const isShadow = message.type === 'ShadowCall';
      const reply = { to: from, isShadow, callId: message.callId, isError: false, value };
      schedule(reply, 'legacyServiceMs', ctx);
      // A whole literal rather than a spread: V8 11 (Node 20) copies a spread several times slower.
      return { served: state.served + 1, callsAfterRetire: state.callsAfterRetire };
    }
    case 'Reply':
    case 'ShadowReply':
    case 'RetireAck':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

// ---- Shared -------------------------------------------------------------------------------

/** [1] The answer leaves after the service time: one timer per call, named after it. */
function schedule(
  reply: PendingReply,
  meanParam: 'newServiceMs' | 'legacyServiceMs',
  ctx: NodeContext<BackendMessage>,
): void {
  const name = `${reply.isShadow ? 'shadow' : 'call'}:${reply.to}:${reply.callId}`;
  ctx.setTimer(name, serviceTimeUs(ctx, paramOf(ctx, meanParam)), reply);
}

function sendReply(reply: PendingReply, ctx: NodeContext<BackendMessage>): void {
  const { callId, isError, value } = reply;
  const producer = ctx.self;
  ctx.send(
    reply.to,
    reply.isShadow
      ? { type: 'ShadowReply', callId, isError, value, producer }
      : { type: 'Reply', callId, isError, value, producer },
  );
}

/*
 * Notes
 *
 * [1] Deterministic answers. The answer to (route, key) is a fixed function of the request, as
 *     the price of item k would be, so two correct implementations always agree and a shadow
 *     comparison needs no tolerance. A back end has no queue: each call takes an independent
 *     service time, so a slow back end is slow, never overloaded. A crash loses the pending
 *     timers, so calls in service at that moment are never answered: the facade times them out.
 *
 * [2] Releases. A deployment replaces the release on disk (a restart runs the same one). A
 *     buggy release fails each call with probability errorRatePct (it answers with an error,
 *     which the facade can see) or, otherwise, answers wrongly with probability wrongRatePct
 *     (which the facade cannot see on its own: only a shadow comparison with legacy catches it).
 *     The fix is another release with neither.
 *
 * [4] The storyline's releases. With the migration plan on (storyline.ts), the orders service
 *     deploys a buggy release and later its fix on its own timer, through the same `deploy` as
 *     the fault and the control. The count of planned releases deployed is on disk with the
 *     release, so a restart neither skips nor repeats one. An operator's deployment supersedes
 *     the schedule: the remaining planned releases are dropped.
 *
 * [3] Retirement. The monolith never retires on its own: the facade tells it to, once nothing
 *     has routed to it for a quiet period. It persists the decision before acknowledging, and
 *     from then on answers nothing, even after a restart. A call that still reached it (which
 *     the routing rules forbid) is counted, not answered.
 */
