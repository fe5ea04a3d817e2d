import type { Fidelity, ScenarioViewHints } from '../viewHints.ts';

/**
 * "How true is this?": every sentence is checked against the code and the README (its sections
 * "What the simulation models" and "What it leaves out, on purpose") [1].
 */
const fidelity: Fidelity = {
  follows: [
    "Cloud pub/sub services such as Google Cloud Pub/Sub: a queue per subscription that its subscriber pulls from, redelivery when an acknowledgement does not come in time, and the ordering key that keeps a publisher's messages in order.",
    'RabbitMQ\'s "ready" and "unacked" counts per queue, which the subscription drawing shows.',
    'Full-jitter exponential back-off after a refused publish, as in Marc Brooker\'s "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015).',
  ],
  modelled: [
    "One broker with topics and a bounded queue per subscription; when a queue is full it either refuses the publish (block publisher) or drops that queue's oldest waiting message.",
    'A publisher sends one message at a time and sends it again until the broker acknowledges it; the broker acknowledges only once the message is in every matching queue (and on disk when persistent), and a repeat it remembers is not stored twice.',
    'Subscribers pull one message at a time; at-least-once keeps each message until its acknowledgement and delivers it again after the ack timeout, at-most-once forgets it once sent.',
    'Durable subscriptions keep filling while their subscriber is down; in-memory ones end with the connection, and what was published meanwhile is lost to them.',
    "While one of a publisher's messages is unacknowledged for a subscription, its later ones wait, so each subscriber first gets a publisher's messages in order.",
    'Every loss and duplicate is counted exactly, and the tests recount them independently from the trace.',
  ],
  leftOut: [
    'The broker is one node with no replication, partitions or leader election, so a broker crash is an outage, where real brokers replicate their logs.',
    "The broker is a small design of its own, with no consumer groups, retention and replay from an offset, dead-letter queues, expiry or batching: do not read its behaviour or speed as Kafka's, RabbitMQ's or Google Pub/Sub's.",
    'There is no exactly-once delivery: duplicates are shown, not removed, so a subscriber that is not idempotent would apply some messages twice.',
    'Disk writes take no time, so the latency that persistence costs a real broker does not show in the charts.',
    'A pull carries one message, with no flow control or batching, so the throughput figures say nothing about a broker that batches.',
  ],
  results: [
    {
      claim:
        "With at-least-once delivery a message whose acknowledgement is lost is delivered again, so subscribers must expect duplicates (Google Cloud Pub/Sub's acknowledgement deadline).",
      isReproduced: true,
      note: "In pubSub.test.ts the lose-acks fault gives its subscriber duplicates and no loss on seeds 1 to 3, every duplicate a redelivery, and the independent recount matches the run's own count exactly.",
    },
    {
      claim:
        'Messages with the same ordering key reach each subscription in the order they were published (ordering keys of cloud pub/sub services such as Google Cloud Pub/Sub).',
      isReproduced: true,
      note: 'Here the key is the publisher, and the per-publisher-order invariant held in every run of the 220-seed chaos sweep.',
    },
  ],
};

/**
 * Publishing in blue (accepted green, refused red), the subscription protocol in violet (pulls a
 * quiet slate, acks teal), and the baseline's direct calls in orange. Subscribers are coloured by
 * what kind of subscription they have and by the fault they are in.
 */
export const pubSubView: ScenarioViewHints = {
  id: 'pub-sub',
  messageColours: {
    Publish: '#2563eb',
    PublishAck: '#16a34a',
    PublishNack: '#dc2626',
    Pull: '#64748b',
    Deliver: '#9333ea',
    Ack: '#0d9488',
    Notify: '#ea580c',
    NotifyAck: '#d97706',
  },
  roles: {
    publisher: { shape: 'square', icon: 'laptop' },
    broker: { shape: 'hexagon', icon: 'server' },
    subscriber: { shape: 'circle', icon: 'database' },
  },
  stateColours: {
    publishing: '#2563eb',
    stopped: '#64748b',
    refused: '#d97706',
    retrying: '#d97706',
    accepting: '#16a34a',
    full: '#dc2626',
    durable: '#0d9488',
    'in-memory': '#7c3aed',
    slow: '#0891b2',
    slowed: '#ca8a04',
    'losing acks': '#ea580c',
    down: '#991b1b',
  },
  metricLabels: {
    published: 'Published (acknowledged)',
    delivered: 'Delivered (first time)',
    duplicates: 'Duplicates',
    lost: 'Lost (certain)',
    latency: 'End-to-end latency (p50)',
    'latency-p99': 'End-to-end latency (p99)',
    'backlog-max': 'Largest backlog',
    throughput: 'Deliveries per second',
    'delivery-success': 'Delivered share',
    'publish-latency': 'Publish latency (p99)',
    'publish-retries': 'Publish retries',
    'publish-refused': 'Publishes refused (queue full)',
    'publish-blocked': 'Messages blocked at the publisher',
    'overflow-drops': 'Dropped by overflow',
    redeliveries: 'Redeliveries',
  },
  barGroups: [
    {
      title: 'Backlog per subscription',
      unit: 'messages',
      bars: ['s1', 's2', 's3', 's4', 's5', 's6'].map((id) => ({
        metric: `backlog-${id}`,
        label: id,
      })),
    },
    {
      title: 'Lost per subscriber',
      unit: 'messages',
      bars: ['s1', 's2', 's3', 's4', 's5', 's6'].map((id) => ({ metric: `lost-${id}`, label: id })),
    },
    {
      title: 'Latency per subscriber (latest)',
      unit: 'ms',
      bars: ['s1', 's2', 's3', 's4', 's5', 's6'].map((id) => ({
        metric: `latency-${id}`,
        label: id,
      })),
    },
  ],
  fidelity,
};

/*
 * Notes
 *
 * [1] Sources as the code cites them: the "ordering key" of cloud pub/sub services (broker.ts
 *     [5]), Google Cloud Pub/Sub's and RabbitMQ's per-subscription counts (instrument.ts), and
 *     full jitter (publisher.ts [3]), for which the Ambassador cites Marc Brooker's post
 *     (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
