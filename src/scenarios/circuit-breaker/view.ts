import type { ScenarioViewHints } from '../viewHints.ts';

/**
 * Requests and real answers in neutral grey and green, fallbacks in violet (served, but not the
 * real thing), failures in red; the outbound call in blue, its reply in teal and its error in
 * orange. Breaker states: closed green, half-open amber, open red (calls are cut off); the
 * baseline's "no breaker" slate. All mid-tone colours that read on light and dark backgrounds.
 */
export const circuitBreakerView: ScenarioViewHints = {
  id: 'circuit-breaker',
  messageColours: {
    Request: '#6b7280',
    Response: '#16a34a',
    Fallback: '#9333ea',
    Failure: '#dc2626',
    Call: '#2563eb',
    Reply: '#0d9488',
    Error: '#ea580c',
  },
  roles: {
    client: { shape: 'square', icon: 'laptop' },
    service: { shape: 'hexagon', icon: 'server' },
    dependency: { shape: 'circle', icon: 'database' },
  },
  stateColours: {
    closed: '#16a34a',
    'half-open': '#d97706',
    open: '#dc2626',
    'no breaker': '#64748b',
    healthy: '#16a34a',
    slow: '#d97706',
    erroring: '#ea580c',
    client: '#475569',
    down: '#991b1b',
  },
  metricLabels: {
    'client-throughput': 'Client throughput',
    'client-success': 'Client success rate',
    'client-latency-p50': 'Client latency (p50)',
    'client-latency-p99': 'Client latency (p99)',
    'service-latency-p99': 'Service latency (p99)',
    'pool-busy': 'Service workers busy',
    'queue-length': 'Service wait queue',
    'service-rejections': 'Rejected (queue full)',
    'fast-failures': 'Fast failures',
    fallbacks: 'Fallbacks served',
    'dependency-calls': 'Calls reaching the dependency',
    'breaker-trips': 'Breaker trips',
    'breaker-state': 'Breaker state (0 closed, 1 half-open, 2 open)',
    'time-to-close': 'Time to close after heal',
  },
};
