import type { Command } from '../engine/types.ts';
import {
  type CommandEntry,
  type Entry,
  commandEntriesByTime,
  movedTo,
  mustStayBefore,
  replaced,
  undoes,
} from './entries.ts';

/*
 * After delta debugging has chosen which entries matter, their timing: every command as late as
 * the run still fails, then every fault as short as it still fails (its undo, a restart or heal,
 * as early as it still fails; a timed pause as short). "Still fails" here means it fails no later
 * than it did before the change, so retiming never makes the counterexample longer to watch: a
 * partition moved from 3 s to 58 s that still splits the cluster at 59 s is not simpler.
 * Each is a binary search over whole milliseconds that assumes the failure is monotone in the
 * time; where it is not, the search still ends on a time that fails, only perhaps not the latest.
 */

/** One millisecond, the grid the searches move commands on. */
const stepUs = 1000;

/** How the timing passes run candidates (each yields while it works, see `FailureTest`). */
export interface TimingProbe<S> {
  /** When the run of `entries`, which fails, first violates the target (µs). */
  violationUs(entries: readonly Entry[]): Generator<S, number>;
  /** Whether the run of `entries` violates the target at or before `byUs`. */
  failsBy(entries: readonly Entry[], byUs: number): Generator<S, boolean>;
}

/** A change of timing the search kept, for the report. */
export type TimingStep =
  | {
      readonly kind: 'moved-later';
      readonly command: Command;
      readonly fromUs: number;
      readonly toUs: number;
    }
  | {
      /** The undo moved earlier: the fault it ends now ends sooner. */
      readonly kind: 'ended-sooner';
      readonly undo: Command;
      readonly fromUs: number;
      readonly toUs: number;
    }
  | {
      readonly kind: 'pause-shortened';
      readonly command: Command;
      readonly fromMs: number;
      readonly toMs: number;
    };

/** The result of a timing pass: the entries as they stand and the changes kept. */
export interface Timed {
  readonly entries: Entry[];
  readonly steps: TimingStep[];
}

/**
 * The largest k in [0, kMax] for which `failsAt(k)` holds, by binary search from k = 0 (which
 * fails: it is the run as it stands). Tries kMax first, since often the whole way works.
 */
function* largestFailing<S>(
  kMax: number,
  failsAt: (k: number) => Generator<S, boolean>,
): Generator<S, number> {
  if (kMax <= 0) return 0;
  if (yield* failsAt(kMax)) return kMax;
  let low = 0;
  let high = kMax;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (yield* failsAt(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function current(entries: readonly Entry[], id: number): CommandEntry | undefined {
  const entry = entries.find((each) => each.id === id);
  return entry?.kind === 'command' ? entry : undefined;
}

/** Whether some entry before `entry` (in time order) is a fault `entry` ends. */
function endsAFault(byTime: readonly CommandEntry[], entry: CommandEntry): boolean {
  const index = byTime.indexOf(entry);
  return byTime
    .slice(0, index)
    .some((earlier) => undoes(entry.record.command, earlier.record.command));
}

/**
 * Moves each command, the latest first, as late as the run still fails: up to just before the
 * next command that must stay after it (its undo, or the next one of its kind on the same
 * target), and before the violation. Undos of faults stay where they are: moving them later would
 * only make the fault longer; `endSooner` moves them the other way.
 */
export function* moveLater<S>(
  entries: readonly Entry[],
  probe: TimingProbe<S>,
): Generator<S, Timed> {
  let working = entries.slice();
  const steps: TimingStep[] = [];
  const order = commandEntriesByTime(working).reverse();
  for (const { id } of order) {
    const byTime = commandEntriesByTime(working);
    const entry = current(working, id);
    if (entry === undefined || endsAFault(byTime, entry)) continue;
    const deadlineUs = yield* probe.violationUs(working);
    const fromUs = entry.record.atUs;
    // A command at or after the violation cannot have caused it.
    let upperUs = deadlineUs - 1;
    for (const later of byTime.slice(byTime.indexOf(entry) + 1)) {
      if (mustStayBefore(entry.record.command, later.record.command))
        upperUs = Math.min(upperUs, later.record.atUs - stepUs);
    }
    const at = (k: number): Entry[] => replaced(working, movedTo(entry, fromUs + k * stepUs));
    const k = yield* largestFailing(Math.floor((upperUs - fromUs) / stepUs), (k) =>
      probe.failsBy(at(k), deadlineUs),
    );
    if (k === 0) continue;
    working = at(k);
    steps.push({
      kind: 'moved-later',
      command: entry.record.command,
      fromUs,
      toUs: fromUs + k * stepUs,
    });
  }
  return { entries: working, steps };
}

/**
 * Makes each fault as short as the run still fails: every command that ends a fault moves as
 * early as it still fails, down to just after the last command that must stay before it (the
 * faults it ends among them); a pause with a duration gets the shortest duration that fails.
 */
export function* endSooner<S>(
  entries: readonly Entry[],
  probe: TimingProbe<S>,
): Generator<S, Timed> {
  let working = entries.slice();
  const steps: TimingStep[] = [];
  for (const { id } of commandEntriesByTime(working)) {
    const byTime = commandEntriesByTime(working);
    const entry = current(working, id);
    if (entry === undefined) continue;
    const command = entry.record.command;
    const isTimedPause = command.type === 'node.pause' && command.durationMs !== undefined;
    if (!isTimedPause && !endsAFault(byTime, entry)) continue;
    const deadlineUs = yield* probe.violationUs(working);
    if (command.type === 'node.pause' && command.durationMs !== undefined) {
      const fromMs = command.durationMs;
      const at = (k: number): Entry[] =>
        replaced(working, {
          ...entry,
          record: { ...entry.record, command: { ...command, durationMs: fromMs - k } },
        });
      const k = yield* largestFailing(Math.ceil(fromMs) - 1, (k) =>
        probe.failsBy(at(k), deadlineUs),
      );
      if (k > 0) {
        working = at(k);
        steps.push({ kind: 'pause-shortened', command, fromMs, toMs: fromMs - k });
      }
      continue;
    }
    const fromUs = entry.record.atUs;
    let lowerUs = 0;
    for (const earlier of byTime.slice(0, byTime.indexOf(entry))) {
      if (mustStayBefore(earlier.record.command, command))
        lowerUs = Math.max(lowerUs, earlier.record.atUs + stepUs);
    }
    const at = (k: number): Entry[] => replaced(working, movedTo(entry, fromUs - k * stepUs));
    const k = yield* largestFailing(Math.floor((fromUs - lowerUs) / stepUs), (k) =>
      probe.failsBy(at(k), deadlineUs),
    );
    if (k === 0) continue;
    working = at(k);
    steps.push({ kind: 'ended-sooner', undo: command, fromUs, toUs: fromUs - k * stepUs });
  }
  return { entries: working, steps };
}
