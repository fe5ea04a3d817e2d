import { describe, expect, it } from 'vitest';
import type { RecordedCommand, RunDescription } from '../engine/types.ts';
import { plantedViolation } from '../scenarios/planted-violation/model.ts';
import {
  assemble,
  commandEntriesByTime,
  movedTo,
  mustStayBefore,
  splitRun,
  undoes,
  withoutEventCounts,
} from './entries.ts';

/* Entries: what shrinking removes and moves, and which command ends which fault. */

const commands: RecordedCommand[] = [
  { atUs: 1000, event: 3, command: { type: 'node.crash', node: 'p1' } },
  { atUs: 2000, event: 9, command: { type: 'net.isolate', node: 'b1' } },
  { atUs: 3000, command: { type: 'net.heal' } },
  { atUs: 3000, command: { type: 'node.restart', node: 'p1' } },
  { atUs: 4000, command: { type: 'node.crash', node: 'p1' } },
];

const run: RunDescription = {
  scenarioId: plantedViolation.id,
  scenarioVersion: plantedViolation.version,
  seed: 3,
  variant: 'pattern',
  // One parameter at its default (not an entry) and one changed (an entry).
  params: { incrementIntervalMs: 200, flushDelayMs: 80 },
  commands,
};

describe('entries', () => {
  it('split a run into commands and changed parameters, and assemble it back', () => {
    const { base, entries } = splitRun(plantedViolation, run);
    expect(base.params).toEqual({ incrementIntervalMs: 200 });
    expect(base.commands).toEqual([]);
    expect(entries.map((entry) => entry.kind)).toEqual([
      'command',
      'command',
      'command',
      'command',
      'command',
      'param',
    ]);
    expect(assemble(base, entries)).toEqual(run);
    expect(assemble(base, entries.slice(0, 2)).params).toEqual({ incrementIntervalMs: 200 });
  });

  it('keep commands in time order, ties in their order, after a move', () => {
    const { base, entries } = splitRun(plantedViolation, run);
    const crash = entries[0];
    if (crash?.kind !== 'command') throw new Error('expected a command');
    const moved = entries.map((entry) => (entry.id === crash.id ? movedTo(crash, 3000) : entry));
    const types = assemble(base, moved).commands.map((record) => record.command.type);
    // The crash now shares 3 ms with the heal and the restart and stays before them.
    expect(types).toEqual(['net.isolate', 'node.crash', 'net.heal', 'node.restart', 'node.crash']);
    // A moved command applies by time: its recorded event count is gone.
    expect(assemble(base, moved).commands[1]).toEqual({
      atUs: 3000,
      command: { type: 'node.crash', node: 'p1' },
    });
    expect(commandEntriesByTime(moved).map((entry) => entry.id)).toEqual([1, 0, 2, 3, 4]);
  });

  it('drop recorded event counts on request', () => {
    const { entries } = splitRun(plantedViolation, run);
    expect(
      withoutEventCounts(entries).every(
        (entry) => entry.kind !== 'command' || !('event' in entry.record),
      ),
    ).toBe(true);
  });

  it('know which command ends which fault, as the chaos schedule pairs them', () => {
    expect(undoes({ type: 'node.restart', node: 'p1' }, { type: 'node.crash', node: 'p1' })).toBe(
      true,
    );
    expect(undoes({ type: 'node.restart', node: 'b1' }, { type: 'node.crash', node: 'p1' })).toBe(
      false,
    );
    expect(undoes({ type: 'net.heal' }, { type: 'net.isolate', node: 'b1' })).toBe(true);
    expect(undoes({ type: 'net.heal' }, { type: 'net.partition', groups: [['p1']] })).toBe(true);
    expect(undoes({ type: 'net.heal' }, { type: 'node.crash', node: 'p1' })).toBe(false);
    expect(
      undoes(
        { type: 'net.heal' },
        { type: 'link.set', from: 'p1', to: 'b1', lossProbability: 0.5 },
      ),
    ).toBe(true);
    expect(undoes({ type: 'node.crash', node: 'p1' }, { type: 'node.restart', node: 'p1' })).toBe(
      false,
    );
  });

  it('keep a command before its undo and before the next one like it on the same target', () => {
    const crash = { type: 'node.crash', node: 'p1' } as const;
    expect(mustStayBefore(crash, { type: 'node.restart', node: 'p1' })).toBe(true);
    expect(mustStayBefore(crash, { type: 'node.restart', node: 'b1' })).toBe(false);
    expect(mustStayBefore(crash, crash)).toBe(true);
    expect(
      mustStayBefore({ type: 'node.pause', node: 'p1' }, { type: 'node.resume', node: 'p1' }),
    ).toBe(true);
    expect(
      mustStayBefore(
        { type: 'link.hold', from: 'p1', to: 'b1' },
        { type: 'link.release', from: 'p1', to: 'b1' },
      ),
    ).toBe(true);
    expect(
      mustStayBefore(
        { type: 'param.set', key: 'a', value: 1 },
        { type: 'param.set', key: 'a', value: 2 },
      ),
    ).toBe(true);
    expect(
      mustStayBefore(
        { type: 'param.set', key: 'a', value: 1 },
        { type: 'param.set', key: 'b', value: 2 },
      ),
    ).toBe(false);
  });
});
