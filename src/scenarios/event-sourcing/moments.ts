import type { MomentSink, MomentSpec, NodeView, WorldView } from '../../engine/types.ts';
import type { CrudDurable } from './crudStore.ts';
import { type EventStoreDurable, versionOf } from './eventStore.ts';
import type { HandlerState, Job } from './handler.ts';
import type { ProjectionState } from './projection.ts';
import { countParam, eventStoreRole, handlerRole, projectionRole } from './protocol.ts';
import type { Snapshot } from './storeProtocol.ts';
import { crudStoreOf, eventStoreOf, logHeadOf, storeDurableOf } from './world.ts';

/**
 * The moments of Event Sourcing: a command loses an optimistic-concurrency race and is retried
 * (or gives up) [1], the store saves the first snapshot of an account, and a projection replays the log
 * from position 0 and is rebuilt. The baseline has conflicts too (its CRUD store checks versions
 * the same way), but no log: no snapshots, no projections.
 */

export const eventSourcingMoments: readonly MomentSpec[] = [
  { id: 'conflict-retried', label: 'Conflict retried' },
  { id: 'conflict-exhausted', label: 'Conflict gave up' },
  { id: 'snapshot-taken', label: 'Snapshot taken' },
  { id: 'projection-rebuilding', label: 'Projection rebuilding' },
  { id: 'projection-rebuilt', label: 'Projection rebuilt' },
];

/** A handler's counters as last seen (they restart from 0 with the handler). */
interface HandlerSeen {
  conflicts: number;
  exhausted: number;
}

/**
 * [3] The latest conflict a handler retried, for the instrument: which stream, the version the
 * append expected (the one the handler had loaded) and the stream's version at the store when the
 * handler heard the refusal.
 */
export interface RetriedConflict {
  readonly handler: string;
  readonly atUs: number;
  /** Null when two of the handler's jobs were retrying at once (it cannot tell which). */
  readonly stream: string | null;
  readonly expectedVersion: number;
  readonly actualVersion: number;
  /** 1 for the first retry of its command. */
  readonly retry: number;
}

export interface EventSourcingSeen {
  readonly handlers: Record<string, HandlerSeen>;
  /** [3] Conflicts retried and commands given up in the run so far (all handlers, restarts too). */
  retried: number;
  gaveUp: number;
  lastRetried: RetriedConflict | null;
  /** The store's snapshots as last compared (null before the first look). */
  snapshots: EventStoreDurable['snapshots'] | null;
  /** When each projection started replaying from position 0 (−1: it is not replaying). */
  readonly rebuilding: Record<string, number>;
}

export function createEventSourcingSeen(): EventSourcingSeen {
  return {
    handlers: {},
    retried: 0,
    gaveUp: 0,
    lastRetried: null,
    snapshots: null,
    rebuilding: {},
  };
}

/** Looks only at the node that had the event: each moment is one node's own change [2]. */
export function observeMoments(
  world: WorldView,
  node: NodeView | undefined,
  seen: EventSourcingSeen,
  moment: MomentSink,
): void {
  if (node === undefined) {
    for (const each of world.nodes) observeMoments(world, each, seen, moment);
    return;
  }
  if (node.status === 'crashed') return;
  if (node.role === handlerRole) observeHandler(world, node, seen, moment);
  else if (node.role === projectionRole) observeProjection(world, node, seen, moment);
  else if (node.role === eventStoreRole) observeSnapshots(world, seen, moment);
}

function observeHandler(
  world: WorldView,
  node: NodeView,
  seen: EventSourcingSeen,
  moment: MomentSink,
) {
  const state = node.state as HandlerState | undefined;
  if (state === undefined) return;
  let last = seen.handlers[node.id];
  if (last === undefined || state.conflicts < last.conflicts) {
    // First look, or the handler restarted and counts from 0 again.
    last = { conflicts: state.conflicts, exhausted: state.exhausted };
    seen.handlers[node.id] = last;
    return;
  }
  if (state.conflicts === last.conflicts) return;
  const retryMax = countParam(world, 'retryMax', 0);
  if (state.exhausted > last.exhausted) {
    seen.gaveUp += 1;
    moment(
      'conflict-exhausted',
      `${node.id} gave up on a command: it lost the race for its account ` +
        `${retryMax === 0 ? 'once, with retries off' : `${retryMax + 1} times in a row`}, ` +
        `so its client hears that it failed`,
      [node.id],
    );
  } else {
    const job = retriedJob(state.jobs);
    seen.retried += 1;
    seen.lastRetried = retriedConflict(world, node, job);
    const accounts = job === null ? 'an account' : job.streams.join(' and ');
    const it = job !== null && job.streams.length > 1 ? 'one of them' : 'it';
    moment(
      'conflict-retried',
      `${node.id}'s append to ${accounts} was refused: another command had changed ${it} since ` +
        `${node.id} loaded it, so ${node.id} reloads and retries` +
        (job === null ? '' : ` (retry ${job.retries} of ${retryMax})`),
      [node.id],
    );
  }
  last.conflicts = state.conflicts;
  last.exhausted = state.exhausted;
}

