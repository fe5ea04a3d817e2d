import { describe, expect, it } from 'vitest';
import { EventQueue } from '../src/engine/queue.ts';
import { Rng } from '../src/engine/rng.ts';
import { bareHeapPush, bareHeapRemoveRoot, createBareHeap } from './heap.ts';
import { drawTimerData, mixEvent, type WorkloadSizes } from './workloadData.ts';
import { createWorkloads, implementations } from './workloads.ts';

/*
 * The benchmark's comparisons are only worth something if the three implementations do the same
 * work. These tests run every workload, small, on the engine queue, SIM.JS and the bare heap and
 * require identical event counts and checksums; and they check that the checksum would notice
 * a wrong order, so a broken comparison cannot pass unnoticed.
 */

const smallSizes: WorkloadSizes = {
  timerCount: 20_000,
  holdEventCount: 20_000,
  holdSmallPendingCount: 100,
  holdLargePendingCount: 2_000,
  customerCount: 10_000,
};

const expectedEvents: Record<string, number> = {
  'timers-20k': smallSizes.timerCount,
  'hold-100': smallSizes.holdEventCount,
  'hold-2k': smallSizes.holdEventCount,
  'mm1-10k': 2 * smallSizes.customerCount,
};

describe('the three implementations of each workload', () => {
  const workloads = createWorkloads(smallSizes, 7);

  it('are the four workloads of BENCHMARKS.md', () => {
    expect(workloads.map((workload) => workload.name)).toEqual(Object.keys(expectedEvents));
  });

  for (const workload of workloads) {
    it(`fire the same events in the same order: ${workload.name}`, () => {
      const results = implementations.map((name) => workload.run[name]());
      for (const result of results) {
        expect(result).toEqual(results[0]);
        expect(result.events).toBe(expectedEvents[workload.name]);
      }
      // A second run of the same workload is identical (no state leaks between runs).
      expect(workload.run.engine()).toEqual(results[0]);
    });
  }
});

describe('the checksum', () => {
  it('matches an independent oracle for the timers: a stable sort by time', () => {
    const { timesUs } = drawTimerData(7, smallSizes.timerCount);
    const timeOf = (index: number): number => timesUs[index] as number;
    const order = Array.from(timesUs, (_, index) => index);
    const byTimeThenIndex = order.slice().sort((a, b) => timeOf(a) - timeOf(b) || a - b);
    const fold = (indices: readonly number[]): number =>
      indices.reduce((sum, index) => mixEvent(sum, timeOf(index), index), 0);
    const [timers] = createWorkloads(smallSizes, 7);
    expect(timers?.run.bare().checksum).toBe(fold(byTimeThenIndex));
    // Ties broken the other way (last scheduled first) must give another checksum: the workload
    // has ties (20k timers over 1M µs), and the checksum notices their order.
    const lastFirst = order.slice().sort((a, b) => timeOf(a) - timeOf(b) || b - a);
    expect(fold(lastFirst)).not.toBe(fold(byTimeThenIndex));
  });

  it('changes when two events swap, when a time changes or when a payload changes', () => {
    const base = mixEvent(mixEvent(0, 10, 1), 20, 2);
    expect(mixEvent(mixEvent(0, 20, 2), 10, 1)).not.toBe(base);
    expect(mixEvent(mixEvent(0, 10, 1), 21, 2)).not.toBe(base);
    expect(mixEvent(mixEvent(0, 10, 1), 20, 3)).not.toBe(base);
  });
});

describe('the bare heap', () => {
  it('pops in (time, seq) order like the engine queue, through interleaved pushes and pops', () => {
    const rng = Rng.fromSeed(3, 'bench-heap-test');
    const capacity = 5_000;
    const { times, seqs, payloads } = createBareHeap(capacity);
    const queue = new EventQueue(16);
    let size = 0;
    let seq = 0;
    let lastTime = -Infinity;
    let lastSeq = -1;
    // Mismatches are counted rather than asserted one by one: 40k `expect` calls are slow.
    let mismatchCount = 0;
    let popCount = 0;
    for (let step = 0; step < 40_000; step++) {
      const isPush = size === 0 || (size < capacity && rng.float() < 0.55);
      if (isPush) {
        // Few distinct times, many ties; never earlier than what was already popped.
        const timeUs = Math.max(lastTime, 0) + rng.int(50);
        bareHeapPush(times, seqs, payloads, size++, timeUs, seq, step);
        if (queue.push(timeUs, step) !== seq) mismatchCount++;
        seq++;
        continue;
      }
      const timeUs = times[0] as number;
      const entrySeq = seqs[0] as number;
      const payload = payloads[0] as number;
      bareHeapRemoveRoot(times, seqs, payloads, --size);
      const isInOrder = timeUs > lastTime || (timeUs === lastTime && entrySeq > lastSeq);
      if (!isInOrder || queue.peekTime() !== timeUs || queue.pop() !== payload) mismatchCount++;
      popCount++;
      lastTime = timeUs;
      lastSeq = entrySeq;
    }
    expect(mismatchCount).toBe(0);
    expect(popCount).toBeGreaterThan(10_000);
    expect(queue.size).toBe(size);
  });
});
