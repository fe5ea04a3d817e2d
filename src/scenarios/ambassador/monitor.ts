import type {
  MetricSpec,
  MomentSink,
  Monitor,
  NodeId,
  NodeView,
  WorldView,
} from '../../engine/types.ts';
import { createMomentMemory, type MomentMemory, noticeMoments } from './moments.ts';
import { ambassadorsOf, appsOf, remotesOf } from './world.ts';

/**
 * The scenario's metrics. What one node knows it records itself: the app its requests' outcome
 * and latency (with the pattern, the ambassador's answers), the ambassador the attempts each
 * request took, its hedges, budget refusals, breaker trips and discarded answers. Rates across
 * nodes (requests, retries and calls reaching the remotes per second, the amplification between
 * them) are the monitor's: it reads the nodes' counters every half second.
 */

/** The most remote instances a run can have (one load metric each). */
export const remoteMetricsMax = 3;

export function remoteLoadMetric(index: number): string {
  return `load-remote-${index + 1}`;
}

export const ambassadorMetrics: readonly MetricSpec[] = [
  {
    name: 'app-rps',
    unit: 'req/s',
    description: 'Requests the apps send per second, all apps together',
    aggregate: 'mean',
  },
  {
    name: 'app-success',
    unit: 'ratio',
    description: 'Share of app requests answered with success (1) rather than failing (0)',
    aggregate: 'mean',
  },
  {
    name: 'app-latency',
    unit: 'ms',
    description: 'Latency of successful app requests, retries and backoff included (p50)',
    aggregate: 'p50',
  },
  {
    name: 'app-latency-p99',
    unit: 'ms',
    description: 'Latency of successful app requests, retries and backoff included (p99)',
    aggregate: 'p99',
  },
  {
    name: 'attempts-per-request',
    unit: 'attempts',
    description: 'Attempts the ambassador made per answered request (hedges included)',
    aggregate: 'mean',
  },
  {
    name: 'retries-per-s',
    unit: 'retries/s',
    description: 'Retries the ambassadors send per second (hedges not included)',
    aggregate: 'mean',
  },
  {
    name: 'hedges',
    unit: 'hedges',
    description: 'Hedged attempts sent',
    aggregate: 'sum',
  },
  {
    name: 'budget-exhausted',
    unit: 'refusals',
    description: 'Retries and hedges the retry budget refused',
    aggregate: 'sum',
  },
  {
    name: 'remote-rps',
    unit: 'calls/s',
    description: 'Calls reaching the remote instances per second, all instances together',
    aggregate: 'mean',
  },
  {
    name: 'amplification',
    unit: '×',
    description: 'Calls reaching the remotes per app request, over each half second',
    aggregate: 'mean',
  },
  ...Array.from({ length: remoteMetricsMax }, (_, index) => ({
    name: remoteLoadMetric(index),
    unit: 'calls/s',
    description: `Calls reaching remote-${index + 1} per second`,
    aggregate: 'mean' as const,
  })),
  {
    name: 'remote-queue',
    unit: 'calls',
    description: 'Calls waiting in the remote instances’ queues, all instances together',
    aggregate: 'max',
  },
  {
    name: 'breaker-trips',
    unit: 'trips',
    description: 'Times a per-instance breaker opened (breakers on)',
    aggregate: 'sum',
  },
  {
    name: 'discarded-answers',
    unit: 'answers',
    description:
      'Answers that came too late to use (after a per-try timeout, after the request was answered, or after the app gave up): wasted remote work',
    aggregate: 'sum',
  },
];

export const sampleIntervalUs = 500_000;

export interface AmbassadorMonitorMemory {
  /** `node/counter` → the value last read. */
  readonly last: Map<string, number>;
  lastSampleUs: number;
  /** What the moments last reported (moments.ts). */
  readonly moments: MomentMemory;
}

/** How much a counter grew since the last sample (a restarted node counts from zero). */
function delta(memory: AmbassadorMonitorMemory, node: NodeId, counter: string, value: number) {
  const key = `${node}/${counter}`;
  const last = memory.last.get(key) ?? 0;
  memory.last.set(key, value);
  return value >= last ? value - last : value;
}

export const ambassadorMonitor: Monitor<AmbassadorMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): AmbassadorMonitorMemory {
    return { last: new Map(), lastSampleUs: 0, moments: createMomentMemory() };
  },

  observe(
    world: WorldView,
    node: NodeView | undefined,
    memory: AmbassadorMonitorMemory,
    moment: MomentSink,
  ): void {
    noticeMoments(world, node, memory.moments, moment);
  },

  sample(world: WorldView, memory: AmbassadorMonitorMemory, record): void {
    const seconds = (world.nowUs - memory.lastSampleUs) / 1_000_000;
    memory.lastSampleUs = world.nowUs;
    if (seconds <= 0) return;
    let issued = 0;
    for (const app of appsOf(world)) {
      if (app.state !== null) issued += delta(memory, app.id, 'issued', app.state.issued);
    }
    let retries = 0;
    for (const ambassador of ambassadorsOf(world)) {
      const counters = ambassador.state?.counters;
      if (counters !== undefined)
        retries += delta(memory, ambassador.id, 'retries', counters.retries);
    }
    let arrivals = 0;
    let queued = 0;
    remotesOf(world).forEach((remote, index) => {
      if (remote.state === null) return;
      const arrived = delta(memory, remote.id, 'arrivals', remote.state.arrivals);
      arrivals += arrived;
      queued += remote.state.queue.length;
      if (index < remoteMetricsMax) record(remoteLoadMetric(index), arrived / seconds);
    });
    record('app-rps', issued / seconds);
    if (ambassadorsOf(world).length > 0) record('retries-per-s', retries / seconds);
    record('remote-rps', arrivals / seconds);
    if (issued > 0) record('amplification', arrivals / issued);
    record('remote-queue', queued);
  },
};
