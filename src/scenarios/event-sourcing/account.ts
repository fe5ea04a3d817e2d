import type { NodeId } from '../../engine/types.ts';
import { prefixTotal, rangeIncludes } from './listFolds.ts';
import { sourceOf } from './persistentList.ts';
import type { AccountCommand } from './protocol.ts';
import type { EventMeta, NewEvent, StoredEvent } from './storeProtocol.ts';

/**
 * The bank account aggregate: its events, the fold that turns them into state, and the rules
 * that turn a command into events or a rejection. Everything here is a pure function of its
 * arguments: the handler, the projections, the invariants, the tour and the tests all fold with
 * the same code, so "replaying the log" means exactly one thing.
 */

/** An account's state: what the fold of its events gives. */
export interface AccountState {
  readonly balance: number;
}

export const emptyAccount: AccountState = { balance: 0 };

/** An aggregate as a handler holds it: the state after the first `version` events. */
export interface Aggregate {
  readonly version: number;
  readonly state: AccountState;
}

export const newAggregate: Aggregate = { version: 0, state: emptyAccount };

export type AccountEventType = 'Deposited' | 'Withdrawn' | 'TransferredOut' | 'TransferredIn';

/** The amount an account event moves (0 for an event that is not an account event). */
export function amountOf(event: NewEvent): number {
  const amount = event.data.amount;
  return typeof amount === 'number' ? amount : 0;
}

/** The other account of a transfer event, or null. */
export function counterpartyOf(event: NewEvent): string | null {
  const counterparty = event.data.counterparty;
  return typeof counterparty === 'string' ? counterparty : null;
}

/** How an event changes the balance: money in is positive, money out negative. */
export function balanceChangeOf(event: NewEvent): number {
  switch (event.type) {
    case 'Deposited':
    case 'TransferredIn':
      return amountOf(event);
    case 'Withdrawn':
    case 'TransferredOut':
      return -amountOf(event);
    default:
      return 0;
  }
}

/** One step of the fold. */
export function applyAccountEvent(state: AccountState, event: NewEvent): AccountState {
  const change = balanceChangeOf(event);
  return change === 0 ? state : { balance: state.balance + change };
}

/**
 * The sum of the balance changes of a list's first n events: the fold of an account is the
 * running sum of its events' changes (`applyAccountEvent`), and amounts are whole numbers (see
 * `decide`), so sums taken by parts of the list's tree (listFolds.ts) are exact: the same
 * balance as folding event by event.
 */
export const balanceChangeUpTo = prefixTotal<NewEvent>(balanceChangeOf, (a, b) => a + b);

/**
 * Folds `events` onto `from` (the empty account by default): `applyAccountEvent` step by step,
 * adding the changes in the same order, without a state object per event in between. Events
 * sliced from a stored stream (a load's answer) are summed from the stream's cached totals
 * [persistentList.ts 3], so replaying a long stream costs a few steps, not one per event.
 */
export function foldAccount(
  events: readonly NewEvent[],
  from: AccountState = emptyAccount,
): AccountState {
  const source = sourceOf(events);
  if (source !== undefined) {
    const end = source.from + events.length;
    const change =
      balanceChangeUpTo(source.list, end) - balanceChangeUpTo(source.list, source.from);
    return change === 0 ? from : { balance: from.balance + change };
  }
  let balance = from.balance;
  let isChanged = false;
  for (const event of events) {
    const change = balanceChangeOf(event);
    if (change === 0) continue;
    balance += change;
    isChanged = true;
  }
  return isChanged ? { balance } : from;
}

export function sameAccountState(a: AccountState, b: AccountState): boolean {
  return a.balance === b.balance;
}

/**
 * The aggregate "as of" `version`: the fold of a stream's events 1…version, like checking out
 * an old commit. `events` is the whole stream in version order (or any prefix of it reaching
 * `version`); a version past the end gives the latest state, a negative one the empty account.
 * The version in the answer is the one actually reached.
 */
export function aggregateAsOf(events: readonly StoredEvent[], version: number): Aggregate {
  let state = emptyAccount;
  let reached = 0;
  for (const event of events) {
    if (event.version > version) break;
    state = applyAccountEvent(state, event);
    reached = event.version;
  }
  return { version: reached, state };
}

