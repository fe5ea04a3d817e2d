import { fork } from 'node:child_process';
import { join } from 'node:path';
import { defaultHostOptions } from '../../src/worker/host.ts';
import type { LongRunResult } from './longRun.ts';
import { type PartOutcome, say, seconds } from './report.ts';

/*
 * Part 4: one long run through the host in a fresh Node process with --expose-gc (started here,
 * so `npm run soak` needs no flags), its heap after a full collection sampled every million
 * events.
 *
 * The rule for "no growth trend": the least-squares slope of heap over events, fitted to the
 * samples, is at most `slopeShareMax` of the samples' mean heap per million events, and the last
 * sample is at most `lastOverFirstMax` times the first. Checkpoints are kept up to the host's cap
 * and then thinned, so a bounded heap rises at first and then saws up and down; a leak of even a
 * few bytes per event rises steadily and fails the slope. A run whose checkpoint list fills to
 * the cap and is thinned passes instead when no sample after the first thinning exceeds the
 * highest heap before it by more than `lastOverFirstMax`: the heap has a ceiling, the cap's.
 * bench-mesh's checkpoints are the largest and fill the cap only after about 18 M events, so it
 * runs three times the events to show that ceiling.
 */

const slopeShareMax = 0.01;
const lastOverFirstMax = 1.1;
/**
 * The heavy load (100 nodes, about 2,000 messages in flight: the largest checkpoints) and a
 * typical scenario (small checkpoints, so the run reaches the checkpoint cap and thins).
 */
const scenarioIds = ['bench-mesh', 'leader-election'] as const;

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** Least-squares slope of y over x. */
function slopeOf(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const { x, y } of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) * (x - meanX);
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

function runChild(scenarioId: string, events: number): Promise<LongRunResult> {
  return new Promise((done, fail) => {
    const child = fork(join(import.meta.dirname, 'longRunChild.ts'), [scenarioId, String(events)], {
      execArgv: [...process.execArgv, '--expose-gc'],
    });
    child.once('message', (message: LongRunResult | { error: string }) => {
      if ('error' in message) fail(new Error(message.error));
      else done(message);
    });
    child.once('exit', (code) => {
      if (code !== 0) fail(new Error(`the long-run process exited with code ${String(code)}`));
    });
  });
}

/** Runs `events` events of each scenario and judges the heap samples. */
export async function soakMemory(events: number): Promise<PartOutcome> {
  const failures: string[] = [];
  for (const scenarioId of scenarioIds) {
    const count = scenarioId === 'bench-mesh' ? events * 3 : events;
    failures.push(...(await longRunOf(scenarioId, count)));
  }
  return { failures };
}

async function longRunOf(scenarioId: string, events: number): Promise<string[]> {
  say(
    'memory',
    `${scenarioId}, ${events.toLocaleString('en')} events through the host (1000x, wall-budgeted slices, frames acknowledged), heap after gc every 1 M events`,
  );
  const result = await runChild(scenarioId, events);
  say(
    'memory',
    `heap after load ${megabytes(result.loadedHeapBytes)}; ran in ${seconds(result.wallMs)}`,
  );
  for (const sample of result.samples) {
    say(
      'memory',
      `${(sample.events / 1e6).toFixed(2).padStart(6)} M events  heap ${megabytes(sample.heapBytes).padStart(9)}  ` +
        `simulated ${(sample.simulatedUs / 1e6).toFixed(0)} s  checkpoints ${sample.checkpoints}  ` +
        `pool slots ${sample.poolSlots}  queued ${sample.queued}  frames ${sample.frames}`,
    );
  }
  const points = result.samples.map((sample) => ({ x: sample.events / 1e6, y: sample.heapBytes }));
  const slope = slopeOf(points);
  const mean = points.reduce((sum, point) => sum + point.y, 0) / Math.max(1, points.length);
  const first = points[0]?.y ?? Number.NaN;
  const last = points[points.length - 1]?.y ?? Number.NaN;
  const slopeShare = slope / mean;
  const isFlat = slopeShare <= slopeShareMax && last <= first * lastOverFirstMax;
  const ceiling = ceilingOf(result.samples);
  say(
    'memory',
    `slope ${(slope / 1024).toFixed(1)} kB per M events (${(slopeShare * 100).toFixed(2)}% of the mean ${megabytes(mean)}; rule <= ${slopeShareMax * 100}%), ` +
      `first ${megabytes(first)} -> last ${megabytes(last)} (${(last / first).toFixed(3)}x; rule <= ${lastOverFirstMax}x): ` +
      (isFlat ? 'no growth trend' : ceiling === null ? 'GROWTH' : 'rises while checkpoints fill'),
  );
  if (ceiling !== null) {
    say(
      'memory',
      `checkpoint cap reached at ${ceiling.atMillions.toFixed(2)} M events: highest heap before ${megabytes(ceiling.before)}, ` +
        `after ${megabytes(ceiling.after)} (rule <= ${lastOverFirstMax}x): ` +
        (ceiling.isBounded ? 'bounded' : 'GROWTH past the cap'),
    );
  }
  if (isFlat || ceiling?.isBounded === true) return [];
  const lastSample = result.samples[result.samples.length - 1];
  const checkpointsPerMillion = (lastSample?.checkpoints ?? 0) / Math.max(1, points.length);
  if (checkpointsPerMillion > 0) {
    const perCheckpoint = slope / checkpointsPerMillion;
    say(
      'memory',
      `the heap rises with the checkpoint list: about ${megabytes(perCheckpoint)} per checkpoint, ` +
        `so up to ${megabytes(perCheckpoint * defaultHostOptions.checkpointsMax)} at the host's cap of ${defaultHostOptions.checkpointsMax} checkpoints`,
    );
  }
  return [
    `${scenarioId}: heap grew over the long run: slope ${(slope / 1024).toFixed(1)} kB per M events, first ${megabytes(first)}, last ${megabytes(last)}; reproduce: npm run soak -- --part memory --events ${events}`,
  ];
}

interface Ceiling {
  readonly atMillions: number;
  readonly before: number;
  readonly after: number;
  readonly isBounded: boolean;
}

/** The heap before and after the first checkpoint thinning, or null when the run had none. */
function ceilingOf(samples: LongRunResult['samples']): Ceiling | null {
  const thinned = samples.findIndex(
    (sample, index) => index > 0 && sample.checkpoints < (samples[index - 1]?.checkpoints ?? 0),
  );
  if (thinned < 0) return null;
  const before = Math.max(...samples.slice(0, thinned).map((sample) => sample.heapBytes));
  const after = Math.max(...samples.slice(thinned).map((sample) => sample.heapBytes));
  return {
    atMillions: (samples[thinned]?.events ?? 0) / 1e6,
    before,
    after,
    isBounded: after <= before * lastOverFirstMax,
  };
}
