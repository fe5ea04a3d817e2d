import { exponential } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { emptyList, itemAt, type PersistentList, push, setAt } from './persistentList.ts';
import {
  type AccountCommand,
  accountId,
  type ClientMessage,
  type CommandKind,
  type CommandOutcome,
  countParam,
  handlerRole,
  hotAccount,
  msParamUs,
  paramOf,
} from './protocol.ts';
import { clientWith } from './stateCopies.ts';

/**
 * The workload, the same in both variants: each client sends bank commands as a Poisson stream
 * [1], each to a command handler picked at random, and waits for the answer up to its timeout.
 * Numbered notes [n] are keyed to the code.
 *
 * [1] Open loop: arrivals do not wait for answers. The mix (deposits, withdrawals, transfers) and
 *     the hot-account share are live parameters; a hot account makes commands on one stream
 *     overlap, which is what provokes version conflicts between two handlers.
 * [2] Every command and its outcome go into the client's ledger on disk (a receipt book): the
 *     tests check the log against it (every accepted command's events are in the log exactly
 *     once; a rejected one left no event). A timed-out command's outcome is unknown. The ledger
 *     is a persistent list, so recording a command or its outcome does not copy the ledger.
 * [3] "Race two commands" (operator control): two deposits on the hot account leave at the same
 *     instant, one to each handler, so both handlers load the same version and race to append it.
 */

/** Commands a client keeps open at once; past it, a new command is not sent. */
export const outstandingMax = 500;
/** Ledger entries kept on disk; later commands are not recorded. */
export const ledgerMax = 20_000;
/** Outcomes remembered for the health colour. */
const recentOutcomesMax = 20;

export type LedgerOutcome = CommandOutcome | 'timeout';

export interface LedgerEntry {
  readonly commandId: string;
  readonly command: AccountCommand;
  /** Null until an answer (or the timeout) settles it. */
  readonly outcome: LedgerOutcome | null;
}

export interface ClientDurable {
  readonly boots: number;
  /** [2] Sent commands and their outcomes, oldest first. */
  readonly ledger: PersistentList<LedgerEntry>;
}

interface Outstanding {
  readonly sentUs: number;
  /** The name of its timeout timer (built once, to cancel it by the same string). */
  readonly timer: string;
  /** Index of the command in the ledger, or -1 when the ledger is full. */
  readonly ledgerIndex: number;
}

export interface ClientState {
  readonly nextSeq: number;
  readonly outstanding: ReadonlyMap<string, Outstanding>;
  readonly accepted: number;
  readonly rejected: number;
  readonly exhausted: number;
  readonly unavailable: number;
  readonly timedOut: number;
  /** The last "race" control's two commands, their outcomes (null until answered) and details. */
  readonly race: {
    readonly commandIds: readonly string[];
    readonly outcomes: readonly (LedgerOutcome | null)[];
    readonly details: readonly string[];
  } | null;
  readonly recent: readonly boolean[];
}

type Context = NodeContext<ClientMessage, ClientDurable>;

const sendTimer = 'send';
const idleTimer = 'idle';
const timeoutPrefix = 'timeout:';
/** With the rate at 0 the client looks at it again this often. */
const idleRecheckUs = 500_000;

