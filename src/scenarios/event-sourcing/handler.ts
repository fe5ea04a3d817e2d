import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import type { AccountState, AccountWrite, Aggregate } from './account.ts';
import { asOfReply, type AsOfRequest, type AsOfView, startAsOf } from './asOf.ts';
import {
  handlerJobsMax,
  intake,
  onCommitted,
  onLoaded,
  onStoreTimeout,
  storeTimerPrefix,
} from './jobs.ts';
import {
  type AccountCommand,
  type ClientMessage,
  type CrudMessage,
  crudStoreRole,
  eventStoreRole,
} from './protocol.ts';
import type { EventStoreMessage } from './storeProtocol.ts';

/**
 * The command handler: takes a client's command, loads the accounts it touches, checks the
 * business rules on them, and writes the outcome with optimistic concurrency. Numbered notes [n]
 * are keyed to the code.
 *
 * The job flow is in jobs.ts, the cache and snapshot helpers in handlerCache.ts.
 *
 * [1] Load: an account is the fold of its stream. The handler asks the store for the stream (from
 *     the latest snapshot when snapshots are on) and folds what comes back; with the aggregate
 *     cache on, an account it already holds is used as it is, without a load.
 * [2] One command at a time per account inside one handler: a command waits while an earlier one
 *     on the same account is in flight here, so a single handler never races with itself. Two
 *     handlers do race, and only the store's version check keeps them apart.
 * [3] Decide and append: the rules (no overdraft) run on the loaded state; the events are
 *     appended with the versions the handler loaded as expected versions. A rejection decided on
 *     a cached account is confirmed on fresh state first (the cache may have missed a deposit).
 * [4] Conflict: another writer appended first. The handler reloads the tail of each stream (the
 *     events after the version it had), decides again on the new state (a withdrawal may now be
 *     refused) and retries, at most `retryMax` times; then the client hears `conflict-exhausted`.
 *     Events carry their command's id, so a tail holding this command's own events means an
 *     earlier copy of the append landed (the network duplicated it and the copies' answers
 *     crossed): the command is done, and is not applied twice.
 * [5] Snapshots: after an append that crosses a multiple of `snapshotEvery`, and after a load that
 *     had to replay `snapshotEvery` events or more, the handler sends the folded state to the
 *     store, so later loads read the snapshot and only the events after it.
 * [6] No answer from the store within the store timeout: the client hears `unavailable`. The
 *     append may still have landed, so the cached accounts are dropped.
 * [7] The baseline (`crud`) reads and overwrites rows instead: the same rules, the same version
 *     check (UPDATE … WHERE version = ?), but only the new balance is written; the history is gone.
 *     `skips-reload` is a deliberately broken handler for the safety test: on a conflict it takes
 *     the store's new version number but keeps its stale state instead of reloading.
 */

export type HandlerMode = 'event-sourced' | 'crud' | 'skips-reload';

/** Request ids per boot: a restarted handler never reuses an id a late reply could carry. */
const idsPerBoot = 1_000_000_000;

/** A store request a job waits for. */
export interface Awaited {
  readonly requestId: number;
  readonly stream: string;
  /** For loads: the version the tail starts after (0: a full load). */
  readonly afterVersion: number;
}

export interface Job {
  readonly commandId: string;
  /** The name of its store timeout timer (built once, so it is set and cancelled by one string). */
  readonly timer: string;
  readonly client: NodeId;
  readonly command: AccountCommand;
  /** The accounts it touches (`streamsOf(command)`), worked out once. */
  readonly streams: readonly string[];
  readonly phase: 'waiting' | 'loading' | 'appending';
  readonly retries: number;
  /** Working copies of the job's accounts, by stream. */
  readonly aggregates: ReadonlyMap<string, Aggregate>;
  /** Whether every working copy was read from the store during this job. */
  readonly isFresh: boolean;
  readonly awaiting: readonly Awaited[];
  /** The writes of the append in flight. */
  readonly proposed: readonly AccountWrite[];
  /** [4] A reloaded tail holds this command's own events: an earlier append did land. */
  readonly isInLog: boolean;
}

export interface HandlerState {
  readonly mode: HandlerMode;
  /** In flight and waiting, in arrival order. */
  readonly jobs: readonly Job[];
  /** Commands answered lately, newest last: a duplicate of one is ignored. */
  readonly recentCommandIds: readonly string[];
  /** [1] Accounts kept between commands, least recently used first. */
  readonly cache: ReadonlyMap<string, Aggregate>;
  /**
   * The latest version of each account this handler has loaded or written, with its folded
   * state: for the inspector (with the cache off it is not used for commands), and checked
   * against the log like every aggregate the handler holds.
   */
  readonly known: ReadonlyMap<string, Aggregate>;
  readonly nextRequestId: number;
  readonly asOfRequest: AsOfRequest | null;
  /** The last "as of" answer, for the inspector. */
  readonly asOf: AsOfView | null;
  readonly accepted: number;
  readonly rejected: number;
  readonly conflicts: number;
  readonly retries: number;
  readonly exhausted: number;
  readonly unavailable: number;
}

