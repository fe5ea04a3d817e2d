import type {
  NodeId,
  ScenarioFaultSpec,
  Topology,
  TopologyNode,
  Variant,
} from '../../engine/types.ts';
import { brokerBehaviour } from '../pub-sub/broker.ts';
import type { BrokerConfig } from '../pub-sub/brokerTypes.ts';
import { brokerRole } from '../pub-sub/protocol.ts';
import { brokerId } from '../pub-sub/roster.ts';
import { defineScenario } from '../define.ts';
import { clientBehaviour } from './client.ts';
import { commandServiceBehaviour } from './commandService.ts';
import { readModelIsPrefix, readModelsConverge } from './invariants.ts';
import { loadBalancerBehaviour } from './loadBalancer.ts';
import { cqrsInstrument } from './instrument.ts';
import { cqrsMoments } from './moments.ts';
import { cqrsMetrics, cqrsMonitor } from './monitor.ts';
import { cqrsParams } from './params.ts';
import { projectorBehaviour } from './projector.ts';
import {
  balancerId,
  balancerRole,
  clientIds,
  clientRole,
  commandId,
  commandRole,
  feedTopics,
  paramOf,
  projectorId,
  projectorRole,
  replicaIds,
  replicaRole,
  serviceId,
  serviceRole,
  msParamUs,
  countParam,
} from './protocol.ts';
import { queryReplicaBehaviour } from './queryReplica.ts';
import { singleServiceBehaviour } from './singleService.ts';
import { cqrsTour } from './tour.ts';
import { jitteredLink } from '../kit/links.ts';

/** An in-memory subscription would expire after this; the feed's only one is durable. */
const sessionTimeoutUs = 60_000_000;

/**
 * The change feed: the Pub/Sub scenario's broker, configured for the guarantees a read side
 * needs. At-least-once delivery with acks, a persistent broker and the block-publisher policy:
 * no acknowledged change is ever dropped (a full queue refuses the publish instead, and the
 * command service keeps it in its log and retries). One durable subscription, the projector's,
 * on every key topic.
 */
export const cqrsBrokerConfig: BrokerConfig = {
  settings(params) {
    const holder = { params };
    return {
      isAtLeastOnce: true,
      isPersistent: true,
      queueCapacity: countParam(holder, 'feedQueueCapacity'),
      overflow: 'block-publisher',
      ackTimeoutUs: msParamUs(holder, 'ackTimeoutMs'),
      sessionTimeoutUs,
    };
  },
  durableSubscriptions(params) {
    return [{ subscriber: projectorId, topics: feedTopics(params) }];
  },
  metrics: { redeliveries: 'feed-redeliveries' },
};

export const cqrsBroker = brokerBehaviour(cqrsBrokerConfig);

/** Spreads nodes evenly down a column at `x`, between `top` and `bottom`. */
function column(ids: readonly NodeId[], x: number, top = 0, bottom = 1) {
  return ids.map((id, index) => ({
    id,
    layout: { x, y: top + ((bottom - top) * (index + 1)) / (ids.length + 1) },
  }));
}

/**
 * Clients on the left (below the legend's corner); the write path along the top, zigzagging so
 * its labels do not collide (command service, broker, projector); the load balancer (read path)
 * in the middle; the query replicas down the right.
 */
export function buildTopology(
  params: Readonly<Record<string, number>>,
  variant: Variant,
): Topology {
  const clients: TopologyNode[] = column(clientIds(params), 0.06, 0.25, 1).map((node) => ({
    ...node,
    role: clientRole,
    behaviour: clientBehaviour,
  }));
  const links: (readonly [NodeId, NodeId])[] = [];
  if (variant === 'baseline') {
    const service: TopologyNode = {
      id: serviceId,
      role: serviceRole,
      behaviour: singleServiceBehaviour,
      layout: { x: 0.55, y: 0.5 },
    };
    for (const client of clients) links.push([client.id, serviceId]);
    return {
      nodes: [...clients, service],
      links,
      linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')),
    };
  }
  const replicas: TopologyNode[] = column(replicaIds(params), 0.92, 0.2, 1.04).map((node) => ({
    ...node,
    role: replicaRole,
    behaviour: queryReplicaBehaviour,
  }));
  const middle: TopologyNode[] = [
    {
      id: commandId,
      role: commandRole,
      behaviour: commandServiceBehaviour,
      layout: { x: 0.3, y: 0.08 },
    },
    { id: brokerId, role: brokerRole, behaviour: cqrsBroker, layout: { x: 0.52, y: 0.2 } },
    {
      id: projectorId,
      role: projectorRole,
      behaviour: projectorBehaviour,
      layout: { x: 0.74, y: 0.08 },
    },
    {
      id: balancerId,
      role: balancerRole,
      behaviour: loadBalancerBehaviour,
      layout: { x: 0.42, y: 0.62 },
    },
  ];
  links.push([commandId, brokerId], [projectorId, brokerId]);
  for (const client of clients) links.push([client.id, commandId], [client.id, balancerId]);
  for (const replica of replicas) {
    links.push([replica.id, projectorId], [replica.id, balancerId]);
    for (const client of clients) links.push([client.id, replica.id]);
  }
  return {
    nodes: [...clients, ...middle, ...replicas],
    links,
    linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')),
  };
}

export const cqrsFaults: readonly ScenarioFaultSpec[] = [
  {
    id: 'add-replica',
    kind: 'control',
    label: 'Add a query replica',
    help: 'The first spare replica joins: it replays the feed from position 1 and serves once caught up.',
    roles: [balancerRole],
    args: {},
  },
  {
    id: 'remove-replica',
    kind: 'control',
    label: 'Remove a query replica',
    help: 'The last active replica leaves the rotation and drops its read store (one always stays).',
    roles: [balancerRole],
    args: {},
  },
  {
    id: 'slow-projector',
    label: 'Slow projector',
    help: 'The projector takes N times its delay for every change, for a while: the read side lags.',
    roles: [projectorRole],
    args: {
      factor: {
        label: 'Slower by',
        default: 10,
        min: 2,
        max: 100,
        step: 1,
        unit: '×',
        help: 'Multiplier on the projector delay.',
      },
      durationMs: {
        label: 'Duration',
        default: 10_000,
        min: 100,
        max: 120_000,
        step: 100,
        unit: 'ms',
        help: 'How long the fault lasts.',
      },
    },
  },
];

export const cqrs = defineScenario({
  id: 'cqrs',
  version: 2,
  title: 'CQRS',
  summary:
    'Writes go to a command service and its log; a projector turns the log’s change feed into ' +
    'read models that query replicas serve. Reads scale by adding replicas, at the price of lag: ' +
    'stale reads and read-your-own-writes violations are counted.',
  params: cqrsParams,
  baselineLabel: 'One service',
  baselineSummary:
    'One service and one store for reads and writes: never stale, but reads and writes compete for the same workers.',
  topology: buildTopology,
  metrics: cqrsMetrics,
  monitor: cqrsMonitor,
  moments: cqrsMoments,
  invariants: [readModelIsPrefix, readModelsConverge],
  faults: cqrsFaults,
  tour: cqrsTour,
  // The projector slows at 6 s; the replica joins at 15 s.
  defaultSpeed: 1,
  instrument: cqrsInstrument,
  defaultDurationMs: 60_000,
});
