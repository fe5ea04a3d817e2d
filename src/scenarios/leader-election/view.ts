import type { ScenarioViewHints } from '../viewHints.ts';

/**
 * Election traffic in warm colours (votes amber, Bully's election rounds orange), heartbeats in
 * blue, client work in neutral grey with green for done and violet for redirects.
 */
export const leaderElectionView: ScenarioViewHints = {
  id: 'leader-election',
  messageColours: {
    RequestVote: '#d97706',
    RequestVoteReply: '#f59e0b',
    AppendEntries: '#2563eb',
    AppendEntriesReply: '#60a5fa',
    Election: '#ea580c',
    Answer: '#fb923c',
    Coordinator: '#dc2626',
    Heartbeat: '#2563eb',
    Work: '#6b7280',
    WorkDone: '#16a34a',
    Redirect: '#9333ea',
  },
  roles: {
    node: { shape: 'circle', icon: 'server' },
    client: { shape: 'square', icon: 'laptop' },
  },
  stateColours: {
    leader: '#16a34a',
    candidate: '#d97706',
    electing: '#d97706',
    waiting: '#f59e0b',
    follower: '#64748b',
    client: '#475569',
    down: '#991b1b',
  },
  metricLabels: {
    downtime: 'Downtime after each leader loss',
    'leaderless-ms': 'Time without a leader',
    elections: 'Elections started',
    'split-votes': 'Split votes',
    term: 'Highest term',
    'work-success': 'Client success rate',
    'work-latency': 'Client work latency (p99)',
  },
};
