import { beforeAll, describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { metricSamplesMax, pendingSamplesMax } from '../engine/metrics.ts';
import { defaultHostOptions, framesAheadMax, type HostOptions } from './host.ts';
import type { FromWorker, RunRequest } from './protocol.ts';
import { ManualScheduler } from './scheduler.ts';
import { pingPongScenario, testCatalogue } from './testing/testCatalogue.ts';
import { createInProcessTransport } from './transport.ts';

/*
 * A long run keeps memory bounded: everything the host and its simulation accumulate per event,
 * per frame or per simulated second has a cap, and the caps hold. The structures are measured,
 * not the heap (`npm run soak` measures the heap over 10 M events): the checkpoint list, the
 * trace window, the event pool, the metric buffers and the frames a slow page has not handled.
 * Small caps make a short run reach each of them.
 */

const checkpointsMax = 8;
const options: HostOptions = {
  ...defaultHostOptions,
  checkpointIntervalUs: 50_000,
  checkpointsMax,
};
const durationUs = 40_000_000;
const run: RunRequest = {
  scenarioId: 'ping-pong',
  seed: 7,
  variant: 'pattern',
  params: {},
  // Crashes, partitions and lossy links keep messages and timers coming and going.
  commands: chaosScheduleFor(pingPongScenario, 7, 'pattern', {}, durationUs),
};

/** What the long run left behind, read at every slice. */
interface Peaks {
  checkpoints: number;
  poolSlots: number;
  metricPending: number;
  metricRecent: number;
  framesUnhandled: number;
  checkpointTimesAscending: boolean;
}

/**
 * Plays `run` at top speed to `untilUs` through the host, the page handling frames only every
 * third slice (a busy page), and records the largest size of each structure along the way.
 */
function playLong(untilUs: number): { peaks: Peaks; events: number; traceWindow: number[] } {
  const scheduler = new ManualScheduler();
  const transport = createInProcessTransport(testCatalogue, scheduler, {
    isSynchronous: true,
    host: options,
  });
  let unhandled = 0;
  const errors: string[] = [];
  transport.subscribe((message: FromWorker) => {
    if (message.type === 'frame') unhandled++;
    if (message.type === 'error') errors.push(message.message);
  });
  transport.send({ type: 'load', requestId: 1, run });
  transport.send({ type: 'speed', speed: options.speedMax });
  // The page handles the frames of the load at once; from then on it lags.
  for (; unhandled > 0; unhandled--) transport.send({ type: 'recycle', buffers: [] });
  transport.send({ type: 'play' });
  const host = transport.host;
  const peaks: Peaks = {
    checkpoints: 0,
    poolSlots: 0,
    metricPending: 0,
    metricRecent: 0,
    framesUnhandled: 0,
    checkpointTimesAscending: true,
  };
  const traceWindow: number[] = [];
  for (let slice = 0; (host.simulation?.nowUs ?? untilUs) < untilUs; slice++) {
    scheduler.advance(options.sliceIntervalMs);
    const sim = host.simulation;
    if (sim === null) break;
    const checkpoints = host['checkpoints'];
    peaks.checkpoints = Math.max(peaks.checkpoints, checkpoints.length);
    peaks.checkpointTimesAscending &&= checkpoints.every(
      (checkpoint, i) => i === 0 || (checkpoints[i - 1]?.timeUs ?? 0) < checkpoint.timeUs,
    );
    peaks.poolSlots = Math.max(peaks.poolSlots, sim.pool.highWater);
    peaks.metricPending = Math.max(peaks.metricPending, sim.metrics.pendingCount);
    for (const state of sim.metrics.snapshot())
      peaks.metricRecent = Math.max(peaks.metricRecent, state.recentLength);
    peaks.framesUnhandled = Math.max(peaks.framesUnhandled, unhandled);
    traceWindow.push(sim.traceEvents(0).length);
    if (slice % 3 === 2) {
      for (; unhandled > 0; unhandled--) transport.send({ type: 'recycle', buffers: [] });
    }
  }
  const events = host.simulation?.eventCount ?? 0;
  transport.close();
  expect(errors).toEqual([]);
  return { peaks, events, traceWindow };
}

describe('a long run through the host', () => {
  let short: ReturnType<typeof playLong>;
  let long: ReturnType<typeof playLong>;
  beforeAll(() => {
    short = playLong(durationUs / 4);
    long = playLong(durationUs);
  });

  it('runs long enough to reach every cap', () => {
    expect(long.events).toBeGreaterThan(4 * short.events - short.events / 2);
    expect(long.events).toBeGreaterThan(100_000);
  });

  it('thins checkpoints at the cap instead of growing the list', () => {
    // Without thinning, 40 s at one checkpoint per 50 ms would keep 800.
    expect(long.peaks.checkpoints).toBeLessThanOrEqual(checkpointsMax);
    expect(long.peaks.checkpoints).toBeGreaterThan(checkpointsMax / 2);
    expect(long.peaks.checkpointTimesAscending).toBe(true);
  });

  it('keeps the trace window at its size while the hash covers every event', () => {
    const windowMax = Math.max(...long.traceWindow);
    expect(windowMax).toBe(Math.max(...short.traceWindow));
    expect(windowMax).toBeLessThan(long.events);
  });

  it('reuses event pool slots: four times the events, the same high-water mark', () => {
    expect(long.peaks.poolSlots).toBe(short.peaks.poolSlots);
  });

  it('caps the metric samples waiting for a frame and those kept per metric', () => {
    // Skipped frames (the page is behind) let samples pile up: up to the cap, not beyond.
    expect(long.peaks.metricPending).toBeGreaterThan(0);
    expect(long.peaks.metricPending).toBeLessThanOrEqual(pendingSamplesMax);
    expect(long.peaks.metricRecent).toBe(metricSamplesMax);
  });

  it('sends a busy page no more than the frames it may have unhandled', () => {
    expect(long.peaks.framesUnhandled).toBeLessThanOrEqual(framesAheadMax);
  });
});
