import type { ScenarioViewHints } from '../viewHints.ts';

/** Replication blue, acknowledgements green; the primary a square, the backup a disk. */
export const plantedViolationView: ScenarioViewHints = {
  id: 'planted-violation',
  messageColours: {
    Replicate: '#2563eb',
    Ack: '#16a34a',
  },
  roles: {
    primary: { shape: 'square', icon: 'server' },
    backup: { shape: 'circle', icon: 'database' },
  },
  stateColours: {
    primary: '#2563eb',
    backup: '#64748b',
    down: '#991b1b',
  },
  metricLabels: {
    issued: 'Last value issued',
    'backup-value': 'Highest value on the backup',
    unacked: 'Values not yet acknowledged (max)',
  },
};
