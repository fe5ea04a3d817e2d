import type { NodeId } from '../../engine/types.ts';
import { balanceChangeOf, counterpartyOf } from './account.ts';
import type { ProjectionDefinition } from './projection.ts';
import type { StoredEvent } from './storeProtocol.ts';

/**
 * The two read models this scenario projects from the log: the current balance of every account,
 * and an audit trail answering "who changed this account, when, and how". Neither is stored
 * anywhere else: both are folds of the log, and can be thrown away and rebuilt at any time.
 */

/** Balance per account, in the order accounts first appear in the log. */
export interface BalancesView {
  readonly balances: ReadonlyMap<string, number>;
  readonly events: number;
}

export const balancesView: ProjectionDefinition<BalancesView> = {
  view: 'balances',
  initial: () => ({ balances: new Map(), events: 0 }),
  apply(model, event) {
    const balances = new Map(model.balances);
    balances.set(event.stream, (balances.get(event.stream) ?? 0) + balanceChangeOf(event));
    return { balances, events: model.events + 1 };
  },
  equals(a, b) {
    if (a.events !== b.events || a.balances.size !== b.balances.size) return false;
    for (const [account, balance] of a.balances)
      if (b.balances.get(account) !== balance) return false;
    return true;
  },
  describe(model) {
    let total = 0;
    for (const balance of model.balances.values()) total += balance;
    return `${model.balances.size} accounts, total ${total}`;
  },
};

/** One change of an account, as the audit trail shows it. */
export interface AuditEntry {
  readonly version: number;
  readonly position: number;
  readonly change: number;
  readonly type: string;
  readonly counterparty: string | null;
  readonly issuedBy: NodeId;
  readonly handledBy: NodeId;
  readonly recordedUs: number;
}

/** Entries kept per account (the newest); the count of all changes is kept too. */
export const auditEntriesMax = 10;

export interface AuditView {
  /** The latest changes per account, newest last. */
  readonly recent: ReadonlyMap<string, readonly AuditEntry[]>;
  /** Changes per issuing client. */
  readonly changesBy: ReadonlyMap<NodeId, number>;
  readonly events: number;
}

export const auditView: ProjectionDefinition<AuditView> = {
  view: 'audit',
  initial: () => ({ recent: new Map(), changesBy: new Map(), events: 0 }),
  apply(model, event) {
    const recent = new Map(model.recent);
    const entries = recent.get(event.stream) ?? [];
    recent.set(event.stream, [...entries.slice(1 - auditEntriesMax), auditEntryOf(event)]);
    const changesBy = new Map(model.changesBy);
    changesBy.set(event.meta.issuedBy, (changesBy.get(event.meta.issuedBy) ?? 0) + 1);
    return { recent, changesBy, events: model.events + 1 };
  },
  equals(a, b) {
    if (a.events !== b.events || a.recent.size !== b.recent.size) return false;
    if (a.changesBy.size !== b.changesBy.size) return false;
    for (const [client, count] of a.changesBy) if (b.changesBy.get(client) !== count) return false;
    for (const [account, entries] of a.recent) {
      const others = b.recent.get(account);
      if (others?.length !== entries.length) return false;
      if (!entries.every((entry, index) => sameEntry(entry, others[index]))) return false;
    }
    return true;
  },
  describe(model) {
    return `${model.events} changes recorded`;
  },
};

function auditEntryOf(event: StoredEvent): AuditEntry {
  return {
    version: event.version,
    position: event.position,
    change: balanceChangeOf(event),
    type: event.type,
    counterparty: counterpartyOf(event),
    issuedBy: event.meta.issuedBy,
    handledBy: event.meta.handledBy,
    recordedUs: event.recordedUs,
  };
}

function sameEntry(a: AuditEntry, b: AuditEntry | undefined): boolean {
  return (
    b !== undefined &&
    a.version === b.version &&
    a.position === b.position &&
    a.change === b.change &&
    a.type === b.type &&
    a.counterparty === b.counterparty &&
    a.issuedBy === b.issuedBy &&
    a.handledBy === b.handledBy &&
    a.recordedUs === b.recordedUs
  );
}

/** The projection definitions of this scenario by view name. */
export const viewDefinitions: ReadonlyMap<string, ProjectionDefinition<unknown>> = new Map<
  string,
  ProjectionDefinition<unknown>
>([
  [balancesView.view, balancesView],
  [auditView.view, auditView],
]);

/** Folds a log prefix with a definition (what a projection at that position must hold). */
export function foldView<M>(
  definition: ProjectionDefinition<M>,
  events: readonly StoredEvent[],
): M {
  let model = definition.initial();
  for (const event of events) model = definition.apply(model, event);
  return model;
}
