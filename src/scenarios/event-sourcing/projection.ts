import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { projectionWith } from './stateCopies.ts';
import type { EventsBatchMessage, EventStoreMessage, StoredEvent } from './storeProtocol.ts';

/**
 * A projection: a read model built by folding the event log in position order, fed by a
 * catch-up subscription to the event store. Generic over the view it builds (a
 * `ProjectionDefinition`); this scenario runs two (balances and an audit trail, see views.ts) and
 * a CQRS scenario can run its own projectors with the same behaviour. Numbered notes [n] are
 * keyed to the code.
 *
 * [1] The position is the last log position applied. Every event after it is applied exactly
 *     once and in order: events that arrive early (overtaken on the wire, or after a lost batch)
 *     wait in `pending` until the gap before them fills; events at or below the position are
 *     duplicates and are dropped.
 * [2] Gaps and silence: a gap that stays open for the gap timeout (the missing batch was lost),
 *     or no word from the store for the re-subscribe interval (the store restarted and forgot its
 *     subscribers, or the log is quiet), makes the projection subscribe again from its position.
 *     The store answers even when nothing is new (an empty batch with the head), so a quiet log
 *     costs one round trip per interval.
 * [3] Volatile by default: a crash loses the view and the position, and the restarted projection
 *     rebuilds from position 0, ending in the same state, because the fold is deterministic and
 *     the log never changes [eventStore.ts 3]. With checkpoints on, it writes its position and
 *     view to disk together every N events and resumes from there.
 * [4] "Rebuild" (operator control) and "corrupt" (fault: the read store is lost, checkpoint
 *     included) both wipe the view and replay the whole log.
 * [5] `ignores-positions` is a deliberately broken projection for the safety test: it applies
 *     every event it receives, duplicates and out-of-order ones included.
 */

/** What a projection builds: a fold over stored events. */
export interface ProjectionDefinition<M> {
  /** The view's name, e.g. `balances`. */
  readonly view: string;
  initial(): M;
  apply(model: M, event: StoredEvent): M;
  equals(a: M, b: M): boolean;
  /** A few words for the node's badge. */
  describe(model: M): string;
}

/** Early events held at most while waiting for a gap to fill; later ones are dropped [2]. */
export const pendingEventsMax = 20_000;

export type ProjectionMode = 'ordered' | 'ignores-positions';

export interface ProjectionSettings {
  /** Silence after which the projection subscribes again, µs. */
  readonly resubscribeUs: number;
  /** How long a gap may stay open before the projection subscribes again, µs. */
  readonly gapTimeoutUs: number;
  /** Write a checkpoint every N events (0: never). */
  readonly checkpointEvery: number;
}

export interface ProjectionConfig<M> {
  readonly definition: ProjectionDefinition<M>;
  /** The role of the event store node(s) to subscribe to (the first one). */
  readonly storeRole: string;
  readonly mode: ProjectionMode;
  settings(params: Readonly<Record<string, number>>): ProjectionSettings;
}

export interface ProjectionState<M> {
  readonly view: string;
  readonly mode: ProjectionMode;
  /** [1] The last log position applied. */
  readonly position: number;
  readonly model: M;
  /** The log's head as last heard from the store. */
  readonly head: number;
  /** [1] Events past a gap, in position order. */
  readonly pending: readonly StoredEvent[];
  /** Replaying the log from 0 after a restart, rebuild or corruption, not yet at the head. */
  readonly isRebuilding: boolean;
  /** Events applied since this start (or rebuild). */
  readonly replayed: number;
}

export interface ProjectionDurable<M> {
  /** Starts so far, the first included. */
  readonly starts: number;
  /** [3] Position and view written together, or null. */
  readonly checkpoint: { readonly position: number; readonly model: M } | null;
}

type Context<M> = NodeContext<EventStoreMessage, ProjectionDurable<M>>;

const idleTimer = 'resubscribe';
const gapTimer = 'gap';

