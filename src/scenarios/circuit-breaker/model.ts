import type {
  Behaviour,
  NodeId,
  ScenarioFaultSpec,
  Topology,
  TopologyNode,
  Variant,
} from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { clientBehaviour } from './client.ts';
import { dependencyBehaviour } from './dependency.ts';
import { closesAfterHeal, noCallsWhileOpen } from './invariants.ts';
import { circuitBreakerMoments } from './moments.ts';
import { circuitBreakerMetrics, circuitBreakerMonitor } from './monitor.ts';
import { circuitBreakerParams } from './params.ts';
import { clientRole, countParam, dependencyRole, paramOf, serviceRole } from './protocol.ts';
import { baselineServiceBehaviour, serviceBehaviour } from './service.ts';
import { circuitBreakerInstrument } from './instrument.ts';
import { circuitBreakerTour } from './tour.ts';
import { clientIdsFor, dependencyId, serviceId } from './world.ts';
import { jitteredLink } from '../kit/links.ts';

/** The number of clients from the parameter, a whole number inside the supported range. */
export function clientCountOf(params: Readonly<Record<string, number>>): number {
  const { min, max } = circuitBreakerParams.clientCount;
  return Math.min(max, Math.max(min, countParam({ params }, 'clientCount')));
}

/**
 * Clients on the left, the service in the middle, the dependency on the right. Links exist only
 * where requests flow: each client to the service, and the service to the dependency. The
 * service behaviour is the variant: with a breaker, or the baseline with plain timeouts only.
 */
export function buildTopology(
  params: Readonly<Record<string, number>>,
  variant: Variant,
  service: Behaviour = variant === 'pattern' ? serviceBehaviour : baselineServiceBehaviour,
): Topology {
  const clientIds = clientIdsFor(clientCountOf(params));
  const clients: TopologyNode[] = clientIds.map((id, index) => ({
    id,
    role: clientRole,
    behaviour: clientBehaviour,
    layout: { x: 0.1, y: (index + 1) / (clientIds.length + 1) },
  }));
  const nodes: TopologyNode[] = [
    ...clients,
    { id: serviceId, role: serviceRole, behaviour: service, layout: { x: 0.5, y: 0.5 } },
    {
      id: dependencyId,
      role: dependencyRole,
      behaviour: dependencyBehaviour,
      layout: { x: 0.88, y: 0.5 },
    },
  ];
  const links: (readonly [NodeId, NodeId])[] = [
    ...clientIds.map((id) => [id, serviceId] as const),
    [serviceId, dependencyId],
  ];
  return { nodes, links, linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')) };
}

/** Faults on the dependency, and the operator's controls on the service's breaker. */
export const circuitBreakerFaults: readonly ScenarioFaultSpec[] = [
  {
    id: 'slow',
    label: 'Make slow',
    help: 'The dependency works this many times slower (calls in progress too) until it recovers.',
    roles: [dependencyRole],
    args: {
      factor: {
        label: 'Slowdown',
        default: 20,
        min: 2,
        max: 100,
        step: 1,
        unit: '×',
        help: 'How many times slower each call becomes.',
      },
    },
  },
  {
    id: 'errors',
    label: 'Return errors',
    help: 'The dependency answers this share of calls with an error until it recovers.',
    roles: [dependencyRole],
    args: {
      ratePercent: {
        label: 'Error rate',
        default: 80,
        min: 1,
        max: 100,
        step: 1,
        unit: '%',
        help: 'Share of calls that end in an error.',
      },
    },
  },
  {
    id: 'recover',
    label: 'Recover',
    help: 'Back to normal: normal speed, no errors (a scheduled incident still runs its course).',
    roles: [dependencyRole],
    args: {},
  },
  {
    id: 'force-open',
    kind: 'control',
    label: 'Force open',
    help: 'The operator opens the breaker by hand: calls stop until the wait in open elapses.',
    roles: [serviceRole],
    args: {},
  },
  {
    id: 'reset',
    kind: 'control',
    label: 'Reset breaker',
    help: 'The operator closes the breaker by hand and clears its window (it also ends a hold, a disable or metrics only).',
    roles: [serviceRole],
    args: {},
  },
  // Resilience4j's forced states: each stays until the operator resets the breaker.
  {
    id: 'hold-open',
    kind: 'control',
    label: 'Hold open',
    help: 'Forced open: every call is refused, with no wait and no trial calls, until the operator resets the breaker.',
    roles: [serviceRole],
    args: {},
  },
  {
    id: 'disable',
    kind: 'control',
    label: 'Disable breaker',
    help: 'Disabled: every call goes through and nothing is recorded, until the operator resets the breaker.',
    roles: [serviceRole],
    args: {},
  },
  {
    id: 'metrics-only',
    kind: 'control',
    label: 'Metrics only',
    help: 'Every call goes through and is recorded in the window, but the breaker never opens, until the operator resets it.',
    roles: [serviceRole],
    args: {},
  },
];

export const circuitBreaker = defineScenario({
  id: 'circuit-breaker',
  // Version 2: the breaker follows Resilience4j; version 1's rules are switches (params.ts).
  version: 2,
  title: 'Circuit Breaker',
  summary:
    'When a dependency fails or slows down, stop calling it: fail fast or serve a fallback, keep ' +
    'the service’s own workers free, and probe the dependency now and then until it recovers.',
  params: circuitBreakerParams,
  baselineLabel: 'no breaker',
  baselineSummary:
    'Plain call timeouts only: every request calls the dependency, so a slow one ties up the whole worker pool.',
  topology: (params, variant) => buildTopology(params, variant),
  metrics: circuitBreakerMetrics,
  monitor: circuitBreakerMonitor,
  moments: circuitBreakerMoments,
  invariants: [noCallsWhileOpen, closesAfterHeal],
  faults: circuitBreakerFaults,
  tour: circuitBreakerTour,
  instrument: circuitBreakerInstrument,
  // The incident starts at 10 s: at 1× the breaker opens about 11 s after Play.
  defaultSpeed: 1,
  defaultDurationMs: 60_000,
});
