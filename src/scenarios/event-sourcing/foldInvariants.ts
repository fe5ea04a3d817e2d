import type {
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import {
  type AccountState,
  type Aggregate,
  balanceChangeUpTo,
  emptyAccount,
  sameAccountState,
} from './account.ts';
import type { EventStoreDurable } from './eventStore.ts';
import { reportedMax } from './invariants.ts';
import { emptyList, itemAt, type PersistentList } from './persistentList.ts';
import { eventStoreRole, handlerRole, projectionRole } from './protocol.ts';
import type { Snapshot, StoredEvent } from './storeProtocol.ts';
import { viewDefinitions } from './views.ts';
import { eventStoreOf, handlersOf, projectionsOf, storeDurableOf } from './world.ts';

/**
 * The two invariants that replay the log: every aggregate a handler holds (and every snapshot)
 * is the fold of its stream up to its version, and every projection is the fold of the log up to
 * its position. Neither folds from the start at each check: stream folds come from sums cached
 * in the stream's tree, and each projection's reference fold, kept in memory, advances as the
 * projection does.
 */

// ---- Replay equals the live aggregate -----------------------------------------------------------

export interface ReplayMemory {
  readonly reported: Set<string>;
  snapshots: ReadonlyMap<string, Snapshot> | null;
}

/**
 * For every aggregate a handler holds (cached between commands, loaded for the command in flight,
 * or remembered as the latest it knew) at version v, folding the store's stream up to v gives exactly that state; and every
 * snapshot the store keeps equals the fold of its stream up to its version. Checked after every
 * handler event, and after every store event for the snapshots.
 */
export const replayEqualsLive: SafetyInvariant<ReplayMemory> = {
  id: 'replay-equals-live',
  kind: 'safety',
  description: 'Replaying a stream up to a version gives the state held live at that version',
  createMemory: () => ({ reported: new Set(), snapshots: null }),
  check(world: WorldView, node: NodeView | undefined, memory: ReplayMemory): Violation | null {
    const durable = storeDurableOf(world);
    if (durable === null) return null;
    if (node !== undefined && node.role === eventStoreRole)
      return checkSnapshots(durable, memory, node.id);
    if (node !== undefined && node.role !== handlerRole) return null;
    let first: Violation | null = null;
    for (const handler of handlersOf(world)) {
      const state = handler.state;
      if (state === null || (node !== undefined && node.id !== handler.node.id)) continue;
      const holder = handler.node.id;
      first ??=
        checkEach(durable, memory, holder, state.cache) ??
        checkEach(durable, memory, holder, state.known);
      // A waiting job holds nothing yet; up to `handlerJobsMax` of them may queue.
      for (const job of state.jobs) {
        if (first !== null) break;
        if (job.aggregates.size > 0) first = checkEach(durable, memory, holder, job.aggregates);
      }
    }
    if (node === undefined)
      first ??= checkSnapshots(durable, memory, eventStoreOf(world)?.id ?? '');
    return first;
  },
};

/** The fold of a stream's first `version` events, or null past its end (from cached sums). */
function prefixState(durable: EventStoreDurable, stream: string, version: number) {
  const events = durable.streams.get(stream) ?? emptyList<StoredEvent>();
  if (version > events.length || version < 0) return null;
  return version === 0 ? emptyAccount : { balance: balanceChangeUpTo(events, version) };
}

/** The first of `held` that is not the fold of its stream, or null. */
function checkEach(
  durable: EventStoreDurable,
  memory: ReplayMemory,
  holder: NodeId,
  held: ReadonlyMap<string, Aggregate>,
): Violation | null {
  for (const [stream, aggregate] of held) {
    const violation = checkHeld(
      durable,
      memory,
      holder,
      stream,
      aggregate.version,
      aggregate.state,
    );
    if (violation !== null) return violation;
  }
  return null;
}

function checkHeld(
  durable: EventStoreDurable,
  memory: ReplayMemory,
  holder: NodeId,
  stream: string,
  version: number,
  state: AccountState,
): Violation | null {
  const replayed = prefixState(durable, stream, version);
  if (replayed !== null && sameAccountState(replayed, state)) return null;
  const key = `${holder}:${stream}:${version}:${state.balance}`;
  if (memory.reported.has(key)) return null;
  if (memory.reported.size >= reportedMax) memory.reported.clear();
  memory.reported.add(key);
  const expected =
    replayed === null
      ? `the stream has only ${durable.streams.get(stream)?.length ?? 0} events`
      : `replay gives ${replayed.balance}`;
  return {
    message: `${holder} holds ${stream} at v${version} with balance ${state.balance}, but ${expected}`,
    nodes: [holder],
  };
}

function checkSnapshots(
  durable: EventStoreDurable,
  memory: ReplayMemory,
  storeId: NodeId,
): Violation | null {
  if (memory.snapshots === durable.snapshots) return null;
  const before = memory.snapshots;
  memory.snapshots = durable.snapshots;
  for (const [stream, snapshot] of durable.snapshots) {
    if (before?.get(stream) === snapshot) continue;
    const state = snapshot.state as AccountState;
    const violation = checkHeld(durable, memory, storeId, stream, snapshot.version, state);
    if (violation !== null) return { ...violation, message: `snapshot: ${violation.message}` };
  }
  return null;
}

// ---- Projections equal the fold of the log ------------------------------------------------------

interface ReferenceFold {
  position: number;
  model: unknown;
}

export interface ProjectionMemory {
  /** Per projection node: the fold of the log up to some position, advanced as it advances. */
  readonly folds: Map<NodeId, ReferenceFold>;
  readonly reported: Set<string>;
}

/**
 * Every projection, caught up or not, rebuilt or not, holds exactly the fold of the log up to
 * its position. Checked after every projection event against a reference fold that the check
 * keeps itself (started over when the projection's position goes back, as on a rebuild).
 */
export const projectionEqualsFold: SafetyInvariant<ProjectionMemory> = {
  id: 'projection-equals-fold',
  kind: 'safety',
  description: 'Every projection equals the fold of the log up to its position',
  createMemory: () => ({ folds: new Map(), reported: new Set() }),
  check(world: WorldView, node: NodeView | undefined, memory: ProjectionMemory): Violation | null {
    if (node !== undefined && node.role !== projectionRole) return null;
    const durable = storeDurableOf(world);
    if (durable === null) return null;
    let first: Violation | null = null;
    for (const projection of projectionsOf(world)) {
      const state = projection.state;
      if (state === null || (node !== undefined && node.id !== projection.node.id)) continue;
      first ??= checkProjection(
        durable.log,
        memory,
        projection.node.id,
        state.view,
        state.position,
        state.model,
      );
    }
    return first;
  },
};

function checkProjection(
  log: PersistentList<StoredEvent>,
  memory: ProjectionMemory,
  id: NodeId,
  view: string,
  position: number,
  model: unknown,
): Violation | null {
  const definition = viewDefinitions.get(view);
  if (definition === undefined) return null;
  if (position > log.length) {
    return report(
      memory,
      id,
      position,
      `${id} is at position ${position} but the log ends at ${log.length}`,
    );
  }
  let fold = memory.folds.get(id);
  if (fold === undefined || fold.position > position) {
    fold = { position: 0, model: definition.initial() };
    memory.folds.set(id, fold);
  }
  for (; fold.position < position; fold.position++) {
    fold.model = definition.apply(fold.model, itemAt(log, fold.position) as StoredEvent);
  }
  if (definition.equals(model, fold.model)) return null;
  return report(
    memory,
    id,
    position,
    `${id} (${view}) at position ${position} holds ${definition.describe(model)}; the log folds to ${definition.describe(fold.model)}`,
  );
}

function report(
  memory: ProjectionMemory,
  id: NodeId,
  position: number,
  message: string,
): Violation | null {
  const key = `${id}:${position}`;
  if (memory.reported.has(key)) return null;
  if (memory.reported.size >= reportedMax) memory.reported.clear();
  memory.reported.add(key);
  return { message, nodes: [id] };
}
