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
  fidelity: {
    follows: [
      'Resilience4j’s CircuitBreaker, from its source and guide (resilience4j/resilience4j on GitHub, read at commit af9e7c9 of May 2026; resilience4j.readme.io/docs/circuitbreaker).',
      'Nygard, Release It! (2nd ed., 2018), "Circuit Breaker", for the cascade the breaker is there to stop.',
    ],
    modelled: [
      'The breaker is closed, open or half-open, and judges a count window of the last N calls or a time window of one-second buckets.',
      'It opens when the failure rate or the slow-call rate reaches its threshold, once the window holds the minimum number of calls.',
      'Half-open lets the permitted trial calls through and closes or opens again on their results.',
      'A result from a call let through before the breaker changed state counts in the state it finds, and the operator can force the breaker open, disable it or keep metrics only.',
      'The six rules on which an earlier version differed from Resilience4j are each a named switch, so the old rule can be played beside the new one.',
      'The service holds a worker for each call to the dependency and has a bounded queue, so a slow dependency can use up every worker and fail the service’s own clients.',
    ],
    leftOut: [
      'Retries, bulkheads, rate limiting and deadline propagation are left out, so a run shows what a breaker alone does, not a whole resilience setup.',
      'Every error and timeout counts as a failure: which exceptions count or are ignored, as Resilience4j lets you choose, is not modelled.',
      'Every parameter changes live here, where Resilience4j fixes its configuration for the breaker’s life.',
      'The wait in open is the same after every opening; waits that grow with each opening are not modelled.',
      'There is one dependency and one breaker, with no per-endpoint breakers and no state shared between service instances.',
      'The defaults are scaled down from Resilience4j’s (a 20-call window, 5 s open) so the story shows in seconds; they are not settings to copy to production.',
    ],
    results: [
      {
        claim:
          'Resilience4j’s CircuitBreaker semantics (its source at commit af9e7c9): windows, minimum calls, slow calls, the half-open decision, late results and forced states.',
        isReproduced: true,
        note: 'A property test holds the breaker equal, step by step, to an independent reference state machine written from Resilience4j’s source and documentation, on random calls, results, waits and operator actions.',
      },
      {
        claim:
          'Nygard, Release It! (2nd ed., 2018): a breaker stops a slow dependency from exhausting its caller’s threads; without it the failure cascades to the caller’s clients.',
        isReproduced: true,
        experiment: 'breaker-cascade',
        note: 'With the breaker about 20 client requests failed whatever the incident’s length (19–22 over 5 seeds, 5 s to 60 s); without it the failures grew with the incident, from 171 to 2375, close to the λL of 200 to 2400 requests sent during it.',
      },
    ],
  },
};
