import type { NodeId } from '../../engine/types.ts';
import { paramReader } from '../kit/params.ts';
import { eventSourcingParams } from './params.ts';

/** Typed readers of the parameters. */
export const { paramOf, msParamUs, countParam } = paramReader(
  'event-sourcing',
  eventSourcingParams,
);

/**
 * Roles, node ids and the application's messages: clients send bank commands to a command
 * handler and get exactly one CommandResult back (or nothing, when something on the way is
 * down). The event store's own protocol is in storeProtocol.ts; the baseline's CRUD store
 * speaks Read/Row and Write/WriteResult instead.
 */

export const clientRole = 'client';
export const handlerRole = 'command-handler';
export const eventStoreRole = 'event-store';
export const projectionRole = 'projection';
export const crudStoreRole = 'crud-store';

export const eventStoreId: NodeId = 'event-store';
export const crudStoreId: NodeId = 'crud-store';
/** The two projections: current balances, and who changed each account when. */
export const balancesId: NodeId = 'balances';
export const auditId: NodeId = 'audit';

/** The client ids for `count` clients. */
export function clientIdsFor(count: number): NodeId[] {
  return Array.from({ length: count }, (_, index) => `client-${index + 1}`);
}

/** The handler ids for `count` handlers. */
export function handlerIdsFor(count: number): NodeId[] {
  return Array.from({ length: count }, (_, index) => `handler-${index + 1}`);
}

/** Account ids built once: the same string each time is hashed once as a map key. */
const accountIds: string[] = [];
const accountIdsCachedMax = 1000;

/** The stream (and aggregate) id of account `index` (1-based). */
export function accountId(index: number): string {
  if (!(Number.isInteger(index) && index >= 0 && index < accountIdsCachedMax))
    return `acct-${index}`;
  return (accountIds[index] ??= `acct-${index}`);
}

/** The account the hot-account share aims at. */
export const hotAccount = accountId(1);

export type CommandKind = 'deposit' | 'withdraw' | 'transfer';

/** A bank command: `to` is the receiving account of a transfer (null otherwise). */
export interface AccountCommand {
  readonly kind: CommandKind;
  readonly account: string;
  readonly to: string | null;
  readonly amount: number;
}

/** A client asks a handler to carry out a command. */
export interface CommandMessage {
  readonly type: 'Command';
  readonly commandId: string;
  readonly command: AccountCommand;
}

/**
 * How a command ended: `accepted` (its events are in the log), `rejected` (a business rule said
 * no, e.g. no overdraft), `conflict-exhausted` (it lost every race for the account's version,
 * retries included), `unavailable` (the store did not answer in time or the handler was full:
 * the outcome is unknown, the events may or may not be in the log).
 */
export type CommandOutcome = 'accepted' | 'rejected' | 'conflict-exhausted' | 'unavailable';

export interface CommandResultMessage {
  readonly type: 'CommandResult';
  readonly commandId: string;
  readonly outcome: CommandOutcome;
  readonly detail: string;
}

export type ClientMessage = CommandMessage | CommandResultMessage;

/** Baseline: read an account's row (balance and row version). */
export interface ReadMessage {
  readonly type: 'Read';
  readonly readId: number;
  readonly account: string;
}

export interface RowMessage {
  readonly type: 'Row';
  readonly readId: number;
  readonly account: string;
  readonly balance: number;
  readonly version: number;
}

/** One row update: "set the balance, if the row is still at `expectedVersion`". */
export interface RowWrite {
  readonly account: string;
  readonly expectedVersion: number;
  readonly balance: number;
}

/** Baseline: overwrite rows, all or nothing (UPDATE … WHERE version = ?). */
export interface WriteMessage {
  readonly type: 'Write';
  readonly writeId: number;
  readonly rows: readonly RowWrite[];
}

export interface WriteResultMessage {
  readonly type: 'WriteResult';
  readonly writeId: number;
  readonly outcome: 'written' | 'conflict';
  readonly versions: readonly { readonly stream: string; readonly version: number }[];
}

export type CrudMessage = ReadMessage | RowMessage | WriteMessage | WriteResultMessage;

/** The application's message types (the store's are in storeProtocol.ts). */
export const applicationMessageTypes = [
  'Command',
  'CommandResult',
  'Read',
  'Row',
  'Write',
  'WriteResult',
] as const satisfies readonly (ClientMessage | CrudMessage)['type'][];
