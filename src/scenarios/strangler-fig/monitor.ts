import type { MetricSpec, Monitor, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { createRouteTableSeen, observeRouteTable, type RouteTableSeen } from './moments.ts';
import { paramOf, routeNames } from './protocol.ts';
import { clientsOf, facadeDurable } from './world.ts';

/**
 * The scenario's metrics. Clients record what only they know per request (success, latency,
 * wrong answers); the facade records comparisons and rollbacks; the monitor turns the clients'
 * counters into per-interval figures (throughput, traffic shares, the error budget) and reads
 * the route table for the per-route bars.
 */

/** Metric name of the configured share to new of a route, for the bar chart. */
export function routeShareMetric(route: number): string {
  return `route-new-${routeNames[route] ?? String(route)}`;
}

export const stranglerFigMetrics: readonly MetricSpec[] = [
  {
    name: 'throughput',
    unit: 'req/s',
    description: 'Good answers per second, over all clients',
    aggregate: 'mean',
  },
  {
    name: 'success-rate',
    unit: 'ratio',
    description: 'Share of requests answered correctly and in time (1) rather than not (0)',
    aggregate: 'mean',
  },
  {
    name: 'latency-p50',
    unit: 'ms',
    description: 'Client-observed time to an answer (any answer; timeouts excluded), median',
    aggregate: 'p50',
  },
  {
    name: 'latency-p99',
    unit: 'ms',
    description:
      'Client-observed time to an answer (any answer; timeouts excluded), 99th percentile',
    aggregate: 'p99',
  },
  {
    name: 'share-legacy',
    unit: 'fraction',
    description: 'Share of the requests resolved in the last interval that legacy answered',
    aggregate: 'last',
  },
  {
    name: 'share-new',
    unit: 'fraction',
    description: 'Share of the requests resolved in the last interval that a new service answered',
    aggregate: 'last',
  },
  {
    name: 'share-failed',
    unit: 'fraction',
    description: 'Share of the requests resolved in the last interval that no back end answered',
    aggregate: 'last',
  },
  {
    name: 'client-errors',
    unit: 'requests',
    description: 'Client-visible failures: errors, timeouts and wrong answers',
    aggregate: 'sum',
  },
  {
    name: 'wrong-answers',
    unit: 'requests',
    description: 'Answers a client received with a wrong value',
    aggregate: 'sum',
  },
  {
    name: 'mismatches',
    unit: 'comparisons',
    description: 'Shadow answers that differed from legacy’s (never shown to a client)',
    aggregate: 'sum',
  },
  {
    name: 'shadow-compared',
    unit: 'comparisons',
    description: 'Shadow answers compared with legacy’s',
    aggregate: 'sum',
  },
  {
    name: 'rollbacks',
    unit: 'rollbacks',
    description: 'Routes the facade took back to legacy on its own',
    aggregate: 'sum',
  },
  {
    name: 'error-budget-spent',
    unit: '%',
    description:
      'Client-visible failures in the last budget period, as a share of what the SLO allows ' +
      '((100 − SLO) % of the requests the clients send in that period at the configured rate)',
    aggregate: 'max',
  },
  {
    name: 'users-exposed',
    unit: '%',
    description: 'Share of all users who have seen at least one failure so far',
    aggregate: 'last',
  },
  ...routeNames.map((name, route): MetricSpec => ({
    name: routeShareMetric(route),
    unit: '%',
    description: `Share of ${name} users the facade sends to new-${name} (0 after a rollback)`,
    aggregate: 'last',
  })),
];

/** How often the monitor samples (the engine also checks liveness on this tick). */
export const sampleIntervalUs = 500_000;
/** Budget entries kept at most (the longest period over the shortest interval). */
const budgetEntriesMax = 10_000;

interface Totals {
  readonly boots: number;
  readonly legacy: number;
  readonly new: number;
  readonly failed: number;
  readonly good: number;
  readonly bad: number;
}

export interface StranglerMonitorMemory {
  readonly last: Map<NodeId, Totals>;
  /** Failures per sample, newest last, pruned to the budget period. */
  readonly budget: { atUs: number; bad: number }[];
  /** `client:user` pairs that have seen a failure. */
  readonly exposed: Set<string>;
  /**
   * Per client, the boot and how many of its exposed users (a list that only grows within a
   * boot) are already in `exposed`: each sample adds only the new ones.
   */
  readonly exposedRead: Map<NodeId, { readonly boots: number; readonly count: number }>;
  /** The facade's decisions as last seen, for the moments (moments.ts). */
  readonly routeTable: RouteTableSeen;
}

export const stranglerFigMonitor: Monitor<StranglerMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): StranglerMonitorMemory {
    return {
      last: new Map(),
      budget: [],
      exposed: new Set(),
      exposedRead: new Map(),
      routeTable: createRouteTableSeen(),
    };
  },

  observe(world: WorldView, node: NodeView | undefined, memory: StranglerMonitorMemory, moment) {
    observeRouteTable(world, node, memory.routeTable, moment);
  },

  sample(world: WorldView, memory: StranglerMonitorMemory, record): void {
    const delta = collectDeltas(world, memory);
    record('throughput', (delta.good * 1_000_000) / sampleIntervalUs);
    const resolved = delta.legacy + delta.new + delta.failed;
    record('share-legacy', resolved === 0 ? 0 : delta.legacy / resolved);
    record('share-new', resolved === 0 ? 0 : delta.new / resolved);
    record('share-failed', resolved === 0 ? 0 : delta.failed / resolved);
    record('error-budget-spent', budgetSpentPct(world, memory, delta.bad));
    const users = clientsOf(world).length * Math.round(paramOf(world, 'usersPerClient'));
    record('users-exposed', users === 0 ? 0 : (100 * memory.exposed.size) / users);
    const durable = facadeDurable(world);
    durable.routes.forEach((config, route) => {
      const percent = durable.legacy === 'serving' ? config.percentNew : 100;
      record(routeShareMetric(route), percent);
    });
  },
};

