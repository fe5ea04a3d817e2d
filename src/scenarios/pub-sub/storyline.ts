import type { NodeContext, NodeId } from '../../engine/types.ts';
import { paramOf, subscriberIds } from './roster.ts';

/**
 * The default run's storyline: a scheduled slowdown of one subscriber, so that a newcomer who
 * presses Play sees the pattern at work without operating it. Numbered notes [n] are at the end.
 */

/** Parameters that turn the storyline off: the run is then exactly the one before it existed. */
export const storylineOff = { slowdownStartS: 0 } as const;

/** The timer that starts the scheduled slowdown (the slowdown ends by the fault's own timer). */
export const storylineTimer = 'storyline';

type Params = Readonly<Record<string, number>>;

/** [1] The subscriber the storyline slows: the last one (the slow s4 at the defaults). */
export function storylineSubscriber(params: Params): NodeId | undefined {
  return subscriberIds(params).at(-1);
}

/** The slowdown's start on the subscriber's clock, in µs; −1 when the storyline is off. */
export function storylineStartUs(params: Params): number {
  const startS = paramOf({ params }, 'slowdownStartS');
  return startS > 0 ? Math.round(startS * 1_000_000) : -1;
}

/**
 * [2] Arms the start timer when a subscriber starts: only on the storyline's subscriber, only
 * when the storyline is on and its start is still ahead. Nothing at all happens otherwise, so a
 * run with the storyline off is exactly the run without it.
 */
export function armStoryline(
  ctx: Pick<NodeContext, 'self' | 'params' | 'localTimeUs' | 'setTimer'>,
) {
  if (ctx.self !== storylineSubscriber(ctx.params)) return;
  const startUs = storylineStartUs(ctx.params);
  if (startUs > ctx.localTimeUs) ctx.setTimer(storylineTimer, startUs - ctx.localTimeUs);
}

/** [3] The slowdown as the "slow subscriber" fault's arguments. */
export function storylineFaultArgs(params: Params): Readonly<Record<string, number>> {
  return {
    factor: paramOf({ params }, 'slowdownFactor'),
    durationMs: paramOf({ params }, 'slowdownLengthS') * 1000,
  };
}

/*
 * Notes
 *
 * [1] Which subscriber. A consumer that gets slower for a while (a noisy neighbour on its host,
 *     a slow database behind it, a deployment) is the everyday trouble a broker is there to
 *     absorb. The last subscriber is the slow one at the defaults, so the one a person watches.
 *
 * [2] Scheduling. The subscriber reads the schedule from the parameters and acts through its own
 *     timer, on its own clock, like Circuit Breaker's scheduled incident. A restart before the
 *     start arms the timer again; a restart during the slowdown ends it (the slowdown is
 *     volatile state, as with the fault), and a restart after it arms nothing.
 *
 * [3] The same code path as a person's. At the start the subscriber applies the "slow subscriber"
 *     fault to itself (processing.ts), with the storyline's factor and length: its end timer,
 *     its label, and the liveness invariant's wait for it to end all work as for the fault.
 */