/** The job that just went back to loading after a conflict, when only one can be it. */
function retriedJob(jobs: readonly Job[]): Job | null {
  let found: Job | null = null;
  for (const job of jobs) {
    if (job.phase !== 'loading' || job.retries === 0) continue;
    if (found !== null) return null;
    found = job;
  }
  return found;
}

/** [3] The conflict `job` was just refused for: its first reloaded stream, expected and actual. */
function retriedConflict(world: WorldView, node: NodeView, job: Job | null): RetriedConflict {
  const reload = job?.awaiting[0];
  if (job === null || reload === undefined) {
    return {
      handler: node.id,
      atUs: world.nowUs,
      stream: null,
      expectedVersion: 0,
      actualVersion: 0,
      retry: 0,
    };
  }
  const stream = reload.stream;
  const store = storeDurableOf(world);
  const crudRows = (crudStoreOf(world)?.durable as CrudDurable | undefined)?.rows;
  const actualVersion =
    store !== null ? versionOf(store, stream) : (crudRows?.get(stream)?.version ?? 0);
  return {
    handler: node.id,
    atUs: world.nowUs,
    stream,
    expectedVersion: reload.afterVersion,
    actualVersion,
    retry: job.retries,
  };
}

function observeSnapshots(world: WorldView, seen: EventSourcingSeen, moment: MomentSink): void {
  const storeId = eventStoreOf(world)?.id;
  const snapshots = storeDurableOf(world)?.snapshots;
  if (storeId === undefined || snapshots === undefined || snapshots === seen.snapshots) return;
  const before = seen.snapshots;
  seen.snapshots = snapshots;
  if (before === null) return;
  // A new map means a snapshot was saved. Only an account's first one is a moment (later ones
  // come every `snapshotEvery` events and change nothing new); a restored copy has the same keys.
  if (snapshots.size === before.size) return;
  snapshots.forEach((snapshot: Snapshot, stream) => {
    if (before.has(stream)) return;
    moment(
      'snapshot-taken',
      `The store saved the first snapshot of ${stream}, at version ${snapshot.version}: from now ` +
        `on loading it reads the snapshot and only the events after it, not the whole stream`,
      [storeId],
    );
  });
}

function observeProjection(
  world: WorldView,
  node: NodeView,
  seen: EventSourcingSeen,
  moment: MomentSink,
) {
  const state = node.state as ProjectionState<unknown> | undefined;
  if (state === undefined) return;
  const startedUs = seen.rebuilding[node.id] ?? -1;
  if (state.isRebuilding && startedUs < 0) {
    seen.rebuilding[node.id] = world.nowUs;
    moment(
      'projection-rebuilding',
      `${node.id} lost its view and replays the log from position 0 to rebuild it ` +
        `(${logHeadOf(world)} events)`,
      [node.id],
    );
  } else if (!state.isRebuilding && startedUs >= 0) {
    seen.rebuilding[node.id] = -1;
    const ms = Math.round((world.nowUs - startedUs) / 1000);
    moment(
      'projection-rebuilt',
      `${node.id} is rebuilt: it replayed ${state.replayed} events in ${ms} ms and is at ` +
        `position ${state.position}, the log's head`,
      [node.id],
    );
  }
}

/*
 * Notes
 *
 * [1] Optimistic concurrency: an append names the version it expects each account at, and the
 *     store refuses it when another command got there first (jobs.ts). The handler counts every
 *     refusal; a rise in its count is the moment. A command that loses `retryMax + 1` races in a
 *     row gives up instead.
 * [2] Cost. Handlers and projections are looked at only after their own events, by comparing
 *     two counters or one flag; the store's snapshots by reference (its durable value is replaced
 *     only when it writes).
 * [3] For the instrument (instrument.ts): a count of the conflicts retried and the latest one. A
 *     handler going back to loading after a conflict reloads the tail after the version it had
 *     appended on (its expected version); the store's version of the stream when it heard the
 *     refusal is the actual one. Kept here, beside the trace, because the handler keeps no record
 *     of a conflict once its retry is under way; written only when a conflict happens.
 */
