import type { LinkConfig } from '../src/engine/network.ts';
import { Simulation } from '../src/engine/simulation.ts';
import { pingPongModel, pingPongRun } from '../src/engine/testing/pingPong.ts';
import {
  type RepetitionPlan,
  collectGarbage,
  describeWallTimes,
  formatMegabytes,
  formatRate,
  formatRatio,
  garbageCollectorSource,
  interleave,
  median,
  millionsPerSecond,
} from './measure.ts';
import type { Workload } from './workloads.ts';

/**
 * The full engine on a network workload: the ping-pong model with 16 nodes pinging random peers
 * every 100 µs over a lossy, jittery, duplicating link, with the trace, its rolling hash,
 * metrics, the monitor and both invariants on (they are always on in a `Simulation`).
 */

/** The full engine must process at least this many M events/s on this workload. */
export const pingPongTargetRate = 5;

/**
 * The same target relative to the practical limit, for machines slower or faster than the
 * reference: BENCHMARKS.md measured the bare heap's hold-1k at 9.69 M events/s, so 5 M events/s
 * there is about 0.52 of the bare heap measured in the same run.
 */
const relativeTargetRatio = pingPongTargetRate / 9.69;

const nodeCount = 16;
const intervalUs = 100;

/** 0.2–1.5 ms of uniform jitter with a 1% tail ten times slower, 5% loss, 2% duplication. */
const lossyLink: LinkConfig = {
  latency: {
    kind: 'uniform',
    minUs: 200,
    maxUs: 1_500,
    slowTail: { probability: 0.01, factor: 10 },
  },
  lossProbability: 0.05,
  duplicateProbability: 0.02,
};

const model = pingPongModel(lossyLink, nodeCount);

function newSimulation(seed: number): Simulation {
  return new Simulation(model, pingPongRun(seed, { nodeCount, intervalUs }));
}

/** What one ping-pong run reports. */
interface PingPongResult {
  readonly events: number;
  readonly traceHash: string;
}

function runPingPong(seed: number, eventCount: number): PingPongResult {
  const simulation = newSimulation(seed);
  simulation.runUntil(Infinity, eventCount);
  return { events: simulation.eventCount, traceHash: simulation.traceHash };
}

/** Figure name of the ping-pong benchmark. */
export const pingPongFigureName = `ping-pong-${nodeCount}`;

/**
 * Times `eventCount` events of ping-pong against the bare heap's hold-1k run, interleaved, and
 * prints the figure. Every repetition must produce the same trace hash (same seed), or the
 * figure is void. Returns the summary line.
 */
export function benchPingPong(
  eventCount: number,
  seed: number,
  holdSmall: Workload,
  plan: RepetitionPlan,
  print: (line: string) => void,
): { summary: string; isVoid: boolean } {
  print(
    `${pingPongFigureName}: full engine, ${nodeCount} nodes pinging every ${intervalUs} µs, ` +
      `lossy jittery link, tracing + hash on, ${eventCount} events per run`,
  );
  const contenders = [
    { name: 'engine', run: () => runPingPong(seed, eventCount) },
    {
      name: 'bare',
      run: (): PingPongResult => {
        const result = holdSmall.run.bare();
        return { events: result.events, traceHash: String(result.checksum) };
      },
    },
  ];
  const [engine, bare] = interleave(contenders, plan);
  if (engine === undefined || bare === undefined) throw new Error('interleave lost a contender');
  const hashes = new Set(engine.results.map((result) => `${result.events}/${result.traceHash}`));
  const engineRate = millionsPerSecond(engine.results[0]?.events ?? 0, median(engine.wallMs));
  const bareRate = millionsPerSecond(bare.results[0]?.events ?? 0, median(bare.wallMs));
  print(`  engine ${describeWallTimes(engine.wallMs)}  ${formatRate(engineRate)} M ev/s`);
  print(
    `  bare   ${describeWallTimes(bare.wallMs)}  ${formatRate(bareRate)} M ev/s (${holdSmall.name})`,
  );
  print(`  trace hash ${engine.results[0]?.traceHash ?? '-'}`);
  if (hashes.size !== 1) {
    const summary = `${pingPongFigureName}: VOID — repetitions disagree: ${[...hashes].join(', ')}`;
    print(summary);
    return { summary, isVoid: true };
  }
  const ratio = engineRate / bareRate;
  const verdict =
    (engineRate >= pingPongTargetRate ? 'target met' : 'MISSED') +
    (ratio >= relativeTargetRatio ? ', relative target met' : ', relative target MISSED');
  const summary =
    `${pingPongFigureName}: engine ${formatRate(engineRate)} M ev/s (target ≥${pingPongTargetRate} M ev/s) — ` +
    `engine/bare(${holdSmall.name}) ${formatRatio(ratio)} (bare ${formatRate(bareRate)} M ev/s; ` +
    `relative target ≥${formatRatio(relativeTargetRatio)}) — ${verdict}`;
  print(summary);
  return { summary, isVoid: false };
}

