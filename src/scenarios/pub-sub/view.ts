import type { ScenarioViewHints } from '../viewHints.ts';

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
};
