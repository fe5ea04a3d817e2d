import type { RecordedCommand } from '../../engine/types.ts';
import type { Frame } from '../../worker/protocol.ts';
import { formatSimTime } from '../controls/format.ts';

/**
 * Acting in the past: a command given after a seek back forks the run, and the simulated time
 * up to the old frontier and the recorded commands still waiting to replay are dropped. These
 * pure helpers say what would go, in words, so the question and the notice are tested without
 * a page; the controller asks and offers Undo.
 */

/** What a command given at the run's current position drops. */
export interface DropFigures {
  /** Where the person is, and where the command lands. */
  readonly atUs: number;
  /** Simulated time between here and the run's frontier. */
  readonly droppedUs: number;
  /** Recorded commands after here, which would have replayed. */
  readonly commands: readonly RecordedCommand[];
}

/** The question asked before acting: what would go, and whether a notice will offer Undo. */
export interface DropQuestion extends DropFigures {
  readonly isUndoOffered: boolean;
}

/** What acting now would drop, or null when the run is at its frontier (nothing is lost). */
export function dropFiguresOf(
  frame: Frame | null,
  commands: readonly RecordedCommand[],
): DropFigures | null {
  if (frame === null) return null;
  const droppedUs = Math.max(0, frame.frontierUs - frame.timeUs);
  const waiting = commands.slice(frame.commandsApplied);
  if (droppedUs === 0 && waiting.length === 0) return null;
  return { atUs: frame.timeUs, droppedUs, commands: waiting };
}

/** A span of simulated time in words: "250 ms", "3.4 s", "12 min 5 s". */
export function spanText(us: number): string {
  if (us < 1_000_000) return `${String(Math.max(1, Math.round(us / 1000)))} ms`;
  if (us < 60_000_000) return `${(us / 1_000_000).toFixed(1).replace(/\.0$/, '')} s`;
  const seconds = Math.floor(us / 1_000_000);
  return `${String(Math.floor(seconds / 60))} min ${String(seconds % 60)} s`;
}

/** "3.4 s of the run and 1 recorded command after t = 0.800 s". */
function droppedText(figures: DropFigures): string {
  const parts: string[] = [];
  if (figures.droppedUs > 0) parts.push(`${spanText(figures.droppedUs)} of the run`);
  const count = figures.commands.length;
  if (count > 0) parts.push(`${String(count)} recorded command${count === 1 ? '' : 's'}`);
  return `${parts.join(' and ')} after ${formatSimTime(figures.atUs)}`;
}

/** The question before acting: "Acting here drops 3.4 s of the run … after t = 0.800 s. Go on?" */
export function dropQuestionText(figures: DropFigures): string {
  return `Acting here drops ${droppedText(figures)}. Go on?`;
}

/** The notice after acting, next to its Undo button. */
export function dropNoticeText(figures: DropFigures): string {
  return `Dropped ${droppedText(figures)}.`;
}

/**
 * How many leading entries two command logs share: after a fork the new log keeps the commands
 * that had taken effect and adds the new ones, so the old log's entries past this were dropped.
 */
export function sharedPrefixLength(
  before: readonly RecordedCommand[],
  after: readonly RecordedCommand[],
): number {
  let shared = 0;
  while (
    shared < before.length &&
    shared < after.length &&
    JSON.stringify(before[shared]) === JSON.stringify(after[shared])
  )
    shared++;
  return shared;
}