/** Samples closer than this to each other count as flat (allocation noise between GCs). */
const flatBytes = 1_048_576;

/**
 * Runs one ping-pong simulation for `eventCount` events in `chunkCount` chunks, sampling the heap
 * after a full GC at the end of each chunk, and prints start, end and peak, the slope, and
 * whether the heap grows. The first chunk is warm-up (code, pools and windows filling up); the
 * trend compares the mean of the last third of the samples with the mean of the first third.
 */
export function benchMemory(
  eventCount: number,
  chunkCount: number,
  wallMsMax: number,
  seed: number,
  print: (line: string) => void,
): string {
  print(
    `memory: ${pingPongFigureName}, ${eventCount} events in one run, heap sampled every ${eventCount / chunkCount} events`,
  );
  if (garbageCollectorSource === null) {
    const summary =
      'memory: skipped — no GC function; run with `node --expose-gc --import tsx bench/main.ts memory`';
    print(summary);
    return summary;
  }
  const simulation = newSimulation(seed);
  const chunk = Math.ceil(eventCount / chunkCount);
  const samples: number[] = [];
  const started = performance.now();
  let isCut = false;
  for (let i = 0; i < chunkCount; i++) {
    simulation.runUntil(Infinity, chunk);
    collectGarbage();
    samples.push(process.memoryUsage().heapUsed);
    if (performance.now() - started > wallMsMax && i + 1 < chunkCount) {
      isCut = true;
      break;
    }
  }
  const wallMs = performance.now() - started;
  const cutNote = isCut
    ? ` (STOPPED EARLY at the ${(wallMsMax / 1000).toFixed(0)} s wall-time cap: the engine ran too slowly for ${eventCount} events)`
    : '';
  const steady = samples.slice(1);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const early = mean(steady.slice(0, third));
  const late = mean(steady.slice(-third));
  const slope = slopePerMillion(steady, chunk);
  const isGrowing = late - early > Math.max(flatBytes, 0.05 * early);
  print(`  samples (MB): ${samples.map((bytes) => (bytes / 1_048_576).toFixed(1)).join(' ')}`);
  const summary =
    `memory: ${simulation.eventCount} events in ${(wallMs / 1000).toFixed(1)} s${cutNote} — heap after GC ` +
    `${formatMegabytes(steady[0] ?? 0)} at start, ${formatMegabytes(steady.at(-1) ?? 0)} at end, ` +
    `peak ${formatMegabytes(Math.max(...steady))}, slope ${(slope / 1024).toFixed(1)} KB per M events — ` +
    (isGrowing ? 'GROWTH TREND (target: bounded)' : 'bounded, no growth trend (target met)');
  print(summary);
  return summary;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

/** Least-squares slope of the samples, in bytes per million events. */
function slopePerMillion(samples: readonly number[], eventsPerSample: number): number {
  const n = samples.length;
  if (n < 2) return 0;
  const xMean = (n - 1) / 2;
  const yMean = mean(samples);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    numerator += (i - xMean) * ((samples[i] as number) - yMean);
    denominator += (i - xMean) * (i - xMean);
  }
  return (numerator / denominator) * (1_000_000 / eventsPerSample);
}
