import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment } from '../../engine/types.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import { type CqrsInstrumentData, cqrsInstrument } from './instrument.ts';
import { runFor, start } from './testKit.ts';

/**
 * The write-log instrument on the default run (seed 5), whose storyline slows the projector ×40
 * from 5 s for 6 s and adds q3 at 15 s: every read model at the head before; the projector and
 * the replicas fall behind (lagging at about 6.3 s) and catch up (about 11.6 s); q3 replays the
 * log from 0 and then stands at the head (joined at about 15.2 s). The baseline has no read side.
 */

function readingAt(sim: Simulation) {
  const reading = cqrsInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as CqrsInstrumentData };
}

const storyline = (() => {
  const sim = start(5);
  runFor(sim, 16_000);
  return {
    lagging: firstMomentOf(sim, 'projection-lagging'),
    caughtUp: firstMomentOf(sim, 'projection-caught-up'),
    joined: firstMomentOf(sim, 'replica-joined'),
  };
})();

function replayTo(moment: Moment, before = false): Simulation {
  const sim = start(5);
  sim.runUntil(moment.timeUs, moment.eventCount - (before ? 1 : 0));
  return sim;
}

describe('cqrs instrument', () => {
  it('reads every read model at the head before the slowdown', () => {
    const sim = start(5);
    runFor(sim, 4_000);
    const { data, description } = readingAt(sim);
    expect(data.hasReadSide).toBe(true);
    expect(data.head).toBeGreaterThan(0);
    expect(data.writesPerSecond).toBe(12);
    expect(data.laggingAt).toBe(12);
    expect(data.readers.map((reader) => reader.id)).toEqual(['projector', 'q1', 'q2']);
    expect(data.spares).toEqual(['q3', 'q4', 'q5', 'q6']);
    for (const reader of data.readers) expect(reader.lag, reader.id).toBeLessThan(data.laggingAt);
    expect(description).toMatch(/^Write log at \d+; .*projector/);
  });

  it('reads the projector a second of writes behind at the lagging moment, then caught up', () => {
    const lagging = readingAt(replayTo(storyline.lagging));
    const projector = lagging.data.readers[0];
    expect(projector?.lag).toBe(lagging.data.laggingAt);
    expect(projector?.position).toBe(lagging.data.head - lagging.data.laggingAt);
    expect(lagging.description).toContain(
      `projector at ${lagging.data.head - 12} (12 behind, ≈ 1.0 s)`,
    );
    const caughtUp = readingAt(replayTo(storyline.caughtUp));
    for (const reader of caughtUp.data.readers) expect(reader.lag, reader.id).toBe(0);
    expect(caughtUp.description).toBe(
      `Write log at ${caughtUp.data.head}; projector, q1 and q2 at ${caughtUp.data.head} (caught up).`,
    );
  });

  it('reads the added replica replaying from the start, then serving at the head', () => {
    const sim = start(5);
    runFor(sim, 15_010);
    const replaying = readingAt(sim);
    const q3 = replaying.data.readers.find((reader) => reader.id === 'q3');
    expect(q3?.isServing).toBe(false);
    expect(q3?.lag).toBeGreaterThan(replaying.data.laggingAt);
    expect(replaying.description).toMatch(/q3 at \d+ \(\d+ behind, ≈ \d+\.\d s, replaying\)/);
    expect(replaying.data.spares).toEqual(['q4', 'q5', 'q6']);
    const joined = readingAt(replayTo(storyline.joined));
    const served = joined.data.readers.find((reader) => reader.id === 'q3');
    expect(served?.isServing).toBe(true);
    expect(served?.position).toBe(served === undefined ? -1 : joined.data.head - served.lag);
  });

  it('says the baseline has one store and no read models', () => {
    const sim = start(5, { variant: 'baseline' });
    runFor(sim, 5_000);
    const { data, description } = readingAt(sim);
    expect(data.hasReadSide).toBe(false);
    expect(data.readers).toEqual([]);
    expect(description).toBe(
      `Write log at ${data.head}; no read models: one store serves reads and writes, so no read is behind.`,
    );
  });
});
