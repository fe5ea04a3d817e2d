import type { ClientState } from './client.ts';
import type { EventStoreState } from './eventStore.ts';
import type { HandlerState, Job } from './handler.ts';
import type { ProjectionState } from './projection.ts';

/**
 * A state with some fields changed, as a new object: what `{ ...state, field }` says, written
 * out field by field. The behaviours copy their state several times per event, and V8 (Node 20)
 * builds `{ ...state, field }` five to ten times slower than an object literal with the same
 * fields: on the default run these copies were the largest cost left in the handlers, clients
 * and stores. Fields missing from the change (undefined) keep their value; the copy is still a
 * new object, so no earlier state changes.
 */

/** A field of `change` if given, else the state's. */
function either<T>(changed: T | undefined, held: T): T {
  return changed === undefined ? held : changed;
}

export function handlerWith(state: HandlerState, change: Partial<HandlerState>): HandlerState {
  return {
    mode: either(change.mode, state.mode),
    jobs: either(change.jobs, state.jobs),
    recentCommandIds: either(change.recentCommandIds, state.recentCommandIds),
    cache: either(change.cache, state.cache),
    known: either(change.known, state.known),
    nextRequestId: either(change.nextRequestId, state.nextRequestId),
    asOfRequest: either(change.asOfRequest, state.asOfRequest),
    asOf: either(change.asOf, state.asOf),
    accepted: either(change.accepted, state.accepted),
    rejected: either(change.rejected, state.rejected),
    conflicts: either(change.conflicts, state.conflicts),
    retries: either(change.retries, state.retries),
    exhausted: either(change.exhausted, state.exhausted),
    unavailable: either(change.unavailable, state.unavailable),
  };
}

export function jobWith(job: Job, change: Partial<Job>): Job {
  return {
    commandId: either(change.commandId, job.commandId),
    timer: either(change.timer, job.timer),
    client: either(change.client, job.client),
    command: either(change.command, job.command),
    streams: either(change.streams, job.streams),
    phase: either(change.phase, job.phase),
    retries: either(change.retries, job.retries),
    aggregates: either(change.aggregates, job.aggregates),
    isFresh: either(change.isFresh, job.isFresh),
    awaiting: either(change.awaiting, job.awaiting),
    proposed: either(change.proposed, job.proposed),
    isInLog: either(change.isInLog, job.isInLog),
  };
}

export function clientWith(state: ClientState, change: Partial<ClientState>): ClientState {
  return {
    nextSeq: either(change.nextSeq, state.nextSeq),
    outstanding: either(change.outstanding, state.outstanding),
    accepted: either(change.accepted, state.accepted),
    rejected: either(change.rejected, state.rejected),
    exhausted: either(change.exhausted, state.exhausted),
    unavailable: either(change.unavailable, state.unavailable),
    timedOut: either(change.timedOut, state.timedOut),
    race: either(change.race, state.race),
    recent: either(change.recent, state.recent),
  };
}

export function storeWith(
  state: EventStoreState,
  change: Partial<EventStoreState>,
): EventStoreState {
  return {
    mode: either(change.mode, state.mode),
    disk: either(change.disk, state.disk),
    subscribers: either(change.subscribers, state.subscribers),
    appended: either(change.appended, state.appended),
    conflicts: either(change.conflicts, state.conflicts),
    loads: either(change.loads, state.loads),
    eventsRead: either(change.eventsRead, state.eventsRead),
  };
}

export function projectionWith<M>(
  state: ProjectionState<M>,
  change: Partial<ProjectionState<M>>,
): ProjectionState<M> {
  return {
    view: either(change.view, state.view),
    mode: either(change.mode, state.mode),
    position: either(change.position, state.position),
    model: either(change.model, state.model),
    head: either(change.head, state.head),
    pending: either(change.pending, state.pending),
    isRebuilding: either(change.isRebuilding, state.isRebuilding),
    replayed: either(change.replayed, state.replayed),
  };
}
