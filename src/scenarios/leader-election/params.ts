import type { ParamSpec } from '../../engine/types.ts';
import { linkLatencyParam } from '../kit/links.ts';

const timeoutBounds = { min: 10, max: 5000, step: 10, unit: 'ms' };

/**
 * The scenario's parameters, times in milliseconds (behaviours convert to microseconds). The
 * timing and client parameters are live: behaviours read them each time they set a timer.
 */
export const leaderElectionParams = {
  nodeCount: {
    label: 'Nodes',
    default: 5,
    min: 3,
    max: 9,
    step: 1,
    unit: 'nodes',
    help: 'Cluster size; a leader needs votes from a majority of all of them.',
  },
  electionTimeoutMinMs: {
    label: 'Election timeout, min',
    default: 150,
    ...timeoutBounds,
    help: 'Shortest wait without a heartbeat before a follower stands for election.',
    isLive: true,
  },
  electionTimeoutMaxMs: {
    label: 'Election timeout, max',
    default: 300,
    ...timeoutBounds,
    help: 'Longest such wait; each wait is drawn from [min, max]. At or below min it counts as min: no randomization, and Raft keeps splitting the vote.',
    isLive: true,
  },
  heartbeatIntervalMs: {
    label: 'Heartbeat interval',
    default: 50,
    min: 5,
    max: 2000,
    step: 5,
    unit: 'ms',
    help: 'How often the leader says it is alive; keep it well below the election timeout.',
    isLive: true,
  },
  linkLatencyMs: linkLatencyParam({ default: 5, max: 500 }),
  clientIntervalMs: {
    label: 'Client work interval',
    default: 100,
    min: 10,
    max: 5000,
    step: 10,
    unit: 'ms',
    help: 'How often the client sends a unit of work to the node it believes leads.',
    isLive: true,
  },
  clientTimeoutMs: {
    label: 'Client retry timeout',
    default: 100,
    min: 10,
    max: 5000,
    step: 10,
    unit: 'ms',
    help: 'How long the client waits for an answer before it tries another node.',
    isLive: true,
  },
  // ---- The storyline (storyline.ts): the leader's process freezes for a while ---------------
  freezeAtS: {
    label: 'Storyline: leader freezes at',
    default: 5,
    min: 0,
    max: 600,
    step: 1,
    unit: 's',
    help: 'At this time the leader of the moment stops running for a while (a long pause), so the others elect a new one; 0 = no storyline.',
  },
  freezeLengthS: {
    label: 'Storyline: freeze length',
    default: 4,
    min: 1,
    max: 120,
    step: 1,
    unit: 's',
    help: 'How long the frozen leader runs no code before it wakes up, still believing it leads.',
  },
} satisfies Readonly<Record<string, ParamSpec>>;
