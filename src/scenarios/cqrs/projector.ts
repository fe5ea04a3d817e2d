import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import type { DeliverMessage, SubscriptionMessage } from '../pub-sub/protocol.ts';
import { brokerId } from '../pub-sub/roster.ts';
import { type AppendLog, append, emptyLog, sliceOf } from './appendLog.ts';
import {
  type ChangesMessage,
  feedTopics,
  type FetchMessage,
  keyOfTopic,
  msParamUs,
} from './protocol.ts';
import { armSlowdown, slowdownFaultArgs, slowdownTimer } from './storyline.ts';

/**
 * The projector: the only subscriber of the change feed, with a durable subscription at the
 * broker. It takes the changes in log order, applies each one (taking `projectorDelayMs`) to its
 * projection log on disk, acknowledges it to the broker, and serves the query replicas' fetches
 * from that log. Numbered notes [n] are at the end of the file.
 */

/** Changes one Changes message carries at most. */
export const fetchBatchMax = 100;

/**
 * Durable: the broker session count, and the projection log: the key written at each position
 * 1…applied, exactly the write log's prefix (the safety invariant checks it).
 */
export interface ProjectorDurable {
  readonly session: number;
  /** A persistent append-only log (appendLog.ts): appending copies one chunk, not the log. */
  readonly keys: AppendLog<number>;
}

export interface ProjectorState {
  readonly pull: number;
  /** `waiting` for the broker's answer to `pull`, or `busy` applying `current`. */
  readonly phase: 'waiting' | 'busy';
  readonly current: {
    readonly publisher: NodeId;
    readonly seq: number;
    readonly key: number;
  } | null;
  /** [3] Fetches held until there is something new, by replica: the position it wants next. */
  readonly parked: Readonly<Record<NodeId, number>>;
  /** Apply time multiplier while the "slow projector" fault lasts. */
  readonly slowFactor: number;
}

type Message = SubscriptionMessage | FetchMessage | ChangesMessage;
type Context = NodeContext<Message, ProjectorDurable>;

const pullTimer = 'pull';
const applyTimer = 'apply';
const slowOverTimer = 'slow-over';

