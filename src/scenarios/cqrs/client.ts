import { exponential } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  balancerRole,
  type ClientMessage,
  commandRole,
  boundedCount,
  paramOf,
  type ReadReplyMessage,
  serviceId,
  msParamUs,
} from './protocol.ts';

/**
 * The workload, the same in both variants: each client starts operations at random (Poisson, at
 * `opsPerSecond`), a `writePercent` share of them commands, the rest queries. It measures what it
 * sees and remembers what it needs to judge its reads: the highest log position acknowledged to
 * it, and for each read the position its own writes had reached when the read was issued.
 * Numbered notes [n] are at the end of the file.
 */

/** Sends of one write before the client gives up on it. */
export const writeTriesMax = 3;
/** Reads one client has outstanding at most; an operation due beyond it is skipped. */
export const readsInFlightMax = 100;

/** Durable: the client's numbering and its counters (they survive a client crash). */
export interface ClientDurable {
  readonly nextRequestId: number;
  readonly nextReadId: number;
  /** [1] Highest log position of this client's own acknowledged writes. */
  readonly ownAckedMax: number;
  readonly readsIssued: number;
  readonly readsOk: number;
  readonly readsFailed: number;
  readonly writesOk: number;
  readonly writesFailed: number;
  readonly ryowViolations: number;
  /**
   * The last read answered: its id, the position it saw (the monitor judges staleness) and the
   * key's version it read (the consistency history records it, history.ts).
   */
  readonly lastRead: {
    readonly readId: number;
    readonly applied: number;
    readonly version: number;
  } | null;
  /** The last read that failed (the monitor forgets it). */
  readonly lastFailedReadId: number;
}

interface PendingWrite {
  readonly requestId: number;
  readonly key: number;
  readonly startedUs: number;
  readonly tries: number;
}

interface PendingRead {
  readonly readId: number;
  /** The key read (the consistency history records it, history.ts). */
  readonly key: number;
  /** The name of its timeout timer (built once per read). */
  readonly timer: string;
  readonly startedUs: number;
  /** [1] The client's own acknowledged writes reached this position when the read was issued. */
  readonly ownAtIssue: number;
}

export interface ClientState {
  readonly write: PendingWrite | null;
  /** Reads outstanding, oldest first. */
  readonly reads: readonly PendingRead[];
}

type Context = NodeContext<ClientMessage, ClientDurable>;

const opTimer = 'op';
const writeTimer = 'write';
const readPrefix = 'read:';

