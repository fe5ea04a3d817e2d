import { performance } from 'node:perf_hooks';
import { scenarioCatalogue } from '../src/worker/catalogue.ts';
import type { FromWorker } from '../src/worker/protocol.ts';
import { ManualScheduler } from '../src/worker/scheduler.ts';
import { createInProcessTransport } from '../src/worker/transport.ts';
import { median } from './measure.ts';

/**
 * Seek speed (issue 7: a seek anywhere in a 10-minute simulated run takes at most 150 ms): a
 * scenario's host runs 10 simulated minutes (taking its checkpoints as the app's worker does),
 * then seeks to targets spread over the run in a fixed shuffled order (back and forth), each
 * timed from the request to the frame at the target. Same-run peer: replaying from the start to
 * each target, which is what a seek without checkpoints would cost.
 */

export const seekTargetMs = 150;
const runUs = 600_000_000;
const targetCount = 24;

/** Targets over the run in a fixed, shuffled order (a multiplicative walk, no randomness). */
function targets(): number[] {
  const out: number[] = [];
  for (let i = 0; i < targetCount; i++) {
    const slot = (i * 7) % targetCount;
    out.push(Math.round(((slot + 0.37) / targetCount) * runUs));
  }
  return out;
}

export interface SeekFigures {
  readonly scenarioId: string;
  readonly seekMedianMs: number;
  readonly seekMaxMs: number;
  readonly replayMedianMs: number;
}

export function benchSeek(scenarioId: string): SeekFigures {
  const transport = createInProcessTransport(scenarioCatalogue, new ManualScheduler(), {
    isSynchronous: true,
  });
  let lastTimeUs = -1;
  transport.subscribe((message: FromWorker) => {
    if (message.type === 'frame') lastTimeUs = message.frame.timeUs;
    if (message.type === 'error') throw new Error(message.message);
  });
  let requestId = 1;
  const run = { scenarioId, seed: 1, variant: 'pattern' as const, params: {}, commands: [] };
  transport.send({ type: 'load', requestId: requestId++, run });
  transport.send({ type: 'step', requestId: requestId++, mode: { kind: 'until', timeUs: runUs } });
  const seekMs: number[] = [];
  for (const target of targets()) {
    const started = performance.now();
    transport.send({ type: 'seek', requestId: requestId++, timeUs: target });
    seekMs.push(performance.now() - started);
    if (lastTimeUs !== target) throw new Error(`seek to ${target} ended at ${lastTimeUs}`);
  }
  // The peer: the same targets reached by replaying from time 0 (a fresh load each time).
  const replayMs: number[] = [];
  for (const target of targets().slice(0, 6)) {
    transport.send({ type: 'load', requestId: requestId++, run });
    const started = performance.now();
    transport.send({
      type: 'step',
      requestId: requestId++,
      mode: { kind: 'until', timeUs: target },
    });
    replayMs.push(performance.now() - started);
  }
  return {
    scenarioId,
    seekMedianMs: median(seekMs),
    seekMaxMs: Math.max(...seekMs),
    replayMedianMs: median(replayMs),
  };
}

/** `npx tsx bench/seekBench.ts [scenario…]`: prints the seek figures. */
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const ids = process.argv.slice(2);
  for (const id of ids.length > 0 ? ids : ['leader-election', 'cqrs', 'sharding']) {
    const figures = benchSeek(id);
    const verdict = figures.seekMaxMs <= seekTargetMs ? 'met' : 'MISSED';
    console.log(
      `seek-10min ${id}: median ${figures.seekMedianMs.toFixed(1)} ms, max ${figures.seekMaxMs.toFixed(1)} ms ` +
        `(target ≤ ${seekTargetMs} ms: ${verdict}); replay from 0 median ${figures.replayMedianMs.toFixed(0)} ms ` +
        `(seek is ${(figures.replayMedianMs / figures.seekMedianMs).toFixed(0)}× faster)`,
    );
  }
}