export const projectorBehaviour: Behaviour<ProjectorState, Message, ProjectorDurable> = {
  initialDurable(): ProjectorDurable {
    return { session: 0, keys: emptyLog() };
  },

  init(ctx: Context): ProjectorState {
    // [1] Every start is a new session with the broker; the subscription and its backlog wait.
    ctx.persist({ ...ctx.durable, session: ctx.durable.session + 1 });
    const state: ProjectorState = {
      pull: 1,
      phase: 'waiting',
      current: null,
      parked: {},
      slowFactor: 1,
    };
    sendPull(state, ctx);
    armSlowdown(ctx);
    return state;
  },

  receive(state: ProjectorState, event: NodeEvent<Message>, ctx: Context): ProjectorState {
    switch (event.kind) {
      case 'message':
        if (event.message.type === 'Deliver') return onDeliver(state, event.message, ctx);
        if (event.message.type === 'Fetch') return onFetch(state, event.from, event.message, ctx);
        return state;
      case 'timer':
        if (event.name === applyTimer) return onApplied(state, ctx);
        if (event.name === pullTimer && state.phase === 'waiting') return pullAgain(state, ctx);
        if (event.name === slowdownTimer) {
          return onFault(state, 'slow-projector', slowdownFaultArgs(ctx.params), ctx);
        }
        if (event.name === slowOverTimer) {
          return projectorState(state.pull, state.phase, state.current, state.parked, 1);
        }
        return state;
      case 'fault':
        return onFault(state, event.fault, event.args, ctx);
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ProjectorState, durable: ProjectorDurable): NodeSummary {
    return {
      label: state.slowFactor > 1 ? 'slowed' : state.phase === 'busy' ? 'applying' : 'projecting',
      badge: `applied ${durable.keys.length}`,
      health: state.slowFactor > 1 ? 'warn' : 'ok',
    };
  },
};

/** [2] Takes only the answer to its current pull; applies the next position, skips repeats. */
function onDeliver(state: ProjectorState, message: DeliverMessage, ctx: Context): ProjectorState {
  const isCurrent =
    state.phase === 'waiting' &&
    message.session === ctx.durable.session &&
    message.pull === state.pull;
  if (!isCurrent) return state;
  ctx.cancelTimer(pullTimer);
  const applied = ctx.durable.keys.length;
  if (message.seq <= applied) {
    // A redelivery of a change already applied (its ack was lost, or the projector crashed
    // between applying and acking): acknowledge it again, apply nothing.
    ack(message, ctx);
    return pullAgain(state, ctx);
  }
  const key = keyOfTopic(message.topic);
  if (message.seq !== applied + 1 || key === 0) {
    // Never happens with this broker configuration (no loss, per-publisher order): applying it
    // would break the prefix, so it is left unacknowledged for the broker to deliver again.
    ctx.annotate(`refuses change ${message.seq}: expected ${applied + 1}`);
    return pullAgain(state, ctx);
  }
  const delayUs = Math.round(msParamUs(ctx, 'projectorDelayMs') * state.slowFactor);
  ctx.setTimer(applyTimer, delayUs);
  const current = { publisher: message.publisher, seq: message.seq, key };
  return projectorState(state.pull, 'busy', current, state.parked, state.slowFactor);
}

/** [2] The change is applied: on disk, acknowledged, offered to waiting replicas. */
function onApplied(state: ProjectorState, ctx: Context): ProjectorState {
  const current = state.current;
  if (current === null) return state;
  const keys = append(ctx.durable.keys, current.key);
  ctx.persist({ session: ctx.durable.session, keys });
  ctx.send(brokerId, { type: 'Ack', publisher: current.publisher, seq: current.seq });
  // Answers every held fetch the new position satisfies; the rest stay held, in order.
  const stillHeld: Record<NodeId, number> = {};
  let isAnyServed = false;
  for (const replica in state.parked) {
    const from = state.parked[replica] as number;
    if (from <= keys.length) {
      sendChanges(replica, from, ctx);
      isAnyServed = true;
    } else {
      stillHeld[replica] = from;
    }
  }
  const parked = isAnyServed ? stillHeld : state.parked;
  const next = projectorState(state.pull, state.phase, null, parked, state.slowFactor);
  return pullAgain(next, ctx);
}

/** [3] A replica's fetch: answer now, or hold it until the log reaches `from`. */
function onFetch(
  state: ProjectorState,
  from: NodeId,
  message: FetchMessage,
  ctx: Context,
): ProjectorState {
  if (message.from <= ctx.durable.keys.length || !message.isWaiting) {
    sendChanges(from, message.from, ctx, message.max);
    if (state.parked[from] === undefined) return state;
    const parked = withoutKey(state.parked, from);
    return projectorState(state.pull, state.phase, state.current, parked, state.slowFactor);
  }
  const parked: Record<NodeId, number> = { ...state.parked };
  parked[from] = message.from;
  return projectorState(state.pull, state.phase, state.current, parked, state.slowFactor);
}

function sendChanges(replica: NodeId, from: number, ctx: Context, max = fetchBatchMax): void {
  const log = ctx.durable.keys;
  const count = Math.max(1, Math.min(fetchBatchMax, max));
  const keys = sliceOf(log, from - 1, from - 1 + count);
  ctx.send(replica, { type: 'Changes', from, keys, head: log.length });
}

function onFault(
  state: ProjectorState,
  fault: string,
  args: Readonly<Record<string, number>>,
  ctx: Context,
): ProjectorState {
  if (fault !== 'slow-projector') return state;
  const factor = Math.max(1, args.factor ?? 10);
  const durationUs = Math.round((args.durationMs ?? 10_000) * 1000);
  ctx.setTimer(slowOverTimer, durationUs);
  ctx.annotate(`applies ×${factor} slower for ${durationUs / 1000} ms`);
  return projectorState(state.pull, state.phase, state.current, state.parked, factor);
}

function ack(message: DeliverMessage, ctx: Context): void {
  ctx.send(brokerId, { type: 'Ack', publisher: message.publisher, seq: message.seq });
}

function pullAgain(state: ProjectorState, ctx: Context): ProjectorState {
  const next = projectorState(
    state.pull + 1,
    'waiting',
    state.current,
    state.parked,
    state.slowFactor,
  );
  sendPull(next, ctx);
  return next;
}

function sendPull(state: ProjectorState, ctx: Context): void {
  ctx.send(brokerId, {
    type: 'Pull',
    session: ctx.durable.session,
    pull: state.pull,
    topics: feedTopics(ctx.params),
    isDurable: true,
  });
  ctx.setTimer(pullTimer, pullWaitUs(ctx));
}

/**
 * [4] How long to wait on a pull: the pull timeout, but never less than the broker's ack timeout
 * plus a round trip, and with a little jitter.
 */
function pullWaitUs(ctx: Context): number {
  const roundTripUs = 3 * msParamUs(ctx, 'linkLatencyMs');
  const waitUs = Math.max(
    msParamUs(ctx, 'pullTimeoutMs'),
    msParamUs(ctx, 'ackTimeoutMs') + roundTripUs,
  );
  return waitUs + ctx.random.int(Math.max(1, Math.round(waitUs / 10)));
}

function withoutKey(record: Readonly<Record<NodeId, number>>, id: NodeId): Record<NodeId, number> {
  const rest: Record<NodeId, number> = {};
  for (const key in record) if (key !== id) rest[key] = record[key] as number;
  return rest;
}

/**
 * A whole literal, in one field order: V8 builds `{ ...state, field }` several times slower, and
 * the projector changes state on every event.
 */
function projectorState(
  pull: number,
  phase: ProjectorState['phase'],
  current: ProjectorState['current'],
  parked: ProjectorState['parked'],
  slowFactor: number,
): ProjectorState {
  return { pull, phase, current, parked, slowFactor };
}

/*
 * Notes
 *
 * [1] The durable subscription. The broker provisions the projector's subscription from its
 *     configuration (model.ts): it exists whether the projector is up or not, and every change
 *     published while the projector is down waits in it, on the broker's disk. A restarted
 *     projector opens a new session and resumes from its queue; nothing is lost.
 *
 * [2] Applying in order, exactly once. The broker delivers at least once and, for one publisher,
 *     first deliveries in sequence order (pub-sub broker.ts [5]); positions are sequence
 *     numbers. The projector applies a change only when it is the next position of its log, and
 *     acknowledges it only after applying it (on disk), so a crash between the two makes the
 *     broker deliver it again, and the repeat is recognised by its position and only acked.
 *
 * [3] Serving the replicas. The projection log is also what the query replicas fetch from: a
 *     long poll answered from the log at once when it holds changes from the position asked
 *     for, else held (one per replica) until the next change is applied. New replicas fetch from
 *     position 1, so the projection log keeps every change: it is the read side's replay source.
 *
 * [4] The pull wait. The broker answers a held pull with a message whose ack deadline has
 *     passed, at that deadline. If the projector gave up on its pull at the same moment (equal
 *     timeouts), the answer goes to the pull it just abandoned and is dropped, the message goes
 *     out for delivery again to the dead pull, and the two timers can stay in lockstep for ever:
 *     a livelock the chaos sweep found. Waiting longer than the ack timeout plus a round trip
 *     means a redelivery always finds the current pull held; the jitter keeps timers apart.
 */
