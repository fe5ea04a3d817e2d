import type { AccountOutcome, Operation } from '../../consistency/history.ts';
import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { sessionsOf } from '../kit/history.ts';
import type { ClientDurable, ClientState, LedgerOutcome } from './client.ts';
import { itemAt } from './persistentList.ts';
import { type AccountCommand, clientRole } from './protocol.ts';

/**
 * The clients' bank commands as a history for the consistency checkers (the account model:
 * deposit, withdraw, no overdraft), recorded by the monitor from what the clients already keep.
 * Recording is one small record per command, made when the client's state shows it was sent or
 * settled; turning commands into account operations and sessions waits until someone asks for
 * the history. Notes [n] are at the end.
 */

/** One command as the monitor saw it. */
export interface RecordedCommand {
  readonly client: NodeId;
  readonly command: AccountCommand;
  /** Simulated µs when the client sent it (the engine's clock, not the client's skewed one). */
  readonly invokeUs: number;
  /** Simulated µs when it was settled (answered or timed out); null while open or lost. */
  completeUs: number | null;
  /** How it was settled; null while open, or when the client crashed first. */
  outcome: LedgerOutcome | null;
}

/**
 * An open command: its record's index in `commands` (not the record itself: a checkpoint copies
 * the memory, and a copy of a shared record would be two records) and its ledger entry's.
 */
interface OpenCommand {
  readonly record: number;
  readonly ledgerIndex: number;
}

/** What a client had open when the monitor last looked, by command id. */
interface ClientOpen {
  state: ClientState | undefined;
  readonly open: Map<string, OpenCommand>;
}

export interface EventSourcingHistoryMemory {
  readonly commands: RecordedCommand[];
  readonly clients: Map<NodeId, ClientOpen>;
  /** [3] When recording stopped because a command could not be read back (null: it did not). */
  stoppedAtUs: number | null;
}

export function createHistoryMemory(): EventSourcingHistoryMemory {
  return { commands: [], clients: new Map(), stoppedAtUs: null };
}

/** After an event at `node` (or a command: every node), notes commands sent and settled. */
export function recordHistory(
  world: WorldView,
  node: NodeView | undefined,
  memory: EventSourcingHistoryMemory,
): void {
  if (memory.stoppedAtUs !== null) return;
  if (node !== undefined) {
    if (node.role === clientRole) recordClient(world.nowUs, node, memory);
    return;
  }
  for (const each of world.nodes)
    if (each.role === clientRole) recordClient(world.nowUs, each, memory);
}

/**
 * [1] A client's state is immutable and replaced whenever a command is sent or settled, so the
 * same object as last time means nothing happened. A command id gone from `outstanding` was
 * settled, and the ledger on the client's disk says how; a new id was sent, and the ledger
 * holds the command. A crashed client has no state: its open commands stay unsettled.
 */
function recordClient(nowUs: number, node: NodeView, memory: EventSourcingHistoryMemory): void {
  const state = node.state as ClientState | undefined;
  let seen = memory.clients.get(node.id);
  if (seen === undefined) {
    seen = { state: undefined, open: new Map() };
    memory.clients.set(node.id, seen);
  }
  if (seen.state === state) return;
  const outstanding = state?.outstanding;
  if (seen.state?.outstanding === outstanding) {
    seen.state = state;
    return;
  }
  seen.state = state;
  const ledger = (node.durable as ClientDurable).ledger;
  for (const [commandId, open] of seen.open) {
    if (outstanding?.has(commandId) === true) continue;
    seen.open.delete(commandId);
    const record = memory.commands[open.record];
    const entry = itemAt(ledger, open.ledgerIndex);
    // Crashed (no state): never answered, its outcome stays unknown.
    if (record === undefined || outstanding === undefined || entry?.commandId !== commandId)
      continue;
    record.completeUs = nowUs;
    record.outcome = entry.outcome;
  }
  if (outstanding === undefined) return;
  for (const [commandId, open] of outstanding) {
    if (seen.open.has(commandId)) continue;
    const entry = itemAt(ledger, open.ledgerIndex);
    if (entry?.commandId !== commandId) {
      // [3] The ledger is full: the command cannot be known, so the history ends here.
      memory.stoppedAtUs = nowUs;
      return;
    }
    const record: RecordedCommand = {
      client: node.id,
      command: entry.command,
      invokeUs: nowUs,
      completeUs: null,
      outcome: null,
    };
    seen.open.set(commandId, {
      record: memory.commands.push(record) - 1,
      ledgerIndex: open.ledgerIndex,
    });
  }
}