export interface HandlerDurable {
  readonly boots: number;
}

export type HandlerMessage = ClientMessage | EventStoreMessage | CrudMessage;
export type HandlerContext = NodeContext<HandlerMessage, HandlerDurable>;
type Context = HandlerContext;

export function handlerBehaviour(
  mode: HandlerMode,
): Behaviour<HandlerState, HandlerMessage, HandlerDurable> {
  return {
    initialDurable: (): HandlerDurable => ({ boots: 0 }),

    init(ctx: Context): HandlerState {
      const boots = ctx.durable.boots + 1;
      ctx.persist({ boots });
      return {
        mode,
        jobs: [],
        recentCommandIds: [],
        cache: new Map(),
        known: new Map(),
        nextRequestId: boots * idsPerBoot,
        asOfRequest: null,
        asOf: null,
        accepted: 0,
        rejected: 0,
        conflicts: 0,
        retries: 0,
        exhausted: 0,
        unavailable: 0,
      };
    },

    receive(state, event: NodeEvent<HandlerMessage>, ctx: Context): HandlerState {
      switch (event.kind) {
        case 'message':
          return onMessage(state, event.from, event.message, ctx);
        case 'timer':
          if (!event.name.startsWith(storeTimerPrefix)) return state;
          return onStoreTimeout(state, event.name.slice(storeTimerPrefix.length), ctx);
        case 'fault':
          if (event.fault !== 'as-of') return state;
          return startAsOf(
            state,
            event.args,
            ctx,
            mode === 'crud' ? crudStoreRole : eventStoreRole,
          );
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(state: HandlerState): NodeSummary {
      const active = state.jobs.filter((job) => job.phase !== 'waiting');
      const isRetrying = active.some((job) => job.retries > 0);
      return {
        label: isRetrying ? 'retrying' : active.length > 0 ? 'busy' : 'idle',
        badge: `${state.jobs.length} in flight · ${state.conflicts} conflicts · ${state.retries} retries`,
        health: state.jobs.length >= handlerJobsMax / 2 ? 'bad' : isRetrying ? 'warn' : 'ok',
      };
    },
  };
}

function onMessage(
  state: HandlerState,
  from: NodeId,
  message: HandlerMessage,
  ctx: Context,
): HandlerState {
  switch (message.type) {
    case 'Command':
      return intake(state, from, message, ctx);
    case 'Loaded': {
      if (state.asOfRequest?.requestId === message.loadId) return asOfReply(state, message, ctx);
      const snapshot = message.snapshot;
      const base =
        snapshot === null
          ? null
          : { version: snapshot.version, state: accountStateOf(snapshot.state) };
      return onLoaded(
        state,
        { requestId: message.loadId, stream: message.stream, base, events: message.events },
        ctx,
      );
    }
    case 'Row': {
      const base = { version: message.version, state: { balance: message.balance } };
      return onLoaded(
        state,
        { requestId: message.readId, stream: message.account, base, events: [] },
        ctx,
      );
    }
    case 'AppendResult': {
      const outcome =
        message.outcome === 'appended'
          ? 'committed'
          : message.outcome === 'conflict'
            ? 'conflict'
            : 'failed';
      return onCommitted(
        state,
        { requestId: message.appendId, outcome, versions: message.versions },
        ctx,
      );
    }
    case 'WriteResult': {
      const outcome = message.outcome === 'written' ? 'committed' : 'conflict';
      return onCommitted(
        state,
        { requestId: message.writeId, outcome, versions: message.versions },
        ctx,
      );
    }
    case 'CommandResult':
    case 'Append':
    case 'Load':
    case 'SaveSnapshot':
    case 'Subscribe':
    case 'EventsBatch':
    case 'Read':
    case 'Write':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/** A snapshot's state as an account (snapshots are opaque to the store). */
function accountStateOf(value: unknown): AccountState {
  if (typeof value === 'object' && value !== null && 'balance' in value) {
    const balance = (value as { readonly balance: unknown }).balance;
    if (typeof balance === 'number') return { balance };
  }
  throw new Error(`event-sourcing: a snapshot holds no account state: ${JSON.stringify(value)}`);
}

export { handlerJobsMax };
