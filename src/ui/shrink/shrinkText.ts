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
