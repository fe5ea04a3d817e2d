import type { ForkPoint, InevitableResult } from '../../shrink/inevitable.ts';
import type { ShrinkProgress, ShrinkResult } from '../../shrink/shrink.ts';
import { secondsText } from '../../worker/commandText.ts';

/** The search's phases in words, for the progress line. */
export const phaseText: Readonly<Record<ShrinkProgress['phase'], string>> = {
  checking: 'Checking the run',
  removing: 'Removing commands',
  moving: 'Moving commands later',
  shortening: 'Ending faults sooner',
  verifying: 'Checking the smallest run',
};

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function runsText(runs: number): string {
  return plural(runs, 'run', 'runs');
}

/** "Removing commands: 12 runs, 5 commands or settings left". */
export function progressText(progress: ShrinkProgress): string {
  return `${phaseText[progress.phase]}: ${runsText(progress.runs)}, ${plural(progress.size, 'command or setting', 'commands or settings')} left`;
}

/** "1 command instead of 17; the invariant breaks at 5.228 s instead of 5.243 s; 21 runs." */
export function resultSentence(result: ShrinkResult): string {
  const { original, minimal } = result;
  const commands = `${plural(minimal.run.commands.length, 'command', 'commands')} instead of ${original.run.commands.length}`;
  const times =
    minimal.violation.timeUs === original.violation.timeUs
      ? `the invariant breaks at ${secondsText(minimal.violation.timeUs)} as before`
      : `the invariant breaks at ${secondsText(minimal.violation.timeUs)} instead of ${secondsText(original.violation.timeUs)}`;
  return `${commands}; ${times}; ${runsText(result.runs)}.`;
}

/** "3 of 24 runs broke it". */
export function brokeText(point: ForkPoint): string {
  return `${String(point.violated)} of ${String(point.trials)} runs broke it`;
}

/** The outcome in one sentence: from when on every run broke it, and the fork just before. */
export function curveSentence(result: InevitableResult): string {
  const { points, inevitableFromUs, violationUs } = result;
  const at = points.findIndex((point) => point.forkUs === inevitableFromUs);
  const before = at > 0 ? points[at - 1] : undefined;
  const since =
    inevitableFromUs < violationUs
      ? `Bound to fail from ${secondsText(inevitableFromUs)}: every run forked there or later broke it`
      : `Not certain before it happened: from every earlier fork some run did not break it`;
  const earlier =
    before === undefined ? '' : `; forked at ${secondsText(before.forkUs)}, ${brokeText(before)}`;
  return `${since}${earlier} (${String(result.runs)} runs, the faults up to each fork, fresh randomness after).`;
}
