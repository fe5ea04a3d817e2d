import type { ScenarioViewHints } from '../viewHints.ts';

/** Pings blue, pongs green; every node is a plain grey server. */
export const benchMeshView: ScenarioViewHints = {
  id: 'bench-mesh',
  messageColours: {
    ping: '#2563eb',
    pong: '#16a34a',
  },
  roles: {
    pinger: { shape: 'circle', icon: 'server' },
  },
  stateColours: {
    pinger: '#64748b',
    down: '#991b1b',
  },
  metricLabels: {
    'in-flight': 'Messages in flight',
    'pong-rate': 'Pongs per second',
  },
};