export const clientBehaviour: Behaviour<ClientState, ClientMessage, ClientDurable> = {
  initialDurable(): ClientDurable {
    return {
      nextRequestId: 1,
      nextReadId: 1,
      ownAckedMax: 0,
      readsIssued: 0,
      readsOk: 0,
      readsFailed: 0,
      writesOk: 0,
      writesFailed: 0,
      ryowViolations: 0,
      lastRead: null,
      lastFailedReadId: 0,
    };
  },

  init(ctx: Context): ClientState {
    scheduleOp(ctx);
    return { write: null, reads: [] };
  },

  receive(state: ClientState, event: NodeEvent<ClientMessage>, ctx: Context): ClientState {
    switch (event.kind) {
      case 'message':
        return onMessage(state, event.message, ctx);
      case 'timer':
        if (event.name === opTimer) return onOp(state, ctx);
        if (event.name === writeTimer) return onWriteTimeout(state, ctx);
        if (event.name.startsWith(readPrefix)) {
          return failRead(state, Number(event.name.slice(readPrefix.length)), ctx);
        }
        return state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ClientState, durable: ClientDurable): NodeSummary {
    const isRetrying = (state.write?.tries ?? 0) > 1;
    return {
      label: 'client',
      badge: `${durable.writesOk} w · ${durable.readsOk} r · ${durable.ryowViolations} ryow`,
      health: isRetrying ? 'warn' : 'ok',
    };
  },
};

function scheduleOp(ctx: Context): void {
  const meanUs = 1_000_000 / Math.max(0.001, paramOf(ctx, 'opsPerSecond'));
  ctx.setTimer(opTimer, Math.max(1, Math.round(exponential(ctx.random, meanUs))));
}

function onOp(state: ClientState, ctx: Context): ClientState {
  scheduleOp(ctx);
  const isWrite = ctx.random.float() * 100 < paramOf(ctx, 'writePercent');
  if (isWrite) return state.write === null ? startWrite(state, ctx) : state;
  return state.reads.length < readsInFlightMax ? startRead(state, ctx) : state;
}

/** Where writes go: the command service, or the baseline's single service. */
function writeTarget(ctx: Context): NodeId {
  return ctx.nodesWithRole(commandRole)[0] ?? serviceId;
}

/** Where reads go: the load balancer in front of the replicas, or the baseline's service. */
function readTarget(ctx: Context): NodeId {
  return ctx.nodesWithRole(balancerRole)[0] ?? serviceId;
}

function startWrite(state: ClientState, ctx: Context): ClientState {
  const requestId = ctx.durable.nextRequestId;
  ctx.persist(durableWith(ctx.durable, { nextRequestId: requestId + 1 }));
  const key = 1 + ctx.random.int(boundedCount(ctx, 'keyCount'));
  const write: PendingWrite = { requestId, key, startedUs: ctx.localTimeUs, tries: 0 };
  return { write: sendWrite(write, ctx), reads: state.reads };
}

function sendWrite(write: PendingWrite, ctx: Context): PendingWrite {
  ctx.send(writeTarget(ctx), { type: 'Write', requestId: write.requestId, key: write.key });
  ctx.setTimer(writeTimer, msParamUs(ctx, 'requestTimeoutMs'));
  const { requestId, key, startedUs } = write;
  return { requestId, key, startedUs, tries: write.tries + 1 };
}

function onWriteTimeout(state: ClientState, ctx: Context): ClientState {
  const write = state.write;
  if (write === null) return state;
  if (write.tries < writeTriesMax) return { write: sendWrite(write, ctx), reads: state.reads };
  return endWrite(state, false, ctx);
}

function endWrite(state: ClientState, isOk: boolean, ctx: Context): ClientState {
  const write = state.write;
  if (write === null) return state;
  ctx.cancelTimer(writeTimer);
  ctx.metric('write-success', isOk ? 1 : 0);
  const durable = ctx.durable;
  if (isOk) {
    ctx.metric('write-latency', (ctx.localTimeUs - write.startedUs) / 1000);
    ctx.persist(durableWith(durable, { writesOk: durable.writesOk + 1 }));
  } else {
    ctx.persist(durableWith(durable, { writesFailed: durable.writesFailed + 1 }));
  }
  return { write: null, reads: state.reads };
}

/** [2] A query, carrying the client's last write position in read-your-writes mode. */
function startRead(state: ClientState, ctx: Context): ClientState {
  const durable = ctx.durable;
  const readId = durable.nextReadId;
  ctx.persist(
    durableWith(durable, { nextReadId: readId + 1, readsIssued: durable.readsIssued + 1 }),
  );
  const minPosition = paramOf(ctx, 'ryowMode') === 1 ? durable.ownAckedMax : 0;
  const key = 1 + ctx.random.int(boundedCount(ctx, 'keyCount'));
  ctx.send(readTarget(ctx), { type: 'Read', readId, key, minPosition });
  const timer = `${readPrefix}${readId}`;
  ctx.setTimer(timer, msParamUs(ctx, 'requestTimeoutMs'));
  const pending: PendingRead = {
    readId,
    key,
    timer,
    startedUs: ctx.localTimeUs,
    ownAtIssue: durable.ownAckedMax,
  };
  const reads = state.reads.slice();
  reads.push(pending);
  return { write: state.write, reads };
}

function onMessage(state: ClientState, message: ClientMessage, ctx: Context): ClientState {
  switch (message.type) {
    case 'WriteAck': {
      // [1] Any ack, even a late one for a write given up on, tells the client it committed.
      const durable = ctx.durable;
      if (message.position > durable.ownAckedMax) {
        ctx.persist(durableWith(durable, { ownAckedMax: message.position }));
      }
      return state.write?.requestId === message.requestId ? endWrite(state, true, ctx) : state;
    }
    case 'WriteBusy':
      return state.write?.requestId === message.requestId ? endWrite(state, false, ctx) : state;
    case 'ReadReply':
      return onReadReply(state, message, ctx);
    case 'Write':
    case 'Read':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/** [2] Only the answer to a read still pending counts (a late one was already given up on). */
function onReadReply(state: ClientState, message: ReadReplyMessage, ctx: Context): ClientState {
  const at = indexOfRead(state.reads, message.readId);
  const pending = state.reads[at];
  if (pending === undefined) return state;
  if (message.outcome !== 'ok') return failRead(state, message.readId, ctx);
  ctx.cancelTimer(pending.timer);
  const latencyMs = (ctx.localTimeUs - pending.startedUs) / 1000;
  ctx.metric('read-success', 1);
  ctx.metric('read-latency', latencyMs);
  ctx.metric('read-latency-p99', latencyMs);
  const isRyowViolation = message.applied < pending.ownAtIssue;
  if (isRyowViolation) ctx.metric('ryow-violations', 1);
  const durable = ctx.durable;
  ctx.persist(
    durableWith(durable, {
      readsOk: durable.readsOk + 1,
      ryowViolations: durable.ryowViolations + (isRyowViolation ? 1 : 0),
      lastRead: { readId: message.readId, applied: message.applied, version: message.version },
    }),
  );
  return { write: state.write, reads: withoutRead(state.reads, at) };
}

function failRead(state: ClientState, readId: number, ctx: Context): ClientState {
  const at = indexOfRead(state.reads, readId);
  const pending = state.reads[at];
  if (pending === undefined) return state;
  ctx.cancelTimer(pending.timer);
  ctx.metric('read-success', 0);
  const durable = ctx.durable;
  ctx.persist(
    durableWith(durable, { readsFailed: durable.readsFailed + 1, lastFailedReadId: readId }),
  );
  return { write: state.write, reads: withoutRead(state.reads, at) };
}

/** Where read `readId` is among the outstanding reads, or −1. */
function indexOfRead(reads: readonly PendingRead[], readId: number): number {
  for (let at = 0; at < reads.length; at++)
    if ((reads[at] as PendingRead).readId === readId) return at;
  return -1;
}

function withoutRead(reads: readonly PendingRead[], at: number): PendingRead[] {
  const rest = reads.slice();
  rest.splice(at, 1);
  return rest;
}

/**
 * The durable record with some counters changed, as a whole literal in one field order: V8
 * builds `{ ...durable, field }` several times slower, and a client writes its record on nearly
 * every event.
 */
function durableWith(durable: ClientDurable, changes: Partial<ClientDurable>): ClientDurable {
  return {
    nextRequestId: changes.nextRequestId ?? durable.nextRequestId,
    nextReadId: changes.nextReadId ?? durable.nextReadId,
    ownAckedMax: changes.ownAckedMax ?? durable.ownAckedMax,
    readsIssued: changes.readsIssued ?? durable.readsIssued,
    readsOk: changes.readsOk ?? durable.readsOk,
    readsFailed: changes.readsFailed ?? durable.readsFailed,
    writesOk: changes.writesOk ?? durable.writesOk,
    writesFailed: changes.writesFailed ?? durable.writesFailed,
    ryowViolations: changes.ryowViolations ?? durable.ryowViolations,
    lastRead: changes.lastRead !== undefined ? changes.lastRead : durable.lastRead,
    lastFailedReadId: changes.lastFailedReadId ?? durable.lastFailedReadId,
  };
}

/*
 * Notes
 *
 * [1] What the client knows. Every WriteAck names the position the write got in the write log;
 *     the client keeps the highest one (durably). A read issued afterwards must see at least
 *     that position to see the client's own writes: an answer below it is a read-your-own-writes
 *     violation, counted here. Whether a read missed anyone else's acknowledged write needs a
 *     view of every client, so the monitor judges that (monitor.ts).
 *
 * [2] Reads. Several may be outstanding; each has its own timeout. In read-your-writes mode the
 *     read carries the client's last acknowledged position, and a replica that has not applied
 *     that far holds it until it has (or gives up and answers unavailable).
 */
