import type { ScenarioViewHints } from '../viewHints.ts';
import { routeShareMetric } from './monitor.ts';
import { routeNames } from './protocol.ts';

/**
 * Client traffic in neutral slate, served calls in blue with green answers, shadow traffic in
 * violet (it never reaches a client), retirement in red. Node colours: legacy amber, new
 * services teal, a buggy release red, a retired monolith grey.
 */
export const stranglerFigView: ScenarioViewHints = {
  id: 'strangler-fig',
  messageColours: {
    Request: '#64748b',
    Response: '#16a34a',
    Call: '#2563eb',
    Reply: '#0d9488',
    ShadowCall: '#9333ea',
    ShadowReply: '#c084fc',
    Retire: '#dc2626',
    RetireAck: '#b91c1c',
  },
  roles: {
    client: { shape: 'square', icon: 'laptop' },
    facade: { shape: 'diamond', icon: 'router' },
    legacy: { shape: 'hexagon', icon: 'database' },
    new: { shape: 'circle', icon: 'server' },
  },
  stateColours: {
    client: '#475569',
    facade: '#2563eb',
    'cut over': '#7c3aed',
    'rolled back': '#d97706',
    retiring: '#0891b2',
    migrated: '#16a34a',
    legacy: '#b45309',
    retired: '#9ca3af',
    new: '#0d9488',
    buggy: '#dc2626',
    down: '#991b1b',
  },
  metricLabels: {
    throughput: 'Throughput (good answers)',
    'success-rate': 'Client success rate',
    'latency-p50': 'Latency (p50)',
    'latency-p99': 'Latency (p99)',
    'share-legacy': 'Answered by legacy',
    'share-new': 'Answered by new services',
    'share-failed': 'Not answered by a back end',
    'client-errors': 'Client-visible failures',
    'wrong-answers': 'Wrong answers seen by clients',
    mismatches: 'Shadow mismatches',
    'shadow-compared': 'Shadow comparisons',
    rollbacks: 'Automatic rollbacks',
    'error-budget-spent': 'Error budget spent',
    'users-exposed': 'Users who saw a failure',
    ...Object.fromEntries(
      routeNames.map((name, route) => [routeShareMetric(route), `Share to new: ${name}`]),
    ),
  },
  stackedAreas: [
    {
      title: 'Traffic share: who answered the requests',
      unit: 'fraction',
      layers: [
        { metric: 'share-legacy', label: 'Legacy', colour: '#d97706' },
        { metric: 'share-new', label: 'New services', colour: '#0d9488' },
        { metric: 'share-failed', label: 'No answer (timeout)', colour: '#dc2626' },
      ],
    },
  ],
  barGroups: [
    {
      title: 'Share of users sent to new, by route',
      unit: '%',
      bars: routeNames.map((name, route) => ({ metric: routeShareMetric(route), label: name })),
    },
  ],
};
