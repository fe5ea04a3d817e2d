import type { MetricSpec, Monitor, NodeView, WorldView } from '../../engine/types.ts';
import { createLossMemory, type LossMemory, noteBrokerAnswers, sweepLosses } from './accounting.ts';
import { type BacklogSeen, observeBacklogs } from './moments.ts';
import { pubSubParams } from './params.ts';
import { subscriberIds } from './roster.ts';
import { backlogOf, firstDeliveries } from './world.ts';

/**
 * The scenario's metrics. Publishers, the broker and subscribers record what only they know (an
 * ack received, a message dropped, a message processed and its latency); the monitor adds what
 * needs the whole world: certain losses (accounting.ts), backlogs, throughput and the success
 * rate.
 */

const subscriberSlots = Array.from(
  { length: pubSubParams.subscriberCount.max },
  (_, index) => `s${index + 1}`,
);

const perSubscriber = (
  prefix: string,
  unit: string,
  description: string,
  aggregate: MetricSpec['aggregate'],
): MetricSpec[] =>
  subscriberSlots.map((id) => ({
    name: `${prefix}-${id}`,
    unit,
    description: `${description} (${id})`,
    aggregate,
  }));

export const pubSubMetrics: readonly MetricSpec[] = [
  {
    name: 'published',
    unit: 'messages',
    description: 'Messages published and acknowledged (baseline: fan-out finished)',
    aggregate: 'sum',
  },
  {
    name: 'delivered',
    unit: 'messages',
    description: 'First deliveries: a subscriber processed a message for the first time',
    aggregate: 'sum',
  },
  {
    name: 'duplicates',
    unit: 'messages',
    description: 'Repeat processings of a message a subscriber had already processed',
    aggregate: 'sum',
  },
  {
    name: 'lost',
    unit: 'messages',
    description:
      'Acknowledged messages a subscriber will certainly never get, counted when that is certain',
    aggregate: 'sum',
  },
  ...perSubscriber('lost', 'messages', 'Messages certainly lost to one subscriber so far', 'last'),
  {
    name: 'latency',
    unit: 'ms',
    description: 'End to end, from creation at the publisher to first processing (median)',
    aggregate: 'p50',
  },
  {
    name: 'latency-p99',
    unit: 'ms',
    description: 'End to end, from creation at the publisher to first processing (99th percentile)',
    aggregate: 'p99',
  },
  ...perSubscriber('latency', 'ms', 'End-to-end latency of first deliveries', 'p99'),
  ...perSubscriber('backlog', 'messages', 'Messages waiting for one subscriber', 'last'),
  {
    name: 'backlog-max',
    unit: 'messages',
    description: 'Largest backlog of any subscriber',
    aggregate: 'max',
  },
  {
    name: 'throughput',
    unit: 'messages/s',
    description: 'First deliveries per second, all subscribers together',
    aggregate: 'mean',
  },
  {
    name: 'delivery-success',
    unit: 'ratio',
    description: 'Share of owed messages delivered rather than lost, so far',
    aggregate: 'last',
  },
  {
    name: 'publish-latency',
    unit: 'ms',
    description: 'From creation to acknowledgement at the publisher (baseline: to fan-out end)',
    aggregate: 'p99',
  },
  {
    name: 'publish-retries',
    unit: 'sends',
    description: 'Publishes (baseline: calls) sent again after a timeout or a refusal',
    aggregate: 'sum',
  },
  {
    name: 'publish-refused',
    unit: 'refusals',
    description: 'Publishes the broker refused because a queue was full (block policy)',
    aggregate: 'sum',
  },
  {
    name: 'publish-blocked',
    unit: 'messages',
    description: 'Messages the application could not publish because the outbox was full',
    aggregate: 'sum',
  },
  {
    name: 'overflow-drops',
    unit: 'messages',
    description: 'Messages the broker dropped from a full queue (drop-oldest policy)',
    aggregate: 'sum',
  },
  {
    name: 'redeliveries',
    unit: 'deliveries',
    description: 'Deliveries of a message that had been delivered before (at-least-once)',
    aggregate: 'sum',
  },
];

/** How often the monitor samples (the engine also checks liveness on this tick). */
export const sampleIntervalUs = 200_000;

export interface PubSubMonitorMemory {
  readonly loss: LossMemory;
  /** First deliveries counted at the last sample, for throughput. */
  deliveredAtLastSample: number;
  lostTotal: number;
  /** Running loss total per subscriber (the `lost-sN` metrics are these totals). */
  readonly lostBySubscriber: Record<string, number>;
  /** Subscribers seen behind, for the moments (moments.ts). */
  readonly behind: BacklogSeen;
}

export const pubSubMonitor: Monitor<PubSubMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): PubSubMonitorMemory {
    return {
      loss: createLossMemory(),
      deliveredAtLastSample: 0,
      lostTotal: 0,
      lostBySubscriber: {},
      behind: {},
    };
  },

  observe(world: WorldView, node: NodeView | undefined, memory: PubSubMonitorMemory, moment) {
    noteBrokerAnswers(node, memory.loss);
    observeBacklogs(world, node, memory.behind, moment);
  },

  sample(world: WorldView, memory: PubSubMonitorMemory, record): void {
    sweepLosses(world, memory.loss, (subscriber, count) => {
      memory.lostTotal += count;
      const total = (memory.lostBySubscriber[subscriber] ?? 0) + count;
      memory.lostBySubscriber[subscriber] = total;
      record('lost', count);
      record(`lost-${subscriber}`, total);
    });
    let backlogMax = 0;
    let delivered = 0;
    for (const id of subscriberIds(world.params)) {
      const backlog = backlogOf(world, id);
      backlogMax = Math.max(backlogMax, backlog);
      record(`backlog-${id}`, backlog);
      delivered += firstDeliveries(world, id);
    }
    record('backlog-max', backlogMax);
    record(
      'throughput',
      ((delivered - memory.deliveredAtLastSample) * 1_000_000) / sampleIntervalUs,
    );
    memory.deliveredAtLastSample = delivered;
    if (delivered + memory.lostTotal > 0) {
      record('delivery-success', delivered / (delivered + memory.lostTotal));
    }
  },
};
