import { uniform } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { type DependencyMessage, settingsOf } from './protocol.ts';

/**
 * The dependency: a server with a fixed number of workers and a bounded queue, so that a slow
 * dependency really is slow for everyone, and an overloaded one says so. Numbered notes [n]:
 *
 * [1] Each call takes 0.5–1.5 × the mean service time, times the current slowdown. Slowness is a
 *     speed: when it changes (a fault, the incident starting or ending), work in progress is
 *     rescaled to finish at the new speed, as when a noisy neighbour leaves the host.
 * [2] It does not know whether a caller is still waiting: a call the service already gave up on
 *     is still worked on. That wasted work is part of why a slow dependency stays slow.
 * [3] The scheduled incident is part of the workload: a batch job on the dependency's host from
 *     `incidentStartS` for `incidentLengthS` (on the dependency's own clock), slowing it by
 *     `incidentSlowdown`. The dependency keeps a timer for the next edge and re-reads the (live)
 *     parameters on every event.
 * [4] Errors are decided when a call finishes, at the error rate in force then.
 */

export interface DependencyJob {
  readonly callId: number;
  readonly caller: NodeId;
  /** Local time the work finishes at the current speed. */
  readonly endUs: number;
}

export interface WaitingCall {
  readonly callId: number;
  readonly caller: NodeId;
}

export interface DependencyState {
  /** The "Make slow" fault's factor (1: none). */
  readonly slowFactor: number;
  /** The "Return errors" fault's rate, 0–1. */
  readonly errorRate: number;
  /** The scheduled incident's window on the local clock as last computed ([3]). */
  readonly incidentStartUs: number;
  readonly incidentEndUs: number;
  readonly isIncident: boolean;
  /** The slowdown work in progress runs at ([1]). */
  readonly speedFactor: number;
  /** Work in progress by worker slot. */
  readonly slots: readonly (DependencyJob | null)[];
  readonly queue: readonly WaitingCall[];
  /** Limits as the parameters stood at the last event (for the summary). */
  readonly concurrency: number;
  readonly queueMax: number;
  /** Calls that reached it since it started, and how they ended. */
  readonly received: number;
  readonly replied: number;
  readonly errors: number;
  readonly overloaded: number;
}

type Context = NodeContext<DependencyMessage, null>;

const incidentTimer = 'incident';
const workPrefix = 'work-';
/** Timer names per slot, built once (`work-2` is then one string, not a new one per call). */
const workTimerNames: string[] = [];

function workTimerOf(slot: number): string {
  return (workTimerNames[slot] ??= `${workPrefix}${slot}`);
}

