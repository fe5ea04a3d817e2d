import type { NodeContext } from '../../engine/types.ts';
import { paramOf } from './protocol.ts';

/**
 * The default run's storyline, so that a newcomer who presses Play sees the read side at work
 * without operating it: the projector slows down for a while (the read models lag, then catch
 * up), and later the operator's planned scale-out adds a query replica (it replays the
 * projection log and joins). Numbered notes [n] are at the end of the file.
 */

type Params = Readonly<Record<string, number>>;

/** Parameters that turn the storyline off: the run is then exactly the one before it existed. */
export const storylineOff = { projectorSlowdownStartS: 0, replicaJoinS: 0 } as const;

/** The projector's timer that starts the scheduled slowdown (the fault's own timer ends it). */
export const slowdownTimer = 'storyline-slowdown';
/** The load balancer's timer that adds the planned replica. */
export const scaleOutTimer = 'storyline-scale-out';

/** A scheduled time parameter in µs of local time; −1 when it is 0 (that step is off). */
function scheduledUs(params: Params, key: 'projectorSlowdownStartS' | 'replicaJoinS'): number {
  const seconds = paramOf({ params }, key);
  return seconds > 0 ? Math.round(seconds * 1_000_000) : -1;
}

/**
 * [1] Arms a step's timer when its node starts, if the step is on and still ahead. Nothing at
 * all happens otherwise, so a run with the storyline off is exactly the run without it.
 */
function arm(
  ctx: Pick<NodeContext, 'params' | 'localTimeUs' | 'setTimer'>,
  key: 'projectorSlowdownStartS' | 'replicaJoinS',
  timer: string,
): void {
  const atUs = scheduledUs(ctx.params, key);
  if (atUs > ctx.localTimeUs) ctx.setTimer(timer, atUs - ctx.localTimeUs);
}

/** Called by the projector's `init`. */
export function armSlowdown(ctx: Pick<NodeContext, 'params' | 'localTimeUs' | 'setTimer'>) {
  arm(ctx, 'projectorSlowdownStartS', slowdownTimer);
}

/** Called by the load balancer's `init`. */
export function armScaleOut(ctx: Pick<NodeContext, 'params' | 'localTimeUs' | 'setTimer'>) {
  arm(ctx, 'replicaJoinS', scaleOutTimer);
}

/** [2] The slowdown as the "slow projector" fault's arguments. */
export function slowdownFaultArgs(params: Params): Readonly<Record<string, number>> {
  return {
    factor: paramOf({ params }, 'projectorSlowdownFactor'),
    durationMs: paramOf({ params }, 'projectorSlowdownLengthS') * 1000,
  };
}

/*
 * Notes
 *
 * [1] Scheduling. Each node reads its step from the parameters and acts through its own timer,
 *     on its own clock, like Circuit Breaker's scheduled incident. A restart before the step's
 *     time arms the timer again; a restart after it arms nothing (a crash during the slowdown
 *     ends it, since the slowdown is volatile state, as with the fault).
 *
 * [2] The same code paths as a person's. The projector applies the "slow projector" fault to
 *     itself, with the storyline's factor and length (a rebuild of a search index, a cold cache
 *     after a deployment: projectors do get slow); the load balancer runs its "add a query
 *     replica" control, so the new replica replays the log and joins exactly as when the
 *     operator adds one. The baseline has no read side: nothing in it lags or joins, so the
 *     storyline has nothing to act on there, which is the contrast.
 */