export const clientBehaviour: Behaviour<ClientState, ClientMessage, ClientDurable> = {
  initialDurable: (): ClientDurable => ({ boots: 0, ledger: emptyList() }),

  init(ctx: Context): ClientState {
    ctx.persist({ ...ctx.durable, boots: ctx.durable.boots + 1 });
    scheduleNext(ctx);
    return {
      nextSeq: 1,
      outstanding: new Map(),
      accepted: 0,
      rejected: 0,
      exhausted: 0,
      unavailable: 0,
      timedOut: 0,
      race: null,
      recent: [],
    };
  },

  receive(state: ClientState, event: NodeEvent<ClientMessage>, ctx: Context): ClientState {
    switch (event.kind) {
      case 'message':
        if (event.message.type !== 'CommandResult') return state;
        return settle(
          state,
          event.message.commandId,
          event.message.outcome,
          ctx,
          event.message.detail,
        );
      case 'timer':
        if (event.name === sendTimer) {
          scheduleNext(ctx);
          return send(state, drawCommand(ctx), pickHandler(ctx), ctx);
        }
        if (event.name === idleTimer) {
          scheduleNext(ctx);
          return state;
        }
        if (event.name.startsWith(timeoutPrefix)) {
          return settle(state, event.name.slice(timeoutPrefix.length), 'timeout', ctx);
        }
        return state;
      case 'fault':
        return event.fault === 'race' ? race(state, event.args, ctx) : state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ClientState): NodeSummary {
    const successes = state.recent.filter(Boolean).length;
    const share = state.recent.length === 0 ? 1 : successes / state.recent.length;
    const failed = state.exhausted + state.unavailable + state.timedOut;
    return {
      label: 'client',
      badge: `${state.accepted} ok · ${state.rejected} rejected · ${failed} failed`,
      health: share >= 0.9 ? 'ok' : share >= 0.5 ? 'warn' : 'bad',
    };
  },
};

/** [1] The next arrival, drawn from the rate as it stands now. */
function scheduleNext(ctx: Context): void {
  const rate = paramOf(ctx, 'commandRatePerSecond');
  if (!(rate > 0)) {
    ctx.setTimer(idleTimer, idleRecheckUs);
    return;
  }
  ctx.setTimer(sendTimer, Math.max(1, Math.round(exponential(ctx.random, 1_000_000 / rate))));
}

/** [1] A command drawn from the mix. */
function drawCommand(ctx: Context): AccountCommand {
  const accounts = countParam(ctx, 'accountCount', 2);
  const withdraw = paramOf(ctx, 'withdrawPercent');
  const transfer = paramOf(ctx, 'transferPercent');
  const roll = ctx.random.int(100);
  const kind: CommandKind =
    roll < withdraw ? 'withdraw' : roll < withdraw + transfer ? 'transfer' : 'deposit';
  const isHot = ctx.random.chance(paramOf(ctx, 'hotAccountPercent') / 100);
  const account = isHot ? hotAccount : accountId(1 + ctx.random.int(accounts));
  const amount = ctx.random.intBetween(1, countParam(ctx, 'amountMax'));
  if (kind !== 'transfer') return { kind, account, to: null, amount };
  // Any other account, uniformly.
  const others = Array.from({ length: accounts }, (_, index) => accountId(index + 1)).filter(
    (id) => id !== account,
  );
  return { kind, account, to: ctx.random.pick(others), amount };
}

function pickHandler(ctx: Context): NodeId | null {
  const handlers = ctx.nodesWithRole(handlerRole);
  return handlers.length === 0 ? null : ctx.random.pick(handlers);
}

function send(
  state: ClientState,
  command: AccountCommand,
  handler: NodeId | null,
  ctx: Context,
): ClientState {
  if (handler === null || state.outstanding.size >= outstandingMax) return state;
  const commandId = commandIdOf(state, ctx);
  ctx.send(handler, { type: 'Command', commandId, command });
  const timer = `${timeoutPrefix}${commandId}`;
  ctx.setTimer(timer, msParamUs(ctx, 'clientTimeoutMs'));
  const ledger = ctx.durable.ledger;
  const ledgerIndex = ledger.length < ledgerMax ? ledger.length : -1;
  if (ledgerIndex >= 0)
    ctx.persist({
      boots: ctx.durable.boots,
      ledger: push(ledger, { commandId, command, outcome: null }),
    });
  const outstanding = new Map(state.outstanding);
  outstanding.set(commandId, { sentUs: ctx.localTimeUs, timer, ledgerIndex });
  return clientWith(state, { nextSeq: state.nextSeq + 1, outstanding });
}

/** The id of the next command; ids never repeat, not even across restarts (the boot is in them). */
function commandIdOf(state: ClientState, ctx: Context): string {
  return `${ctx.self}#${ctx.durable.boots}.${state.nextSeq}`;
}

/** [3] Two deposits on the hot account at the same instant, one to each handler. */
function race(
  state: ClientState,
  args: Readonly<Record<string, number>>,
  ctx: Context,
): ClientState {
  const handlers = ctx.nodesWithRole(handlerRole);
  const amount = Math.max(1, Math.round(args.amount ?? 10));
  const command: AccountCommand = { kind: 'deposit', account: hotAccount, to: null, amount };
  let next = state;
  const commandIds: string[] = [];
  for (let index = 0; index < 2; index++) {
    const commandId = commandIdOf(next, ctx);
    const sent = send(next, command, handlers[index % Math.max(1, handlers.length)] ?? null, ctx);
    if (sent !== next) commandIds.push(commandId);
    next = sent;
  }
  ctx.annotate(`race: two deposits of ${amount} on ${hotAccount} sent at once`);
  return clientWith(next, {
    race: { commandIds, outcomes: commandIds.map(() => null), details: commandIds.map(() => '') },
  });
}

/** Closes an open command; a late answer to one already settled is ignored. */
function settle(
  state: ClientState,
  commandId: string,
  outcome: LedgerOutcome,
  ctx: Context,
  detail = 'no answer in time',
): ClientState {
  const open = state.outstanding.get(commandId);
  if (open === undefined) return state;
  if (outcome !== 'timeout') ctx.cancelTimer(open.timer);
  const outstanding = new Map(state.outstanding);
  outstanding.delete(commandId);
  const ledger = ctx.durable.ledger;
  const entry = itemAt(ledger, open.ledgerIndex);
  if (entry?.commandId === commandId) {
    const settled: LedgerEntry = { commandId, command: entry.command, outcome };
    ctx.persist({ boots: ctx.durable.boots, ledger: setAt(ledger, open.ledgerIndex, settled) });
  }
  // A command is decided when the system gave a business answer: accepted or rejected.
  const isDecided = outcome === 'accepted' || outcome === 'rejected';
  ctx.metric('command-success', isDecided ? 1 : 0);
  const latencyMs = Math.max(0, ctx.localTimeUs - open.sentUs) / 1000;
  ctx.metric('command-latency-p50', latencyMs);
  ctx.metric('command-latency-p99', latencyMs);
  if (outcome === 'rejected') ctx.metric('rejections', 1);
  const raceIndex = state.race?.commandIds.indexOf(commandId) ?? -1;
  const race =
    state.race === null || raceIndex < 0
      ? state.race
      : {
          ...state.race,
          outcomes: state.race.outcomes.map((each, index) =>
            index === raceIndex ? outcome : each,
          ),
          details: state.race.details.map((each, index) => (index === raceIndex ? detail : each)),
        };
  return clientWith(state, {
    outstanding,
    race,
    recent: [...state.recent.slice(1 - recentOutcomesMax), isDecided],
    accepted: state.accepted + (outcome === 'accepted' ? 1 : 0),
    rejected: state.rejected + (outcome === 'rejected' ? 1 : 0),
    exhausted: state.exhausted + (outcome === 'conflict-exhausted' ? 1 : 0),
    unavailable: state.unavailable + (outcome === 'unavailable' ? 1 : 0),
    timedOut: state.timedOut + (outcome === 'timeout' ? 1 : 0),
  });
}