/** What an outcome tells the checkers: taken, refused, nothing happened, or unknown (null). */
function accountOutcomeOf(outcome: LedgerOutcome | null): AccountOutcome | 'none' | null {
  switch (outcome) {
    case 'accepted':
    case 'rejected':
      return outcome;
    case 'conflict-exhausted':
      return 'none';
    case 'unavailable':
    case 'timeout':
    case null:
      // [2] Timed out, unavailable, or never settled: it may or may not have taken effect.
      return null;
  }
}

/** An account operation of a command, before it gets its id and session. */
interface Draft {
  readonly client: NodeId;
  readonly kind: 'deposit' | 'withdraw';
  readonly key: string;
  readonly amount: number;
  readonly outcome: AccountOutcome | null;
  readonly invokeUs: number;
  readonly completeUs: number | null;
}

/**
 * [4] A command as account operations: a deposit or a withdrawal on its account; a transfer as
 * a withdrawal on the source and a deposit on the target that took effect only if the
 * withdrawal did (none when rejected).
 */
function draftsOf(record: RecordedCommand): Draft[] {
  const outcome = accountOutcomeOf(record.outcome);
  if (outcome === 'none') return [];
  const { command, client, invokeUs } = record;
  const completeUs = outcome === null ? null : record.completeUs;
  const op = (kind: Draft['kind'], key: string, taken: AccountOutcome | null): Draft => ({
    client,
    kind,
    key,
    amount: command.amount,
    outcome: taken,
    invokeUs,
    completeUs,
  });
  switch (command.kind) {
    case 'deposit':
      return [op('deposit', command.account, outcome)];
    case 'withdraw':
      return [op('withdraw', command.account, outcome)];
    case 'transfer': {
      const source = op('withdraw', command.account, outcome);
      if (command.to === null || outcome === 'rejected') return [source];
      return [source, op('deposit', command.to, outcome)];
    }
    default: {
      const unknownKind: never = command.kind;
      return unknownKind;
    }
  }
}

/** The history so far, for the checkers (account model, every balance 0 at the start). */
export function eventSourcingHistory(memory: EventSourcingHistoryMemory): Operation[] {
  // Records are in the order they were sent, so the drafts are in invocation order already.
  const drafts = memory.commands.flatMap(draftsOf);
  const sessions = sessionsOf(drafts);
  return drafts.map((draft, index) => ({
    id: index + 1,
    client: sessions[index] as string,
    key: draft.key,
    kind: draft.kind,
    value: draft.amount,
    ...(draft.outcome === null ? {} : { result: draft.outcome }),
    invokeUs: draft.invokeUs,
    completeUs: draft.completeUs,
  }));
}

/*
 * Notes
 *
 * [1] Recording. The client keeps every command it sent and its outcome in a ledger on its disk
 *     (client.ts [2]); its volatile `outstanding` map holds what is open, each with its ledger
 *     index. So the monitor needs only to notice ids appearing and disappearing, and copies one
 *     small record per command (who, the command, when sent, when and how settled).
 *
 * [2] Outcomes. `accepted`: its events are in the log; `rejected`: a business rule refused it
 *     and nothing was written; `conflict-exhausted`: it lost every race and nothing was written,
 *     so it is left out (as if never sent: it changed nothing and observed nothing the client was
 *     told). `unavailable` and a timeout leave the outcome unknown (the append may have landed
 *     after all), as does a crash of the client: no answer time, which the checkers read as
 *     "took effect at some time after it was sent, or never". A command that lands after its
 *     client timed out is exactly that case.
 *
 * [3] Ledgers hold 20,000 commands per client (client.ts `ledgerMax`); past that a command
 *     cannot be read back, so recording stops for good. What was recorded stays a sound
 *     history: commands settled before the stop are untouched by any sent later, and those still
 *     open stay unknown (they may have seen later ones, which the history lacks).
 *
 * [4] Transfers. A transfer touches two accounts in one atomic append; the account model checks
 *     one account at a time (P-compositionality), so a transfer is recorded as a withdrawal on
 *     the source and a deposit on the target. If the whole history is linearizable (each command
 *     takes effect at one instant on both accounts), each account's projection is: the same
 *     instants order it. So a violation on one account is a real violation. The converse fails:
 *     the two halves may each fit their own account at different instants, and a transfer of
 *     unknown outcome may be placed on one account and not on the other; checking both accounts
 *     of a transfer together would need a model over pairs of accounts. The check is necessary,
 *     not sufficient.
 */
