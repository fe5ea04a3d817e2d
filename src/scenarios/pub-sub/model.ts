import type {
  NodeId,
  ScenarioFaultSpec,
  Topology,
  TopologyNode,
  Variant,
} from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { brokerBehaviour } from './broker.ts';
import type { BrokerConfig } from './brokerTypes.ts';
import { directPublisherBehaviour, directSubscriberBehaviour } from './direct.ts';
import {
  durableBacklogDrains,
  noAckedMessageLost,
  noInventedMessage,
  perPublisherOrder,
} from './invariants.ts';
import { pubSubInstrument } from './instrument.ts';
import { pubSubMoments } from './moments.ts';
import { pubSubMetrics, pubSubMonitor } from './monitor.ts';
import { burstMax } from './outbox.ts';
import { pubSubParams } from './params.ts';
import { brokerRole, publisherRole, subscriberRole } from './protocol.ts';
import { countParam } from './roster.ts';
import { publisherBehaviour } from './publisher.ts';
import {
  brokerId,
  paramOf,
  publisherIds,
  subscriberIds,
  subscriberProfiles,
  msParamUs,
} from './roster.ts';
import { subscriberBehaviour } from './subscriber.ts';
import { pubSubTour } from './tour.ts';
import { jitteredLink } from '../kit/links.ts';

/** The broker as this scenario configures it: everything from the parameters. */
export const pubSubBrokerConfig: BrokerConfig = {
  settings(params) {
    const holder = { params };
    return {
      isAtLeastOnce: paramOf(holder, 'deliveryMode') === 1,
      isPersistent: paramOf(holder, 'brokerPersistence') === 1,
      queueCapacity: countParam(holder, 'queueCapacity'),
      overflow: paramOf(holder, 'overflowPolicy') === 1 ? 'block-publisher' : 'drop-oldest',
      ackTimeoutUs: msParamUs(holder, 'ackTimeoutMs'),
      sessionTimeoutUs: msParamUs(holder, 'sessionTimeoutMs'),
    };
  },
  durableSubscriptions(params) {
    return subscriberProfiles(params)
      .filter((profile) => profile.isDurable)
      .map((profile) => ({ subscriber: profile.id, topics: profile.topics }));
  },
  metrics: { overflowDrops: 'overflow-drops', redeliveries: 'redeliveries' },
};

export const pubSubBroker = brokerBehaviour(pubSubBrokerConfig);

/** Spreads `count` nodes evenly down a column at `x`. */
function column(
  ids: readonly NodeId[],
  x: number,
): { id: NodeId; layout: { x: number; y: number } }[] {
  return ids.map((id, index) => ({ id, layout: { x, y: (index + 1) / (ids.length + 1) } }));
}

/** Publishers on the left, the broker in the middle, subscribers on the right. */
function buildTopology(params: Readonly<Record<string, number>>, variant: Variant): Topology {
  const isPattern = variant === 'pattern';
  const publishers: TopologyNode[] = column(publisherIds(params), 0.1).map((node) => ({
    ...node,
    role: publisherRole,
    behaviour: isPattern ? publisherBehaviour : directPublisherBehaviour,
  }));
  const subscribers: TopologyNode[] = column(subscriberIds(params), 0.88).map((node) => ({
    ...node,
    role: subscriberRole,
    behaviour: isPattern ? subscriberBehaviour : directSubscriberBehaviour,
  }));
  const links: (readonly [NodeId, NodeId])[] = [];
  if (!isPattern) {
    for (const p of publishers) for (const s of subscribers) links.push([p.id, s.id]);
    return {
      nodes: [...publishers, ...subscribers],
      links,
      linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')),
    };
  }
  const broker: TopologyNode = {
    id: brokerId,
    role: brokerRole,
    behaviour: pubSubBroker,
    layout: { x: 0.48, y: 0.5 },
  };
  for (const node of [...publishers, ...subscribers]) links.push([node.id, brokerId]);
  return {
    nodes: [...publishers, broker, ...subscribers],
    links,
    linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')),
  };
}

const durationArg = (defaultMs: number) => ({
  label: 'Duration',
  default: defaultMs,
  min: 100,
  max: 120_000,
  step: 100,
  unit: 'ms',
  help: 'How long the fault lasts.',
});

export const pubSubFaults: readonly ScenarioFaultSpec[] = [
  {
    id: 'slow-subscriber',
    label: 'Slow subscriber',
    help: 'The subscriber takes N times its processing time for every message, for a while.',
    roles: [subscriberRole],
    args: {
      factor: {
        label: 'Slower by',
        default: 5,
        min: 2,
        max: 50,
        step: 1,
        unit: '×',
        help: 'Multiplier on its processing time.',
      },
      durationMs: durationArg(10_000),
    },
  },
  {
    id: 'lose-acks',
    label: 'Lose acks',
    help: 'The subscriber processes messages but its acks never reach the broker (or publisher), for a while.',
    roles: [subscriberRole],
    args: { durationMs: durationArg(3000) },
  },
  {
    id: 'set-publishing',
    kind: 'control',
    label: 'Stop / resume publishing',
    help: 'The publisher’s application stops or resumes creating messages; what is waiting still goes out.',
    roles: [publisherRole],
    args: {
      enabled: {
        label: 'Publishing',
        default: 0,
        min: 0,
        max: 1,
        step: 1,
        unit: '',
        help: 'Stop or resume the application’s publishing.',
        choices: [
          { value: 0, label: 'stopped' },
          { value: 1, label: 'resumed' },
        ],
      },
    },
  },
  {
    id: 'burst',
    kind: 'control',
    label: 'Burst',
    help: 'The publisher’s application creates many messages at once.',
    roles: [publisherRole],
    args: {
      count: {
        label: 'Messages',
        default: 50,
        min: 1,
        max: burstMax,
        step: 1,
        unit: 'messages',
        help: 'How many messages the burst creates.',
      },
    },
  },
];

export const pubSub = defineScenario({
  id: 'pub-sub',
  version: 2,
  title: 'Pub/Sub',
  summary:
    'Publishers send to a topic; a broker keeps a queue per subscription and every subscriber gets ' +
    'every message at its own pace. Durable subscriptions, at-least-once delivery and a persistent ' +
    'broker keep acknowledged messages safe through crashes; other settings lose some, counted.',
  params: pubSubParams,
  baselineLabel: 'Direct calls',
  baselineSummary:
    'Each publisher calls every subscriber itself and waits for all: a slow subscriber slows everyone, a down one misses messages.',
  topology: buildTopology,
  metrics: pubSubMetrics,
  monitor: pubSubMonitor,
  moments: pubSubMoments,
  invariants: [noAckedMessageLost, noInventedMessage, perPublisherOrder, durableBacklogDrains],
  faults: pubSubFaults,
  tour: pubSubTour,
  // s4 slows at 2 s and falls behind at about 5 s.
  defaultSpeed: 1,
  instrument: pubSubInstrument,
  defaultDurationMs: 60_000,
});
