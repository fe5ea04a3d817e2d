import type { NodeContext } from '../../engine/types.ts';
import { paramOf, secondsParamUs } from './protocol.ts';

/**
 * The default run's storyline: every remote instance loses most of its capacity for a while
 * (a noisy neighbour, a slow dependency behind it, a bad deploy), so that a newcomer who presses
 * Play sees what the ambassador's retries and retry budget do under overload without operating
 * anything. Numbered notes [n] are at the end.
 */

/** Parameters that turn the storyline off: the run is then exactly the one before it existed. */
export const storylineOff = { overloadStartS: 0 } as const;

/** The timers that start and end the overload, on each remote instance's own clock. */
export const overloadStartTimer = 'storyline-overload';
export const overloadEndTimer = 'storyline-recover';

type Params = Readonly<Record<string, number>>;

/** The overload's start, in µs of the instance's clock; −1 when the storyline is off. */
export function overloadStartUs(params: Params): number {
  const startS = paramOf({ params }, 'overloadStartS');
  return startS > 0 ? Math.round(startS * 1_000_000) : -1;
}

/** How long the overload lasts, in µs. */
export function overloadLengthUs(params: Params): number {
  return secondsParamUs({ params }, 'overloadLengthS');
}

/** The capacity each instance keeps during the overload, in percent. */
export function overloadCapacityPercent(params: Params): number {
  return paramOf({ params }, 'overloadCapacityPercent');
}

/**
 * [1] Arms the start timer when an instance starts, when the storyline is on and its start is
 * still ahead. Nothing at all happens otherwise, so a run with the storyline off is exactly the
 * run without it.
 */
export function armStoryline(ctx: Pick<NodeContext, 'params' | 'localTimeUs' | 'setTimer'>) {
  const startUs = overloadStartUs(ctx.params);
  if (startUs > ctx.localTimeUs) ctx.setTimer(overloadStartTimer, startUs - ctx.localTimeUs);
}

/*
 * Notes
 *
 * [1] Scheduling. Each instance reads the schedule from the parameters and acts through its own
 *     timers, like Circuit Breaker's scheduled incident. The overload is the "Overload" fault
 *     with the storyline's capacity: the same code path, the same annotation, the same label on
 *     the node. It ends by the second timer, which gives back only what the storyline took (an
 *     operator's own overload or "Recover" in the meantime is left as it is). A restart before
 *     the start arms the timer again; a restart during the overload ends it (faults are volatile
 *     state, as with the operator's); a restart after it arms nothing. Both variants run the
 *     same storyline, so the baseline's naive retries can be compared with the budget's.
 */
