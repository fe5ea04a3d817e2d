import { scenarioCatalogue } from '../../src/worker/catalogue.ts';
import type { SimHost } from '../../src/worker/host.ts';
import type { RunRequest } from '../../src/worker/protocol.ts';
import type { Scheduler } from '../../src/worker/scheduler.ts';
import { createInProcessTransport } from '../../src/worker/transport.ts';

/*
 * The long run of the soak's memory part, meant for a process started with --expose-gc: one run
 * played flat out through the host exactly as the worker plays it (wall-budgeted slices at
 * 1000x, a frame per slice, checkpoints, the page acknowledging frames), only with no waiting
 * between slices. Heap after a full collection is sampled every million events.
 */

/** One heap sample and what the host held at that moment. */
export interface HeapSample {
  readonly events: number;
  readonly heapBytes: number;
  readonly simulatedUs: number;
  readonly checkpoints: number;
  readonly poolSlots: number;
  readonly queued: number;
  readonly frames: number;
}

/** What the long run reports. */
export interface LongRunResult {
  readonly scenarioId: string;
  readonly loadedHeapBytes: number;
  readonly samples: readonly HeapSample[];
  readonly wallMs: number;
}

/**
 * The real clock, skipped forward instead of waited on: a task runs as soon as the one before it
 * is done, and the clock jumps to its due time, so each slice sees the interval the worker's
 * timer would give it and then spends real wall time within its budget.
 */
class FlatOutScheduler implements Scheduler {
  private readonly tasks: { readonly dueMs: number; readonly task: () => void }[] = [];
  private skippedMs = 0;

  now(): number {
    return performance.now() + this.skippedMs;
  }

  schedule(task: () => void, delayMs: number): () => void {
    const entry = { dueMs: this.now() + delayMs, task };
    this.tasks.push(entry);
    return () => {
      const index = this.tasks.indexOf(entry);
      if (index >= 0) this.tasks.splice(index, 1);
    };
  }

  /** Runs the next task at its due time; false when none is waiting. */
  runNext(): boolean {
    const entry = this.tasks.shift();
    if (entry === undefined) return false;
    this.skippedMs += Math.max(0, entry.dueMs - this.now());
    entry.task();
    return true;
  }
}

function heapAfterCollection(collect: () => void): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** The host's checkpoint list length (private; read for the figure only). */
function checkpointCount(host: SimHost): number {
  return host['checkpoints'].length;
}

/** Plays `scenarioId` until `eventsTotal` events, sampling the heap every million events. */
export function longRun(
  scenarioId: string,
  eventsTotal: number,
  collect: () => void,
): LongRunResult {
  const scheduler = new FlatOutScheduler();
  const transport = createInProcessTransport(scenarioCatalogue, scheduler, { isSynchronous: true });
  let frames = 0;
  let unacknowledged = 0;
  const failures: string[] = [];
  transport.subscribe((message) => {
    if (message.type === 'frame') {
      frames++;
      unacknowledged++;
    } else if (message.type === 'error') failures.push(message.message);
  });
  const run: RunRequest = { scenarioId, seed: 1, variant: 'pattern', params: {}, commands: [] };
  transport.send({ type: 'load', requestId: 1, run });
  transport.send({ type: 'speed', speed: 1000 });
  const loadedHeapBytes = heapAfterCollection(collect);
  const sim = transport.host.simulation;
  if (sim === null) throw new Error(`${scenarioId} did not load: ${failures.join('; ')}`);
  const samples: HeapSample[] = [];
  const started = performance.now();
  transport.send({ type: 'play' });
  let nextSampleAt = 1_000_000;
  while (nextSampleAt <= eventsTotal) {
    if (!scheduler.runNext())
      throw new Error(`playback stopped: ${failures.join('; ') || 'no slice scheduled'}`);
    // The page acknowledges the frames it has handled.
    for (; unacknowledged > 0; unacknowledged--) transport.send({ type: 'recycle', buffers: [] });
    const current = transport.host.simulation;
    if (current === null || current.eventCount < nextSampleAt) continue;
    samples.push({
      events: current.eventCount,
      heapBytes: heapAfterCollection(collect),
      simulatedUs: current.nowUs,
      checkpoints: checkpointCount(transport.host),
      poolSlots: current.pool.highWater,
      queued: current.queue.size,
      frames,
    });
    nextSampleAt += 1_000_000;
  }
  const wallMs = performance.now() - started;
  transport.close();
  return { scenarioId, loadedHeapBytes, samples, wallMs };
}
