import type { NodeId } from '../../engine/types.ts';
import type { Aggregate } from './account.ts';
import { sameAccountState } from './account.ts';
import type { HandlerContext, HandlerState, Job } from './handler.ts';
import { crudStoreRole, eventStoreRole } from './protocol.ts';
import { handlerWith } from './stateCopies.ts';

/**
 * What a handler keeps between commands (the aggregate cache and the latest version it knew of
 * each account), the snapshots it hands the store, and where its store is.
 */

type Context = HandlerContext;

/** Keeps the newer of two versions of an account (the one held if they are the same). */
export function remember(
  known: ReadonlyMap<string, Aggregate>,
  stream: string,
  aggregate: Aggregate,
): ReadonlyMap<string, Aggregate> {
  const held = known.get(stream);
  if ((held?.version ?? -1) > aggregate.version) return known;
  if (held?.version === aggregate.version && sameAccountState(held.state, aggregate.state))
    return known;
  const next = new Map(known);
  next.set(stream, aggregate);
  return next;
}

/** [5] Sends the store a snapshot of an account (fire and forget). */
export function saveSnapshot(
  state: HandlerState,
  stream: string,
  aggregate: Aggregate,
  ctx: Context,
): void {
  ctx.send(storeOf(state, ctx), {
    type: 'SaveSnapshot',
    snapshot: { stream, version: aggregate.version, state: aggregate.state },
  });
}

/** Forgets the cached copies of a job's accounts. */
export function evict(state: HandlerState, job: Job): HandlerState {
  if (!job.streams.some((stream) => state.cache.has(stream))) return state;
  const cache = new Map(state.cache);
  for (const stream of job.streams) cache.delete(stream);
  return handlerWith(state, { cache });
}

/** Puts an account at the most recently used end, dropping the least recently used past `size`. */
export function cachePut(
  cache: ReadonlyMap<string, Aggregate>,
  stream: string,
  aggregate: Aggregate,
  size: number,
): ReadonlyMap<string, Aggregate> {
  const next = new Map(cache);
  next.delete(stream);
  next.set(stream, aggregate);
  for (const oldest of next.keys()) {
    if (next.size <= size) break;
    next.delete(oldest);
  }
  return next;
}

export function storeOf(state: HandlerState, ctx: Context): NodeId {
  const role = state.mode === 'crud' ? crudStoreRole : eventStoreRole;
  const store = ctx.nodesWithRole(role)[0];
  if (store === undefined) throw new Error(`event-sourcing: no ${role} node`);
  return store;
}