export const dependencyBehaviour: Behaviour<DependencyState, DependencyMessage, null> = {
  initialDurable(): null {
    return null;
  },

  init(ctx: Context): DependencyState {
    const fresh: DependencyState = {
      slowFactor: 1,
      errorRate: 0,
      incidentStartUs: -2,
      incidentEndUs: -2,
      isIncident: false,
      speedFactor: 1,
      slots: [],
      queue: [],
      concurrency: 0,
      queueMax: 0,
      received: 0,
      replied: 0,
      errors: 0,
      overloaded: 0,
    };
    return refresh(fresh, ctx);
  },

  receive(state: DependencyState, event: NodeEvent<DependencyMessage>, ctx: Context) {
    const current = refresh(state, ctx);
    switch (event.kind) {
      case 'message':
        return event.message.type === 'Call'
          ? onCall(current, event.from, event.message.callId, ctx)
          : current;
      case 'timer':
        if (event.name.startsWith(workPrefix)) {
          return onWorkDone(current, Number(event.name.slice(workPrefix.length)), ctx);
        }
        // A clock change can make the edge timer fire a hair early: arm it again.
        if (event.name === incidentTimer) armIncidentTimer(current, ctx);
        return current;
      case 'fault':
        return onFault(current, event.fault, event.args, ctx);
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: DependencyState): NodeSummary {
    let busy = 0;
    for (const job of state.slots) if (job !== null) busy++;
    let badge = `${busy}/${state.concurrency} busy · q ${state.queue.length}`;
    if (state.speedFactor > 1) badge += ` · ×${state.speedFactor}`;
    if (state.errorRate > 0) badge += ` · ${Math.round(state.errorRate * 100)}% errors`;
    const label = state.speedFactor > 1 ? 'slow' : state.errorRate > 0 ? 'erroring' : 'healthy';
    const isFull = state.queueMax > 0 && state.queue.length >= state.queueMax;
    return {
      label,
      badge,
      health: isFull ? 'bad' : label === 'healthy' ? 'ok' : 'warn',
    };
  },
};

/** Whether the dependency works normally: no slowdown, no errors (the incident included). */
export function isHealthy(state: DependencyState): boolean {
  return state.speedFactor <= 1 && state.errorRate === 0;
}

/** [3] Re-reads the live parameters: limits, the incident window and its timer, the speed. */
function refresh(state: DependencyState, ctx: Context): DependencyState {
  const settings = settingsOf(ctx.params);
  const { incidentStartUs: startUs, incidentEndUs: endUs } = settings;
  const nowUs = ctx.localTimeUs;
  const isIncident = startUs >= 0 && nowUs >= startUs && nowUs < endUs;
  const concurrency = settings.dependencyConcurrency;
  const queueMax = settings.dependencyQueueMax;
  const isSame =
    startUs === state.incidentStartUs &&
    endUs === state.incidentEndUs &&
    isIncident === state.isIncident &&
    concurrency === state.concurrency &&
    queueMax === state.queueMax &&
    speedOf(state.slowFactor, isIncident, ctx) === state.speedFactor;
  if (isSame) return state;
  if (isIncident !== state.isIncident) {
    const slowdown = settings.incidentSlowdown;
    ctx.annotate(isIncident ? `incident starts: ${slowdown}× slower` : 'incident over');
  }
  const next = {
    ...state,
    incidentStartUs: startUs,
    incidentEndUs: endUs,
    isIncident,
    concurrency,
    queueMax,
  };
  armIncidentTimer(next, ctx);
  return withSpeed(next, speedOf(next.slowFactor, isIncident, ctx), ctx);
}

/** The timer for the incident's next edge, if one is ahead. */
function armIncidentTimer(state: DependencyState, ctx: Context): void {
  const nowUs = ctx.localTimeUs;
  const { incidentStartUs: startUs, incidentEndUs: endUs } = state;
  const edgeUs = startUs < 0 ? -1 : nowUs < startUs ? startUs : nowUs < endUs ? endUs : -1;
  if (edgeUs < 0) ctx.cancelTimer(incidentTimer);
  else ctx.setTimer(incidentTimer, edgeUs - nowUs);
}

/** The slowdown from the fault and, while it lasts, the incident. */
function speedOf(slowFactor: number, isIncident: boolean, ctx: Context): number {
  return slowFactor * (isIncident ? Math.max(1, settingsOf(ctx.params).incidentSlowdown) : 1);
}

/** [1] Sets a new speed factor, moving the finish time of every call in progress. */
function withSpeed(state: DependencyState, factor: number, ctx: Context): DependencyState {
  if (factor === state.speedFactor) return state;
  const nowUs = ctx.localTimeUs;
  const slots = state.slots.map((job, slot) => {
    if (job === null) return null;
    const remainingUs = Math.max(0, job.endUs - nowUs);
    const rescaledUs = Math.max(1, Math.round((remainingUs * factor) / state.speedFactor));
    ctx.setTimer(workTimerOf(slot), rescaledUs);
    return { ...job, endUs: nowUs + rescaledUs };
  });
  return { ...state, slots, speedFactor: factor };
}

function onCall(state: DependencyState, caller: NodeId, callId: number, ctx: Context) {
  const received = state.received + 1;
  const slot = freeSlot(state.slots, state.concurrency);
  if (slot !== null) {
    const slots = startJob(state.slots, slot, { callId, caller }, state.speedFactor, ctx);
    return { ...state, slots, received };
  }
  if (state.queue.length < state.queueMax) {
    return { ...state, received, queue: [...state.queue, { callId, caller }] };
  }
  ctx.send(caller, { type: 'Error', callId, reason: 'overloaded' });
  return { ...state, received, overloaded: state.overloaded + 1 };
}

/** A free worker slot below the current concurrency, or null. */
function freeSlot(slots: DependencyState['slots'], concurrency: number): number | null {
  for (let slot = 0; slot < concurrency; slot++) {
    if ((slots[slot] ?? null) === null) return slot;
  }
  return null;
}

/** Starts work on a call in `slot`: the slots with it taken on. */
function startJob(
  slots: DependencyState['slots'],
  slot: number,
  call: WaitingCall,
  speedFactor: number,
  ctx: Context,
): DependencyState['slots'] {
  const meanUs = settingsOf(ctx.params).dependencyServiceUs;
  const workUs = Math.max(1, Math.round(uniform(ctx.random, 0.5, 1.5) * meanUs * speedFactor));
  ctx.setTimer(workTimerOf(slot), workUs);
  const next = slots.slice();
  while (next.length <= slot) next.push(null);
  next[slot] = { callId: call.callId, caller: call.caller, endUs: ctx.localTimeUs + workUs };
  return next;
}

/** [2][4] A call is done: answer it (its caller may have given up long ago), start the next. */
function onWorkDone(state: DependencyState, slot: number, ctx: Context): DependencyState {
  const job = state.slots[slot] ?? null;
  if (job === null) return state;
  const isError = state.errorRate > 0 && ctx.random.chance(state.errorRate);
  if (isError) ctx.send(job.caller, { type: 'Error', callId: job.callId, reason: 'error' });
  else ctx.send(job.caller, { type: 'Reply', callId: job.callId });
  const freed = state.slots.slice();
  freed[slot] = null;
  let slots: DependencyState['slots'] = freed;
  // Fill every free slot (the concurrency may have grown since the last call finished).
  const queue = state.queue;
  let started = 0;
  for (
    let free = freeSlot(slots, state.concurrency);
    free !== null && started < queue.length;
    free = freeSlot(slots, state.concurrency)
  ) {
    slots = startJob(slots, free, queue[started] as WaitingCall, state.speedFactor, ctx);
    started++;
  }
  return {
    ...state,
    slots,
    queue: started === 0 ? queue : queue.slice(started),
    replied: state.replied + (isError ? 0 : 1),
    errors: state.errors + (isError ? 1 : 0),
  };
}

function onFault(
  state: DependencyState,
  fault: string,
  args: Readonly<Record<string, number>>,
  ctx: Context,
): DependencyState {
  switch (fault) {
    case 'slow': {
      const factor = Math.max(1, args.factor ?? 10);
      ctx.annotate(`made ${factor}× slower`);
      const next = { ...state, slowFactor: factor };
      return withSpeed(next, speedOf(factor, state.isIncident, ctx), ctx);
    }
    case 'errors': {
      const rate = Math.min(1, Math.max(0, (args.ratePercent ?? 50) / 100));
      ctx.annotate(`returns errors on ${Math.round(rate * 100)}% of calls`);
      return { ...state, errorRate: rate };
    }
    case 'recover': {
      ctx.annotate('recovered: normal speed, no errors');
      const next = { ...state, slowFactor: 1, errorRate: 0 };
      return withSpeed(next, speedOf(1, state.isIncident, ctx), ctx);
    }
    default:
      return state;
  }
}
