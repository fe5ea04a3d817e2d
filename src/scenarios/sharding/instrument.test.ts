import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import { arcsMax, type ShardMapData, shardingInstrument } from './instrument.ts';
import { runFor, start } from './testKit.ts';

/**
 * The shard map reads the default run (seed 11) as its storyline plays: four shards at rest, s5
 * joining at 5 s with every key it is given still to move, the hand-off done about two seconds
 * later, key 42 hot on s2 with its queue full from about 16 s, and the single node of the
 * baseline holding everything.
 */

const seed = 11;

function readingAt(sim: Simulation) {
  const reading = shardingInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as ShardMapData };
}

/** A fresh default run stopped exactly at the first moment of `kind`. */
function atMoment(kind: string, variant: 'pattern' | 'baseline' = 'pattern'): Simulation {
  const probe = start(seed, { variant });
  runFor(probe, 30_000);
  const moment = firstMomentOf(probe, kind);
  const sim = start(seed, { variant });
  sim.runUntil(moment.timeUs, moment.eventCount);
  return sim;
}

describe('sharding instrument', () => {
  it('reads four shards at rest on the hash ring before the storyline starts', () => {
    const sim = start(seed);
    runFor(sim, 2_000);
    const { data, description } = readingAt(sim);
    expect(data.placement).toBe('consistent');
    expect(data.version).toBe(1);
    expect(data.rebalance).toBeNull();
    const holding = data.shards.filter((row) => row.role === 'active');
    expect(holding.map((row) => row.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(holding.reduce((sum, row) => sum + row.keys, 0)).toBe(data.keyCount);
    expect(holding.reduce((sum, row) => sum + row.share, 0)).toBeCloseTo(1, 3);
    for (const row of holding) expect(row.keys).toBe(row.tableKeys);
    expect(data.arcs.length).toBeLessThanOrEqual(arcsMax);
    expect(new Set(data.arcs.map((arc) => arc.shard))).toEqual(new Set([1, 2, 3, 4]));
    expect(data.hot).toBeNull();
    expect(description).toMatch(
      /^Shard map: 4 shards by consistent hashing \(table v1\), \d+–\d+ keys each; no keys moving\.$/,
    );
  });

  it('reads the joining shard with every planned key still to move, then the hand-off done', () => {
    const sim = atMoment('shard-added');
    const added = readingAt(sim);
    const move = added.data.rebalance;
    expect(move).not.toBeNull();
    expect(move?.kind).toBe('add');
    expect(move?.shard).toBe('s5');
    expect(move?.remaining).toBe(move?.plannedMoves);
    expect(added.data.shards.find((row) => row.id === 's5')?.role).toBe('joining');
    expect(added.data.arcs.some((arc) => arc.shard === 5)).toBe(true);
    expect(added.description).toContain(
      `s5 joined, ${move?.plannedMoves} of ${move?.plannedMoves} keys still to move to it`,
    );

    runFor(sim, 1_000);
    const midway = readingAt(sim).data.rebalance;
    expect(midway?.remaining).toBeGreaterThan(0);
    expect(midway?.remaining).toBeLessThan(move?.plannedMoves ?? 0);

    const done = readingAt(atMoment('handoff-done'));
    expect(done.data.rebalance).toBeNull();
    expect(done.data.version).toBe(2);
    const s5 = done.data.shards.find((row) => row.id === 's5');
    expect(s5?.keys).toBe(move?.plannedMoves);
    for (const row of done.data.shards) expect(row.keys).toBe(row.tableKeys);
    expect(done.description).toMatch(/^Shard map: 5 shards .*; no keys moving\.$/);
  });

  it('marks the hot key on its shard, whose queue is full, at the hot-key moment', () => {
    const { data, description } = readingAt(atMoment('hot-key'));
    expect(data.hot?.key).toBe(42);
    expect(data.hot?.shard).toBe('s2');
    const s2 = data.shards.find((row) => row.id === 's2');
    expect(s2?.held).toBe(s2?.capacity);
    expect(description).toMatch(/hot key 42 on s2, whose queue is full \(20 of 20\)\.$/);
    const cooled = readingAt(atMoment('shard-recovered'));
    expect(cooled.data.hot).toBeNull();
    expect(cooled.description).not.toContain('hot key');
  });

  it('reads the single node of the baseline', () => {
    const sim = start(seed, { variant: 'baseline' });
    runFor(sim, 2_000);
    const { data, description } = readingAt(sim);
    expect(data.isSingleNode).toBe(true);
    expect(data.shards).toHaveLength(1);
    expect(data.arcs).toEqual([{ from: 0, to: 1, shard: 1 }]);
    expect(description).toBe('Shard map: a single node holds all 1000 keys.');
  });

  it('reads without changing the run, and stays small', () => {
    const plain = start(seed);
    runFor(plain, 8_000);
    const watched = start(seed);
    let largest = 0;
    for (let ms = 0; ms < 8_000; ms += 100) {
      runFor(watched, 100);
      largest = Math.max(largest, JSON.stringify(readingAt(watched).data).length);
    }
    expect(watched.traceHash).toBe(plain.traceHash);
    expect(largest).toBeLessThan(3_500);
  });
});
