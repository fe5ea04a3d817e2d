import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment } from '../../engine/types.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import { type EventSourcingInstrumentData, eventSourcingInstrument } from './instrument.ts';
import { auditId, balancesId } from './protocol.ts';
import { at, fault, runFor, start } from './testKit.ts';
import { storeDurableOf } from './world.ts';

/**
 * The streams instrument on the default run (seed 5): nothing but appends until the first
 * conflict is retried at about 9.8 s (acct-6, in both variants), then more conflicts; with
 * `snapshotEvery` 10 the first snapshot (acct-1) at about 2.3 s; an operator rebuild of
 * `balances` at 10 s replays the log from 0 in a few ms.
 */

type Variant = 'pattern' | 'baseline';

function readingAt(sim: Simulation) {
  const reading = eventSourcingInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as EventSourcingInstrumentData };
}

function replayTo(moment: Moment, variant: Variant, before = false): Simulation {
  const sim = start(5, { variant });
  sim.runUntil(moment.timeUs, moment.eventCount - (before ? 1 : 0));
  return sim;
}

const firstConflict = (variant: Variant): Moment => {
  const sim = start(5, { variant });
  runFor(sim, 12_000);
  return firstMomentOf(sim, 'conflict-retried');
};

describe('event sourcing instrument', () => {
  it('reads each stream’s newest events by version, and the projections at the head', () => {
    const sim = start(5);
    runFor(sim, 9_000);
    const { data, description } = readingAt(sim);
    const store = storeDurableOf(sim);
    expect(data.hasLog).toBe(true);
    expect(data.head).toBe(store?.log.length);
    expect(data.streamCount).toBe(6);
    expect(data.streams.map((stream) => stream.stream)).toEqual([
      'acct-1',
      'acct-2',
      'acct-3',
      'acct-4',
      'acct-5',
      'acct-6',
    ]);
    for (const stream of data.streams) {
      const versions = stream.events.map((event) => event.version);
      expect(versions.length, stream.stream).toBe(Math.min(5, stream.version));
      expect(versions.at(-1), stream.stream).toBe(store?.streams.get(stream.stream)?.length);
      expect(versions, stream.stream).toEqual(
        versions.map((_, i) => stream.version - versions.length + 1 + i),
      );
      for (const event of stream.events) expect(event.position).toBeLessThanOrEqual(data.head);
      expect(stream.snapshotVersion).toBeNull();
    }
    expect(data.snapshotEvery).toBe(0);
    expect(data.projections.map((cursor) => cursor.id)).toEqual([balancesId, auditId]);
    for (const cursor of data.projections) expect(cursor.position + cursor.lag).toBe(data.head);
    expect(data.retried).toBe(0);
    expect(data.lastConflict).toBeNull();
    expect(description).toMatch(
      new RegExp(
        `^Streams: 6 streams, ${data.head} events; no conflicts yet; projections? '(balances|audit)'`,
      ),
    );
  });

  it('reads the first retried conflict: its stream, expected and actual versions', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const moment = firstConflict(variant);
      const before = readingAt(replayTo(moment, variant, true));
      expect(before.data.lastConflict, variant).toBeNull();
      expect(before.data.retried, variant).toBe(0);
      const after = readingAt(replayTo(moment, variant));
      const last = after.data.lastConflict;
      expect(after.data.retried, variant).toBe(1);
      expect(last?.handler, variant).toBe(moment.nodes[0]);
      expect(last?.stream, variant).toBe('acct-6');
      expect(moment.text, variant).toContain(`append to ${last?.stream ?? ''}`);
      expect(last?.retry, variant).toBe(1);
      expect(last?.actualVersion ?? 0, variant).toBeGreaterThan(last?.expectedVersion ?? 0);
      expect(after.description, variant).toContain(
        `1 conflict retried, the last on acct-6 (expected v${last?.expectedVersion ?? -1}, ` +
          `was v${last?.actualVersion ?? -1})`,
      );
      const stream = after.data.streams.find((each) => each.stream === 'acct-6');
      expect(stream?.version ?? 0, variant).toBeGreaterThanOrEqual(last?.actualVersion ?? 1);
    }
  });

  it('counts every conflict retried as the run goes on', () => {
    const sim = start(5);
    runFor(sim, 30_000);
    const { data, description } = readingAt(sim);
    const retried = sim.moments.filter((moment) => moment.kind === 'conflict-retried');
    expect(data.retried).toBe(retried.length);
    expect(data.retried).toBeGreaterThan(1);
    expect(data.lastConflict?.handler).toBe(retried.at(-1)?.nodes[0]);
    expect(description).toContain(`${retried.length} conflicts retried, the last on acct-`);
  });

  it('reads where each stream’s latest snapshot sits', () => {
    const params = { snapshotEvery: 10 };
    const probe = start(5, { params });
    runFor(probe, 5_000);
    const taken = firstMomentOf(probe, 'snapshot-taken');
    const sim = start(5, { params });
    sim.runUntil(taken.timeUs, taken.eventCount);
    const { data, description } = readingAt(sim);
    expect(data.snapshotEvery).toBe(10);
    expect(data.snapshotCount).toBe(1);
    const acct1 = data.streams.find((stream) => stream.stream === 'acct-1');
    expect(acct1?.snapshotVersion).toBe(10);
    expect(description).toContain('snapshots every 10 events (1 stream has one)');
    runFor(sim, 15_000);
    const later = readingAt(sim);
    const store = storeDurableOf(sim);
    expect(later.data.snapshotCount).toBe(store?.snapshots.size);
    expect(later.data.snapshotCount).toBeGreaterThan(1);
    for (const stream of later.data.streams) {
      const snapshot = store?.snapshots.get(stream.stream)?.version ?? null;
      expect(stream.snapshotVersion, stream.stream).toBe(snapshot);
      expect(snapshot ?? 0, stream.stream).toBeLessThanOrEqual(stream.version);
    }
  });

  it('reads a rebuilding projection’s cursor far behind the head, then back at it', () => {
    const commands = [at(10_000, fault('rebuild-projection', balancesId))];
    const sim = start(5, { commands });
    runFor(sim, 10_000);
    const rebuilding = firstMomentOf(sim, 'projection-rebuilding');
    const during = start(5, { commands });
    // Half a millisecond in: the control has wiped the view, the replay is on its way.
    during.runUntil(rebuilding.timeUs + 500);
    const { data, description } = readingAt(during);
    const balances = data.projections.find((cursor) => cursor.id === balancesId);
    expect(balances?.isRebuilding).toBe(true);
    expect(balances?.position).toBe(0);
    expect(balances?.lag).toBe(data.head);
    expect(description).toContain(
      `projection 'balances' at 0 (rebuilding, ${data.head} behind), projection 'audit' at`,
    );
    runFor(sim, 1_000);
    firstMomentOf(sim, 'projection-rebuilt');
    const rebuilt = readingAt(sim);
    const back = rebuilt.data.projections.find((cursor) => cursor.id === balancesId);
    expect(back?.isRebuilding).toBe(false);
    expect(back?.lag ?? -1).toBeLessThan(5);
  });

  it('says the baseline overwrites rows and has no history', () => {
    const sim = start(5, { variant: 'baseline' });
    runFor(sim, 5_000);
    const { data, description } = readingAt(sim);
    expect(data.hasLog).toBe(false);
    expect(data.head).toBe(0);
    expect(data.projections).toEqual([]);
    expect(data.streams.length).toBe(6);
    for (const row of data.streams) {
      expect(row.events).toEqual([]);
      expect(row.version).toBeGreaterThan(0);
      expect(row.balance).not.toBeNull();
    }
    expect(description).toBe(
      'CRUD store: 6 rows overwritten in place, no history and no projections; no conflicts yet.',
    );
  });
});