/** What changed since the last sample, summed over clients (a restarted client starts at 0). */
function collectDeltas(world: WorldView, memory: StranglerMonitorMemory): Omit<Totals, 'boots'> {
  const sum = { legacy: 0, new: 0, failed: 0, good: 0, bad: 0 };
  for (const client of clientsOf(world)) {
    const state = client.state;
    if (state === undefined) continue;
    noteExposed(client.id, client.durable.boots, state.exposedUsers, memory);
    const now: Totals = {
      boots: client.durable.boots,
      legacy: state.answeredBy.legacy,
      new: state.answeredBy.new,
      failed: state.answeredBy.failed,
      good: state.good,
      bad: state.bad,
    };
    const seen = memory.last.get(client.id);
    const before = seen !== undefined && seen.boots === now.boots ? seen : undefined;
    sum.legacy += now.legacy - (before?.legacy ?? 0);
    sum.new += now.new - (before?.new ?? 0);
    sum.failed += now.failed - (before?.failed ?? 0);
    sum.good += now.good - (before?.good ?? 0);
    sum.bad += now.bad - (before?.bad ?? 0);
    memory.last.set(client.id, now);
  }
  return sum;
}

/** Adds the client's users exposed since the last sample to the set. */
function noteExposed(
  client: NodeId,
  boots: number,
  users: readonly number[],
  memory: StranglerMonitorMemory,
): void {
  const read = memory.exposedRead.get(client);
  const from = read !== undefined && read.boots === boots ? read.count : 0;
  for (let index = from; index < users.length; index++) {
    memory.exposed.add(`${client}:${users[index] ?? ''}`);
  }
  if (from !== users.length || read === undefined) {
    memory.exposedRead.set(client, { boots, count: users.length });
  }
}

/**
 * The error budget: the SLO allows (100 − SLO) % of requests to fail; over the budget period the
 * clients send clients × rate × period requests. Spent is the failures in the last period as a
 * percentage of that allowance.
 */
export function errorBudget(
  world: { readonly params: Readonly<Record<string, number>> },
  clientCount: number,
): number {
  const slo = paramOf(world, 'sloPct');
  const requests =
    clientCount * paramOf(world, 'requestRatePerS') * paramOf(world, 'budgetPeriodS');
  return ((100 - slo) / 100) * requests;
}

function budgetSpentPct(world: WorldView, memory: StranglerMonitorMemory, bad: number): number {
  const now = world.nowUs;
  const fromUs = now - paramOf(world, 'budgetPeriodS') * 1_000_000;
  memory.budget.push({ atUs: now, bad });
  while (
    memory.budget.length > budgetEntriesMax ||
    (memory.budget.length > 0 && (memory.budget[0]?.atUs ?? now) <= fromUs)
  ) {
    memory.budget.shift();
  }
  const failures = memory.budget.reduce((total, entry) => total + entry.bad, 0);
  const allowed = errorBudget(world, clientsOf(world).length);
  return allowed <= 0 ? 0 : (100 * failures) / allowed;
}