export function projectionBehaviour<M>(
  config: ProjectionConfig<M>,
): Behaviour<ProjectionState<M>, EventStoreMessage, ProjectionDurable<M>> {
  const { definition } = config;
  return {
    initialDurable: (): ProjectionDurable<M> => ({ starts: 0, checkpoint: null }),

    init(ctx: Context<M>): ProjectionState<M> {
      const starts = ctx.durable.starts + 1;
      const useCheckpoint = config.settings(ctx.params).checkpointEvery > 0;
      const checkpoint = useCheckpoint ? ctx.durable.checkpoint : null;
      ctx.persist({ starts, checkpoint: ctx.durable.checkpoint });
      const isRebuilding = starts > 1 && checkpoint === null;
      if (isRebuilding) {
        ctx.metric('projection-rebuilds', 1);
        ctx.annotate(
          `${definition.view}: restarted without a checkpoint, rebuilding from position 0`,
        );
      } else if (checkpoint !== null) {
        ctx.annotate(
          `${definition.view}: resuming from checkpoint at position ${checkpoint.position}`,
        );
      }
      const state: ProjectionState<M> = {
        view: definition.view,
        mode: config.mode,
        position: checkpoint?.position ?? 0,
        model: checkpoint?.model ?? definition.initial(),
        head: 0,
        pending: [],
        isRebuilding,
        replayed: 0,
      };
      subscribe(state, ctx, config);
      return state;
    },

    receive(state, event: NodeEvent<EventStoreMessage>, ctx: Context<M>): ProjectionState<M> {
      switch (event.kind) {
        case 'message':
          return event.message.type === 'EventsBatch'
            ? onBatch(state, event.message, ctx, config)
            : state;
        case 'timer':
          if (event.name === idleTimer || (event.name === gapTimer && state.pending.length > 0)) {
            if (event.name === gapTimer) {
              ctx.annotate(
                `${definition.view}: gap after position ${state.position}, subscribing again`,
              );
            }
            subscribe(state, ctx, config);
          }
          return state;
        case 'fault':
          if (event.fault === 'rebuild-projection' || event.fault === 'corrupt-projection') {
            return wipe(state, event.fault, ctx, config);
          }
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(state: ProjectionState<M>): NodeSummary {
      const isBehind = state.position < state.head || state.pending.length > 0;
      const label = state.isRebuilding ? 'rebuilding' : isBehind ? 'catching up' : 'caught up';
      return {
        label,
        badge: `${definition.describe(state.model)} · ${state.position}/${state.head}`,
        health: state.isRebuilding ? 'warn' : 'ok',
      };
    },
  };
}

/** [2] Asks for everything after the position; the silence timer starts over. */
function subscribe<M>(
  state: ProjectionState<M>,
  ctx: Context<M>,
  config: ProjectionConfig<M>,
): void {
  const store: NodeId | undefined = ctx.nodesWithRole(config.storeRole)[0];
  if (store !== undefined) ctx.send(store, { type: 'Subscribe', fromPosition: state.position });
  ctx.setTimer(idleTimer, config.settings(ctx.params).resubscribeUs);
}

/** [1] Takes a batch: holds early events, drops duplicates, applies what is contiguous. */
function onBatch<M>(
  state: ProjectionState<M>,
  batch: EventsBatchMessage,
  ctx: Context<M>,
  config: ProjectionConfig<M>,
): ProjectionState<M> {
  const settings = config.settings(ctx.params);
  ctx.setTimer(idleTimer, settings.resubscribeUs);
  const head = Math.max(state.head, batch.head);
  const waiting =
    config.mode === 'ignores-positions'
      ? batch.events
      : merge(
          state.pending,
          batch.events.filter((event) => event.position > state.position),
        );
  let { position, model, replayed } = state;
  let index = 0;
  for (; index < waiting.length; index++) {
    const event = waiting[index] as StoredEvent;
    if (config.mode === 'ordered' && event.position !== position + 1) break;
    model = config.definition.apply(model, event);
    position = event.position;
    replayed++;
  }
  const pending = config.mode === 'ordered' ? waiting.slice(index, index + pendingEventsMax) : [];
  if (pending.length === 0) ctx.cancelTimer(gapTimer);
  else if (!ctx.hasTimer(gapTimer)) ctx.setTimer(gapTimer, settings.gapTimeoutUs);
  const every = settings.checkpointEvery;
  if (every > 0 && Math.floor(position / every) > Math.floor(state.position / every)) {
    // [3] Position and view in one write, so a restart resumes from a consistent pair.
    ctx.persist({ ...ctx.durable, checkpoint: { position, model } });
  }
  const isRebuilding = state.isRebuilding && (position < head || pending.length > 0);
  if (state.isRebuilding && !isRebuilding) {
    ctx.annotate(
      `${config.definition.view}: rebuilt, ${replayed} events replayed to position ${position}`,
    );
  }
  const isUnchanged =
    replayed === state.replayed && head === state.head && pending.length === state.pending.length;
  if (isUnchanged) return state;
  return projectionWith(state, { position, model, head, pending, isRebuilding, replayed });
}

/** Early events and a new batch, by position, each position once. */
function merge(held: readonly StoredEvent[], incoming: readonly StoredEvent[]): StoredEvent[] {
  if (held.length === 0) return incoming.slice();
  const byPosition = new Map<number, StoredEvent>();
  for (const event of held) byPosition.set(event.position, event);
  for (const event of incoming)
    if (!byPosition.has(event.position)) byPosition.set(event.position, event);
  return [...byPosition.values()].sort((a, b) => a.position - b.position);
}

/** [4] Forgets the view (and its checkpoint) and replays the log from position 0. */
function wipe<M>(
  state: ProjectionState<M>,
  cause: 'rebuild-projection' | 'corrupt-projection',
  ctx: Context<M>,
  config: ProjectionConfig<M>,
): ProjectionState<M> {
  const view = config.definition.view;
  ctx.annotate(
    cause === 'rebuild-projection'
      ? `${view}: operator rebuild, replaying the log from position 0`
      : `${view}: read store corrupted and lost, rebuilding from position 0`,
  );
  ctx.persist({ ...ctx.durable, checkpoint: null });
  ctx.metric('projection-rebuilds', 1);
  ctx.cancelTimer(gapTimer);
  const wiped: ProjectionState<M> = {
    ...state,
    position: 0,
    model: config.definition.initial(),
    pending: [],
    isRebuilding: true,
    replayed: 0,
  };
  subscribe(wiped, ctx, config);
  return wiped;
}
