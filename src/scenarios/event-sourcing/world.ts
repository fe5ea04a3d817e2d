import type { NodeView, WorldView } from '../../engine/types.ts';
import type { ClientDurable, ClientState } from './client.ts';
import type { CrudDurable, CrudStoreState } from './crudStore.ts';
import type { EventStoreDurable, EventStoreState } from './eventStore.ts';
import type { HandlerState } from './handler.ts';
import { emptyList, type PersistentList } from './persistentList.ts';
import type { ProjectionDurable, ProjectionState } from './projection.ts';
import {
  clientRole,
  crudStoreId,
  crudStoreRole,
  eventStoreId,
  eventStoreRole,
  handlerRole,
  projectionRole,
} from './protocol.ts';
import type { StoredEvent } from './storeProtocol.ts';

/**
 * Reading the world the same way everywhere: the invariants, the monitor, the tour and the tests
 * ask "what is in the log, where is each projection, what does each handler hold?" through these
 * helpers. Volatile state is null while a node is crashed; durable state is always there.
 */

/** The nodes by what they are: the topology is fixed for a run, only their states change. */
interface Cast {
  readonly eventStore: NodeView | null;
  readonly crudStore: NodeView | null;
  readonly projections: readonly NodeView[];
  readonly handlers: readonly NodeView[];
  readonly clients: readonly NodeView[];
}

/** Per node list (the same array for a whole run), so that checks after every event do not search. */
const casts = new WeakMap<readonly NodeView[], Cast>();

function castOf(world: WorldView): Cast {
  const nodes = world.nodes;
  let cast = casts.get(nodes);
  if (cast === undefined) {
    cast = {
      eventStore:
        nodes.find((node) => node.id === eventStoreId && node.role === eventStoreRole) ?? null,
      crudStore:
        nodes.find((node) => node.id === crudStoreId && node.role === crudStoreRole) ?? null,
      projections: nodes.filter((node) => node.role === projectionRole),
      handlers: nodes.filter((node) => node.role === handlerRole),
      clients: nodes.filter((node) => node.role === clientRole),
    };
    casts.set(nodes, cast);
  }
  return cast;
}

/** The event store's node, or null (the baseline has none). */
export function eventStoreOf(world: WorldView): NodeView | null {
  return castOf(world).eventStore;
}

/** The event store's disk (log, streams, snapshots), also while it is down; null in the baseline. */
export function storeDurableOf(world: WorldView): EventStoreDurable | null {
  return (eventStoreOf(world)?.durable as EventStoreDurable | undefined) ?? null;
}

/** The baseline's CRUD store node, or null. */
export function crudStoreOf(world: WorldView): NodeView | null {
  return castOf(world).crudStore;
}

export function crudRowsOf(world: WorldView): CrudDurable['rows'] | null {
  return (crudStoreOf(world)?.durable as CrudDurable | undefined)?.rows ?? null;
}

/** Requests waiting at whichever store the variant has (0 while it is down). */
export function storeQueueOf(world: WorldView): number {
  const store = eventStoreOf(world) ?? crudStoreOf(world);
  if (store === null || store.status === 'crashed') return 0;
  const state = store.state as EventStoreState | CrudStoreState | undefined;
  return state?.disk.queue.length ?? 0;
}

/** The log's head: its last position (0 when empty or in the baseline). */
export function logHeadOf(world: WorldView): number {
  return storeDurableOf(world)?.log.length ?? 0;
}

/** A stream's events (empty when unknown or in the baseline). */
export function streamOf(world: WorldView, stream: string): PersistentList<StoredEvent> {
  return storeDurableOf(world)?.streams.get(stream) ?? emptyList();
}

export interface ProjectionView {
  readonly node: NodeView;
  /** Null while the projection is down. */
  readonly state: ProjectionState<unknown> | null;
  readonly durable: ProjectionDurable<unknown>;
}

export function projectionsOf(world: WorldView): ProjectionView[] {
  return castOf(world).projections.map((node) => ({
    node,
    state:
      node.status === 'crashed'
        ? null
        : ((node.state as ProjectionState<unknown> | undefined) ?? null),
    durable: node.durable as ProjectionDurable<unknown>,
  }));
}

/** Where a projection stands: its position when up, its checkpoint's (or 0) when down. */
export function positionOf(projection: ProjectionView): number {
  return projection.state?.position ?? projection.durable.checkpoint?.position ?? 0;
}

/** Events between the log head and the projection furthest behind (0 in the baseline). */
export function projectionLagOf(world: WorldView): number {
  const head = logHeadOf(world);
  let lag = 0;
  for (const projection of projectionsOf(world)) lag = Math.max(lag, head - positionOf(projection));
  return lag;
}

/** Whether a projection is up, at the head, with nothing waiting on a gap. */
export function isCaughtUp(world: WorldView, projection: ProjectionView): boolean {
  const state = projection.state;
  return (
    projection.node.status === 'up' &&
    state !== null &&
    state.pending.length === 0 &&
    state.position === logHeadOf(world)
  );
}

export interface HandlerView {
  readonly node: NodeView;
  readonly state: HandlerState | null;
}

export function handlersOf(world: WorldView): HandlerView[] {
  return castOf(world).handlers.map((node) => ({
    node,
    state: node.status === 'crashed' ? null : ((node.state as HandlerState | undefined) ?? null),
  }));
}

export interface ClientView {
  readonly node: NodeView;
  readonly state: ClientState | null;
  readonly durable: ClientDurable;
}

export function clientsOf(world: WorldView): ClientView[] {
  return castOf(world).clients.map((node) => ({
    node,
    state: node.status === 'crashed' ? null : ((node.state as ClientState | undefined) ?? null),
    durable: node.durable as ClientDurable,
  }));
}
