import type { Command, RecordedCommand, RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';

/*
 * What shrinking removes and moves: the run's command log entries and its parameters that differ
 * from the scenario's defaults, each an entry with an id that survives every change of time, so
 * the search can cache outcomes and report which entry it moved.
 */

/** One command of the log, or one parameter set away from its default. */
export type Entry =
  | { readonly id: number; readonly kind: 'command'; readonly record: RecordedCommand }
  | { readonly id: number; readonly kind: 'param'; readonly key: string; readonly value: number };

export type CommandEntry = Extract<Entry, { kind: 'command' }>;

/** A run split into what shrinking may take away (entries) and what stays (the rest). */
export interface SplitRun {
  /** The run without its commands and without the parameters that are entries. */
  readonly base: RunDescription;
  readonly entries: readonly Entry[];
}

/**
 * Splits a run: commands first (in log order), then each parameter whose value differs from the
 * scenario's default. Parameters at their default stay in the base: they change nothing.
 */
export function splitRun(scenario: Scenario, run: RunDescription): SplitRun {
  const entries: Entry[] = run.commands.map((record, index) => ({
    id: index,
    kind: 'command',
    record,
  }));
  const baseParams: Record<string, number> = {};
  for (const [key, value] of Object.entries(run.params)) {
    const spec = Object.hasOwn(scenario.params, key) ? scenario.params[key] : undefined;
    if (spec !== undefined && spec.default !== value) {
      entries.push({ id: entries.length, kind: 'param', key, value });
    } else {
      baseParams[key] = value;
    }
  }
  return { base: { ...run, params: baseParams, commands: [] }, entries };
}

/**
 * The run made of `base` and `entries`: parameters added back, commands in time order (entries
 * at the same time keep their order in the list, so a heal still comes before the restarts
 * recorded with it).
 */
export function assemble(base: RunDescription, entries: readonly Entry[]): RunDescription {
  const params: Record<string, number> = { ...base.params };
  const commands: { record: RecordedCommand; order: number }[] = [];
  entries.forEach((entry, order) => {
    if (entry.kind === 'param') params[entry.key] = entry.value;
    else commands.push({ record: entry.record, order });
  });
  commands.sort((a, b) => a.record.atUs - b.record.atUs || a.order - b.order);
  return { ...base, params, commands: commands.map((each) => each.record) };
}

/** The entries' command entries, in the time order `assemble` puts them in. */
export function commandEntriesByTime(entries: readonly Entry[]): CommandEntry[] {
  return entries
    .map((entry, order) => ({ entry, order }))
    .filter((each): each is { entry: CommandEntry; order: number } => each.entry.kind === 'command')
    .sort((a, b) => a.entry.record.atUs - b.entry.record.atUs || a.order - b.order)
    .map((each) => each.entry);
}

/** A key for a candidate: the same entries at the same times give the same run. */
export function candidateKey(entries: readonly Entry[], durationUs: number): string {
  return JSON.stringify([durationUs, entries]);
}

/** Every command without its recorded event count: it then applies by simulated time alone. */
export function withoutEventCounts(entries: readonly Entry[]): Entry[] {
  return entries.map((entry) =>
    entry.kind === 'command' && entry.record.event !== undefined
      ? { ...entry, record: { atUs: entry.record.atUs, command: entry.record.command } }
      : entry,
  );
}

/** The entry with its command at `atUs`, applied by time (an event count would pin it back). */
export function movedTo(entry: CommandEntry, atUs: number): CommandEntry {
  return { ...entry, record: { atUs, command: entry.record.command } };
}

/** Replaces the entry with the same id. */
export function replaced(entries: readonly Entry[], next: Entry): Entry[] {
  return entries.map((entry) => (entry.id === next.id ? next : entry));
}

/**
 * Whether `later` ends what `fault` started: a restart after a crash, a resume after a pause, a
 * release of the held link, a heal of a network fault. Chaos schedules pair faults the same way
 * (`src/engine/chaos.ts`: crashes with restarts, network faults with heals). Scenario faults and
 * parameter changes have no generic undo.
 */
export function undoes(later: Command, fault: Command): boolean {
  switch (fault.type) {
    case 'node.crash':
      return later.type === 'node.restart' && later.node === fault.node;
    case 'node.pause':
      return later.type === 'node.resume' && later.node === fault.node;
    case 'net.partition':
    case 'net.isolate':
    case 'net.cut':
    case 'link.set':
      return later.type === 'net.heal';
    case 'link.hold':
      return (
        later.type === 'net.heal' ||
        (later.type === 'link.release' && later.from === fault.from && later.to === fault.to)
      );
    case 'node.skew':
      // A later skew of the same node replaces this one.
      return later.type === 'node.skew' && later.node === fault.node;
    case 'node.restart':
    case 'node.resume':
    case 'net.heal':
    case 'link.release':
    case 'scenario.fault':
    case 'param.set':
      return false;
    default: {
      const unknownCommand: never = fault;
      return Boolean(unknownCommand);
    }
  }
}

/**
 * Whether a later command must stay after this one even though it does not undo it: a later
 * command of the same kind on the same node, link or parameter (two crashes of one node, two
 * settings of one parameter) would otherwise swap places and change what the run means.
 */
export function mustStayBefore(earlier: Command, later: Command): boolean {
  if (undoes(later, earlier)) return true;
  if (earlier.type !== later.type) return false;
  return targetOf(earlier) === targetOf(later);
}

function targetOf(command: Command): string {
  switch (command.type) {
    case 'node.crash':
    case 'node.restart':
    case 'node.pause':
    case 'node.resume':
    case 'node.skew':
    case 'net.isolate':
      return command.node;
    case 'scenario.fault':
      return `${command.fault}@${command.node}`;
    case 'link.set':
    case 'link.hold':
    case 'link.release':
      return `${command.from}>${command.to}`;
    case 'param.set':
      return command.key;
    case 'net.partition':
    case 'net.cut':
    case 'net.heal':
      return '';
    default: {
      const unknownCommand: never = command;
      return String(unknownCommand);
    }
  }
}
