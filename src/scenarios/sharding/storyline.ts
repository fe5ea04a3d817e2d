import type { NodeContext } from '../../engine/types.ts';
import { paramOf, secondsParamUs } from './protocol.ts';

/**
 * The default run's storyline: the day of a sharded store, so that a newcomer who only presses
 * Play sees the pattern [1]. The router adds a shard at `storylineStartS`, through the same
 * queue as the operator's "Add a shard"; later both clients' traffic turns to one hot key for a
 * while, through the same code as the "Hot key" fault. Each node reads the schedule from the
 * parameters and acts on its own timer; `storylineStartS` = 0 turns it off (no timer is set,
 * and the run is the operator-less run of version 1).
 */

type Params = Readonly<Record<string, number>>;

export const storylineTimer = 'storyline';

export function isStorylineOn(params: Params): boolean {
  return paramOf({ params }, 'storylineStartS') > 0;
}

/** When the router adds a shard (its local clock). */
export function addShardAtUs(params: Params): number {
  return secondsParamUs({ params }, 'storylineStartS');
}

/** [2] The hot key's window on each client's clock: from start + delay, for its length. */
export function hotKeyWindowUs(params: Params): {
  readonly startUs: number;
  readonly endUs: number;
} {
  const startUs = addShardAtUs(params) + secondsParamUs({ params }, 'storyHotKeyDelayS');
  return {
    startUs,
    endUs: startUs + secondsParamUs({ params }, 'storyHotKeyLengthS'),
  };
}

/** The hot key's arguments, as the "Hot key" fault takes them: the `hotKey` at `hotKeyShare`. */
export function storyHotKeyArgs(params: Params, isStarting: boolean): Record<string, number> {
  if (!isStarting) return { sharePercent: 0 };
  return {
    key: paramOf({ params }, 'hotKey'),
    sharePercent: Math.round(paramOf({ params }, 'hotKeyShare') * 100),
  };
}

/** Whether the client's clock is inside the storyline's hot-key window. */
export function isInHotKeyWindow(ctx: NodeContext): boolean {
  if (!isStorylineOn(ctx.params)) return false;
  const { startUs, endUs } = hotKeyWindowUs(ctx.params);
  return ctx.localTimeUs >= startUs && ctx.localTimeUs < endUs;
}

/** Arms the client's timer for the next edge of the hot-key window still ahead, if any. */
export function armHotKeyTimer(ctx: NodeContext): void {
  if (!isStorylineOn(ctx.params)) return;
  const { startUs, endUs } = hotKeyWindowUs(ctx.params);
  const now = ctx.localTimeUs;
  const edgeUs = now < startUs ? startUs : now < endUs ? endUs : -1;
  if (edgeUs >= 0) ctx.setTimer(storylineTimer, edgeUs - now);
}

/*
 * Notes
 *
 * [1] With the defaults (start 5 s, hot key 10 s later for 10 s, seed 11): the router adds s5
 *     at 5 s (consistent hashing moves about 1/5 of the keys to it) and the hand-off is done
 *     about two seconds later; from 15 s both clients send 90 % of their requests to key 42,
 *     whose shard (at 54 req/s against a capacity of 40) fills its queue: the hot-key moment,
 *     a second or two after; at 25 s the key cools down and the shard catches up (recovered).
 *     The single-node baseline runs the same schedule: it has no spare to add (the router
 *     says so) and stays overloaded, hot key or not. An operator's control takes over: "Add"
 *     or "Remove a shard" before the scheduled add drops it, and a "Hot key" fault at a client
 *     drops that client's scheduled hot key.
 *
 * [2] The hot key is workload, like the circuit breaker's incident: a client restarted inside
 *     the window (its state is volatile) picks the hot key up again at its next edge, and one
 *     restarted after it sends ordinary traffic.
 */
