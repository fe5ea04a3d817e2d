import type { Behaviour, Message, NodeContext, NodeEvent } from '../../engine/types.ts';
import { paramOf, secondsParamUs } from './protocol.ts';

/*
 * The default run's storyline: a few seconds in, the leader's process freezes (a long
 * stop-the-world garbage collection, a VM paused by its host), so a newcomer who only presses
 * Play sees the pattern's point: the followers stop hearing heartbeats, one of them stands for
 * election and wins a new term, and when the old leader wakes up, still believing it leads, the
 * first reply it gets carries the newer term and it steps down (Raft §5.1; the classic
 * "process pause" of Kleppmann, "How to do distributed locking", 2016). The Bully baseline runs
 * the same freeze: the highest id wakes up and takes over again. Numbered notes at the end.
 */

/** The parameters that turn the storyline off: the run is then the one of version 1. */
export const storylineOff = { freezeAtS: 0 } as const;

/** Fires on every cluster node at the freeze time; only the leader of the moment freezes [1]. */
const freezeTimer = 'storyline-freeze';
/** Ends the freeze. */
const thawTimer = 'storyline-thaw';

/** A frozen process: what it will do when it wakes up [2]. */
export interface Frozen {
  /** Its timers that came due while it was frozen, in order, with their data. */
  readonly missed: readonly { readonly name: string; readonly data: unknown }[];
}

/** A node state with the storyline's freeze (absent unless the node is frozen right now). */
export type Freezable<S> = S & { readonly frozen?: Frozen };

/** Wraps a cluster behaviour with the storyline; `isLeader` says whether a state leads. */
export function withFreezeStoryline<S extends object, M extends Message, D>(
  inner: Behaviour<S, M, D>,
  isLeader: (state: S) => boolean,
): Behaviour<Freezable<S>, M, D> {
  return {
    initialDurable: (nodeId) => inner.initialDurable(nodeId),

    init(ctx: NodeContext<M, D>): Freezable<S> {
      armFreeze(ctx);
      return inner.init(ctx);
    },

    receive(state: Freezable<S>, event: NodeEvent<M>, ctx: NodeContext<M, D>): Freezable<S> {
      const frozen = state.frozen;
      if (frozen !== undefined) {
        if (event.kind === 'timer' && event.name === thawTimer) return thaw(state, frozen, ctx);
        // [2] Nothing runs: due timers wait for the thaw, messages find nobody reading.
        if (event.kind === 'timer') {
          const missed = [...frozen.missed, { name: event.name, data: event.data }];
          return { ...state, frozen: { missed } };
        }
        return state;
      }
      if (event.kind === 'timer' && event.name === freezeTimer) {
        if (!isLeader(state)) return state;
        ctx.setTimer(thawTimer, secondsParamUs(ctx, 'freezeLengthS'));
        ctx.annotate('frozen: its process stops (a long pause), though it still believes it leads');
        return { ...state, frozen: { missed: [] } };
      }
      return inner.receive(state, event, ctx);
    },

    summarize(state: Freezable<S>, durable: D) {
      const summary = inner.summarize(state, durable);
      if (state.frozen === undefined) return summary;
      return { label: summary.label, badge: `${summary.badge} · frozen`, health: 'bad' as const };
    },
  };

  /** [2] Wakes up: the timers that came due fire now, late, in the order they came due. */
  function thaw(state: Freezable<S>, frozen: Frozen, ctx: NodeContext<M, D>): Freezable<S> {
    ctx.annotate('thawed: its process runs again');
    // The state as it was before the freeze: the same fields without `frozen`.
    const unfrozen: Record<string, unknown> = { ...state };
    delete unfrozen.frozen;
    let next = unfrozen as S;
    for (const timer of frozen.missed) {
      next = inner.receive(next, { kind: 'timer', name: timer.name, data: timer.data }, ctx);
    }
    return next;
  }
}

/** [1] Sets the freeze timer on the node's clock, if the freeze is still to come. */
function armFreeze<M extends Message, D>(ctx: NodeContext<M, D>): void {
  const atS = paramOf(ctx, 'freezeAtS');
  if (atS <= 0) return;
  const delayUs = Math.round(atS * 1_000_000) - ctx.localTimeUs;
  if (delayUs > 0) ctx.setTimer(freezeTimer, delayUs);
}

/*
 * Notes
 *
 * [1] Who freezes. Every cluster node sets the same timer at start; when it fires, the node that
 *     leads at that moment freezes and the others ignore it, so the storyline follows whichever
 *     node won (n1 in the default run of seed 1). A node restarted after the freeze time arms
 *     nothing. With `freezeAtS` = 0 no timer is set at all: the run is exactly the one without a
 *     storyline.
 *
 * [2] A frozen process. It runs no code: its timers come due but nothing handles them until it
 *     thaws, then they fire at once, late (a paused JVM's scheduled tasks do the same). Messages
 *     that reach it meanwhile are lost, as if its socket buffers overflowed; senders time out
 *     and retry as they would for any silent node. A crash during the freeze ends it (a
 *     restarted process starts fresh).
 */