/** One line per event, for people: "v3 Withdrawn 40 by client-1 via handler-2 at 1.234 s". */
export function describeEvent(event: StoredEvent): string {
  const counterparty = counterpartyOf(event);
  const other =
    counterparty === null
      ? ''
      : event.type === 'TransferredOut'
        ? ` to ${counterparty}`
        : ` from ${counterparty}`;
  const seconds = (event.recordedUs / 1_000_000).toFixed(3);
  return `v${event.version} ${event.type} ${amountOf(event)}${other} by ${event.meta.issuedBy} via ${event.meta.handledBy} at ${seconds} s`;
}

/** The accounts (streams) a command touches: one, or two for a transfer. */
export function streamsOf(command: AccountCommand): string[] {
  return command.to === null || command.to === command.account
    ? [command.account]
    : [command.account, command.to];
}

/** Events to append to one stream. */
export interface AccountWrite {
  readonly stream: string;
  readonly events: readonly NewEvent[];
}

export type Decision =
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'append'; readonly writes: readonly AccountWrite[] };

/** One account event of a decision: the amount, and for a transfer the other account. */
function accountEvent(
  type: AccountEventType,
  amount: number,
  counterparty: string | null,
  meta: EventMeta,
): NewEvent {
  return { type, data: counterparty === null ? { amount } : { amount, counterparty }, meta };
}

/**
 * The business rules: amounts are positive whole numbers, a transfer needs two different
 * accounts, and no withdrawal or transfer may take an account below zero. `accounts` holds the
 * current state of every account in `streamsOf(command)`.
 */
export function decide(
  command: AccountCommand,
  accounts: ReadonlyMap<string, AccountState>,
  meta: EventMeta,
): Decision {
  const { kind, account, amount } = command;
  if (!(amount > 0) || !Number.isInteger(amount)) {
    return { kind: 'reject', reason: `amount ${amount} is not a positive whole number` };
  }
  const source = accounts.get(account);
  if (source === undefined) return { kind: 'reject', reason: `${account} is not loaded` };
  if (kind === 'deposit')
    return {
      kind: 'append',
      writes: [{ stream: account, events: [accountEvent('Deposited', amount, null, meta)] }],
    };
  if (source.balance < amount) {
    return {
      kind: 'reject',
      reason: `no overdraft: ${account} holds ${source.balance}, asked ${amount}`,
    };
  }
  if (kind === 'withdraw')
    return {
      kind: 'append',
      writes: [{ stream: account, events: [accountEvent('Withdrawn', amount, null, meta)] }],
    };
  const to = command.to;
  if (to === null || to === account)
    return { kind: 'reject', reason: 'a transfer needs two different accounts' };
  if (!accounts.has(to)) return { kind: 'reject', reason: `${to} is not loaded` };
  return {
    kind: 'append',
    writes: [
      { stream: account, events: [accountEvent('TransferredOut', amount, to, meta)] },
      { stream: to, events: [accountEvent('TransferredIn', amount, account, meta)] },
    ],
  };
}

/** How a command changes each account's balance if accepted (for checking against the log). */
export function commandEffects(command: AccountCommand): { stream: string; change: number }[] {
  switch (command.kind) {
    case 'deposit':
      return [{ stream: command.account, change: command.amount }];
    case 'withdraw':
      return [{ stream: command.account, change: -command.amount }];
    case 'transfer':
      return command.to === null
        ? []
        : [
            { stream: command.account, change: -command.amount },
            { stream: command.to, change: command.amount },
          ];
    default: {
      const unknownKind: never = command.kind;
      return unknownKind;
    }
  }
}

const includesCommandId = rangeIncludes<NewEvent>((event) => event.meta.commandId);

/** Whether any of `events` records command `commandId` (cached per stream part, as above). */
export function includesCommand(events: readonly NewEvent[], commandId: string): boolean {
  const source = sourceOf(events);
  if (source === undefined) return events.some((event) => event.meta.commandId === commandId);
  return includesCommandId(source.list, source.from, source.from + events.length, commandId);
}

/** Event metadata for a command handled by `handler` on behalf of `client`. */
export function metaFor(commandId: string, client: NodeId, handler: NodeId): EventMeta {
  return { commandId, issuedBy: client, handledBy: handler };
}
