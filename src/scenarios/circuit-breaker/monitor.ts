import type {
  MetricSpec,
  MomentSink,
  Monitor,
  NodeId,
  NodeView,
  WorldView,
} from '../../engine/types.ts';
import type { BreakerStateName } from './breaker.ts';
import { createMomentMemory, type MomentMemory, noticeMoments } from './moments.ts';
import { breakerStateNumber } from './protocol.ts';
import { busyWorkers } from './service.ts';
import {
  clientsOf,
  dependencyId,
  dependencyStateOf,
  isDependencyHealed,
  serviceId,
  serviceStateOf,
} from './world.ts';

/**
 * The scenario's metrics. Behaviours record what only they know (a request settled, a fallback
 * served, the breaker opened); the monitor samples what needs a look at several nodes or a rate
 * over time (throughput, pool and queue, calls reaching the dependency, the breaker's state) and
 * times how long the breaker takes to close once the dependency has healed.
 */
export const circuitBreakerMetrics: readonly MetricSpec[] = [
  {
    name: 'client-throughput',
    unit: 'req/s',
    description: 'Client requests answered with success (real or fallback) per second',
    aggregate: 'mean',
  },
  {
    name: 'client-success',
    unit: 'ratio',
    description:
      'Share of client requests answered with a Response or a Fallback in time (1) rather than a Failure or a timeout (0)',
    aggregate: 'mean',
  },
  {
    name: 'client-latency-p50',
    unit: 'ms',
    description: 'Time for a client request to settle (answer or client timeout), median',
    aggregate: 'p50',
  },
  {
    name: 'client-latency-p99',
    unit: 'ms',
    description: 'Time for a client request to settle (answer or client timeout), 99th percentile',
    aggregate: 'p99',
  },
  {
    name: 'service-latency-p99',
    unit: 'ms',
    description:
      'Time from a request reaching the service to its answer (queue wait included), 99th percentile',
    aggregate: 'p99',
  },
  {
    name: 'pool-busy',
    unit: 'workers',
    description: 'Service workers busy, sampled',
    aggregate: 'mean',
  },
  {
    name: 'queue-length',
    unit: 'requests',
    description: 'Requests waiting for a service worker, sampled',
    aggregate: 'mean',
  },
  {
    name: 'service-rejections',
    unit: 'requests',
    description: 'Requests the service turned away because its wait queue was full',
    aggregate: 'sum',
  },
  {
    name: 'fast-failures',
    unit: 'requests',
    description: 'Requests failed at once because the breaker refused the call (fallback off)',
    aggregate: 'sum',
  },
  {
    name: 'fallbacks',
    unit: 'requests',
    description: 'Requests answered with a fallback because the breaker refused the call',
    aggregate: 'sum',
  },
  {
    name: 'dependency-calls',
    unit: 'calls/s',
    description: 'Calls reaching the dependency per second',
    aggregate: 'mean',
  },
  {
    name: 'breaker-trips',
    unit: 'trips',
    description: 'Times the breaker opened (from closed, from half-open, or forced)',
    aggregate: 'sum',
  },
  {
    name: 'breaker-state',
    unit: 'state',
    description:
      'Breaker state, sampled: 0 closed (or disabled, metrics only), 1 half-open, 2 open (or forced open); pattern only',
    aggregate: 'last',
  },
  {
    name: 'time-to-close',
    unit: 'ms',
    description:
      'From the dependency healing (or the breaker opening, if later) to the breaker closing again; worst case',
    aggregate: 'max',
  },
];

/** How often the monitor samples (the engine also checks liveness on this tick). */
export const sampleIntervalUs = 250_000;
/** Recoveries waiting for the next sample are capped. */
const pendingSamplesMax = 1_000;

export interface BreakerMonitorMemory {
  /** Counters as last seen per node, to turn them into rates. */
  readonly lastCounts: Map<NodeId, number>;
  /** Since when the dependency has been healed; null while it is not. */
  healedSinceUs: number | null;
  /** When the breaker last left `closed` for `open`. */
  openedSinceUs: number;
  /** The breaker's state as last seen (null: service down; `none`: baseline). */
  lastBreaker: BreakerStateName | 'none' | null;
  readonly timesToCloseMs: number[];
  /** What the moments last reported (moments.ts). */
  readonly moments: MomentMemory;
}

export const circuitBreakerMonitor: Monitor<BreakerMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): BreakerMonitorMemory {
    return {
      lastCounts: new Map(),
      healedSinceUs: null,
      openedSinceUs: 0,
      lastBreaker: null,
      timesToCloseMs: [],
      moments: createMomentMemory(),
    };
  },

  observe(
    world: WorldView,
    node: NodeView | undefined,
    memory: BreakerMonitorMemory,
    moment: MomentSink,
  ): void {
    if (node !== undefined && node.id !== serviceId && node.id !== dependencyId) return;
    const now = world.nowUs;
    if (!isDependencyHealed(world)) memory.healedSinceUs = null;
    else memory.healedSinceUs ??= now;
    // What `breakerValueOf` reads, read once for the metric and the moments.
    const service = serviceStateOf(world);
    const breaker = service === null ? null : (service.breaker?.value ?? 'none');
    const last = memory.lastBreaker;
    if (breaker === 'open' && last === 'closed') memory.openedSinceUs = now;
    const wasOpenOrProbing = last === 'open' || last === 'half-open';
    if (breaker === 'closed' && wasOpenOrProbing && memory.healedSinceUs !== null) {
      const sinceUs = Math.max(memory.healedSinceUs, memory.openedSinceUs);
      if (memory.timesToCloseMs.length < pendingSamplesMax) {
        memory.timesToCloseMs.push((now - sinceUs) / 1000);
      }
    }
    memory.lastBreaker = breaker;
    noticeMoments(world, service, memory.moments, moment);
  },

  sample(world: WorldView, memory: BreakerMonitorMemory, record): void {
    const seconds = sampleIntervalUs / 1_000_000;
    let successes = 0;
    for (const client of clientsOf(world)) {
      successes += increase(memory, client.view.id, client.state?.succeeded ?? null);
    }
    record('client-throughput', successes / seconds);
    const dependency = dependencyStateOf(world);
    record(
      'dependency-calls',
      increase(memory, dependencyId, dependency?.received ?? null) / seconds,
    );
    const service = serviceStateOf(world);
    if (service !== null) {
      record('pool-busy', busyWorkers(service));
      record('queue-length', service.queue.length);
      if (service.breaker !== null) {
        record('breaker-state', breakerStateNumber[service.breaker.value]);
      }
    }
    for (const timeMs of memory.timesToCloseMs) record('time-to-close', timeMs);
    memory.timesToCloseMs.length = 0;
  },
};

/**
 * How much a node's counter grew since the last sample. A node that restarted counts from zero
 * again, so a counter below the last one seen is all new; a node that is down adds nothing.
 */
function increase(memory: BreakerMonitorMemory, id: NodeId, count: number | null): number {
  if (count === null) {
    memory.lastCounts.set(id, 0);
    return 0;
  }
  const last = memory.lastCounts.get(id) ?? 0;
  memory.lastCounts.set(id, count);
  return count >= last ? count - last : count;
}
