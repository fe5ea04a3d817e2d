import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  admit,
  type Disk,
  finish,
  idleDisk,
  isDiskTimer,
  type QueuedRequest,
  startNext,
  withSlowFactor,
} from './disk.ts';
import { type CrudMessage, msParamUs, type ReadMessage, type WriteMessage } from './protocol.ts';

/**
 * The baseline: a CRUD store that keeps one row per account (balance and a row version) and
 * overwrites it on every change. It is as fast as the event store (same request time, served
 * one at a time), durable, and safe against lost updates (a write names the row version it read:
 * UPDATE … WHERE version = ?). What it lacks is the past: once a row is overwritten, the old
 * balance and who changed it are gone, so "what was the balance at version 3, and who changed it
 * since?" cannot be answered, and nothing can be rebuilt or audited.
 */

export interface CrudRow {
  readonly balance: number;
  readonly version: number;
}

export interface CrudDurable {
  readonly rows: ReadonlyMap<string, CrudRow>;
}

export interface CrudStoreState {
  readonly disk: Disk<ReadMessage | WriteMessage>;
  readonly writes: number;
  readonly conflicts: number;
}

type Context = NodeContext<CrudMessage, CrudDurable>;

const emptyRow: CrudRow = { balance: 0, version: 0 };

/** The store's state as an object literal (V8 copies `{ ...state, field }` far slower; see stateCopies.ts). */
function crudStateOf(
  disk: CrudStoreState['disk'],
  writes: number,
  conflicts: number,
): CrudStoreState {
  return { disk, writes, conflicts };
}

/** Every request takes the same store time. */
function serviceTimeUs(_request: unknown, ctx: Context): number {
  return msParamUs(ctx, 'storeOpMs');
}

/** What the summary says the baseline can no longer answer. */
export const lostQuestion = 'no history: "balance as of v3?" and "who changed it?" unanswerable';

export const crudStoreBehaviour: Behaviour<CrudStoreState, CrudMessage, CrudDurable> = {
  initialDurable: (): CrudDurable => ({ rows: new Map() }),

  init: (): CrudStoreState => ({ disk: idleDisk(), writes: 0, conflicts: 0 }),

  receive(state, event: NodeEvent<CrudMessage>, ctx: Context): CrudStoreState {
    switch (event.kind) {
      case 'message': {
        const { message, from } = event;
        if (message.type !== 'Read' && message.type !== 'Write') return state;
        const disk = admit(state.disk, { from, message }, ctx, serviceTimeUs);
        return disk === state.disk ? state : crudStateOf(disk, state.writes, state.conflicts);
      }
      case 'timer': {
        if (!isDiskTimer(event.name)) return state;
        const { done, disk } = finish(state.disk);
        const waiting = crudStateOf(disk, state.writes, state.conflicts);
        const served = done === null ? waiting : serve(waiting, done, ctx);
        const next = startNext(served.disk, ctx, serviceTimeUs);
        return crudStateOf(next, served.writes, served.conflicts);
      }
      case 'fault':
        if (event.fault === 'slow-store') {
          const factor = event.args.factor ?? 10;
          ctx.annotate(`store slowed ×${factor}`);
          return crudStateOf(withSlowFactor(state.disk, factor), state.writes, state.conflicts);
        }
        if (event.fault === 'recover-store') {
          ctx.annotate('store back to normal speed');
          return crudStateOf(withSlowFactor(state.disk, 1), state.writes, state.conflicts);
        }
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: CrudStoreState, durable: CrudDurable): NodeSummary {
    const waiting = state.disk.queue.length;
    const isSlow = state.disk.slowFactor > 1;
    return {
      label: isSlow ? 'slow store' : 'crud store',
      badge: `${durable.rows.size} rows · ${lostQuestion}`,
      health: waiting > 50 ? 'bad' : isSlow || waiting > 5 ? 'warn' : 'ok',
    };
  },
};

function serve(
  state: CrudStoreState,
  request: QueuedRequest<ReadMessage | WriteMessage>,
  ctx: Context,
): CrudStoreState {
  const { message, from } = request;
  return message.type === 'Read'
    ? read(state, from, message, ctx)
    : write(state, from, message, ctx);
}

function read(
  state: CrudStoreState,
  from: NodeId,
  message: ReadMessage,
  ctx: Context,
): CrudStoreState {
  const row = ctx.durable.rows.get(message.account) ?? emptyRow;
  ctx.send(from, { type: 'Row', readId: message.readId, account: message.account, ...row });
  return state;
}

/** All rows or none, each only if still at the version the writer read. */
function write(
  state: CrudStoreState,
  from: NodeId,
  message: WriteMessage,
  ctx: Context,
): CrudStoreState {
  const rows = ctx.durable.rows;
  const isStale = message.rows.some(
    (row) => row.expectedVersion !== (rows.get(row.account)?.version ?? 0),
  );
  if (isStale) {
    const versions = message.rows.map((row) => ({
      stream: row.account,
      version: rows.get(row.account)?.version ?? 0,
    }));
    ctx.send(from, {
      type: 'WriteResult',
      writeId: message.writeId,
      outcome: 'conflict',
      versions,
    });
    return crudStateOf(state.disk, state.writes, state.conflicts + 1);
  }
  const next = new Map(rows);
  for (const row of message.rows)
    next.set(row.account, { balance: row.balance, version: row.expectedVersion + 1 });
  ctx.persist({ rows: next });
  const versions = message.rows.map((row) => ({
    stream: row.account,
    version: row.expectedVersion + 1,
  }));
  ctx.send(from, { type: 'WriteResult', writeId: message.writeId, outcome: 'written', versions });
  return crudStateOf(state.disk, state.writes + 1, state.conflicts);
}
