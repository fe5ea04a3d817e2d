import type { ScenarioViewHints } from '../viewHints.ts';

/**
 * The app's local traffic in slate (requests) and green (answers); the WAN calls in blue and
 * their replies in teal. `ok` is green for ambassadors and remotes alike; trouble goes through
 * amber (retrying, busy, slow) to red (budget spent, overloaded, failing), and an open breaker is
 * violet. Every colour is a mid-tone that reads on light and dark backgrounds.
 */
export const ambassadorView: ScenarioViewHints = {
  id: 'ambassador',
  messageColours: {
    Request: '#64748b',
    Response: '#16a34a',
    Call: '#2563eb',
    Reply: '#0d9488',
  },
  roles: {
    app: { shape: 'square', icon: 'laptop' },
    ambassador: { shape: 'hexagon', icon: 'proxy' },
    remote: { shape: 'circle', icon: 'server' },
  },
  stateColours: {
    app: '#475569',
    ok: '#16a34a',
    retrying: '#d97706',
    'budget spent': '#dc2626',
    'breaker open': '#9333ea',
    busy: '#ca8a04',
    slow: '#ea580c',
    failing: '#e11d48',
    overloaded: '#b91c1c',
    down: '#991b1b',
  },
  metricLabels: {
    'app-rps': 'App requests per second',
    'app-success': 'App success rate',
    'app-latency': 'App latency (p50)',
    'app-latency-p99': 'App latency (p99)',
    'attempts-per-request': 'Attempts per request',
    'retries-per-s': 'Retries per second',
    hedges: 'Hedged attempts',
    'budget-exhausted': 'Retries refused by the budget',
    'remote-rps': 'Calls reaching the remotes per second',
    amplification: 'Amplification (remote calls per app request)',
    'load-remote-1': 'Calls per second at remote-1',
    'load-remote-2': 'Calls per second at remote-2',
    'load-remote-3': 'Calls per second at remote-3',
    'remote-queue': 'Calls queued at the remotes',
    'breaker-trips': 'Breaker trips',
    'discarded-answers': 'Discarded answers (wasted work)',
  },
  barGroups: [
    {
      title: 'Load per remote instance',
      unit: 'calls/s',
      bars: [
        { metric: 'load-remote-1', label: 'remote-1' },
        { metric: 'load-remote-2', label: 'remote-2' },
        { metric: 'load-remote-3', label: 'remote-3' },
      ],
    },
  ],
};
