import type { Behaviour, Topology, TopologyNode, Variant } from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { bullyBehaviour } from './bully.ts';
import { clientBehaviour } from './client.ts';
import { leaderElectionInstrument } from './instrument.ts';
import { leaderElected, oneLeaderPerTerm } from './invariants.ts';
import { leaderElectionMoments } from './moments.ts';
import { leaderElectionMetrics, leaderElectionMonitor } from './monitor.ts';
import { leaderElectionParams } from './params.ts';
import { clientRole, nodeRole, paramOf } from './protocol.ts';
import { raftBehaviour } from './raft.ts';
import { withFreezeStoryline } from './storyline.ts';
import { leaderElectionTour } from './tour.ts';
import { jitteredLink } from '../kit/links.ts';

/**
 * Points evenly spaced on the unit circle, first at the top, going clockwise on screen (y grows
 * downwards), for 3 to 9 points (what the page offers). Computed once offline and rounded to four
 * decimals: sin and cos are banned in scenarios because engines may round them differently.
 */
const circleTable: readonly (readonly (readonly [number, number])[])[] = [
  [
    [0, -1],
    [0.866, 0.5],
    [-0.866, 0.5],
  ],
  [
    [0, -1],
    [1, 0],
    [0, 1],
    [-1, 0],
  ],
  [
    [0, -1],
    [0.9511, -0.309],
    [0.5878, 0.809],
    [-0.5878, 0.809],
    [-0.9511, -0.309],
  ],
  [
    [0, -1],
    [0.866, -0.5],
    [0.866, 0.5],
    [0, 1],
    [-0.866, 0.5],
    [-0.866, -0.5],
  ],
  [
    [0, -1],
    [0.7818, -0.6235],
    [0.9749, 0.2225],
    [0.4339, 0.901],
    [-0.4339, 0.901],
    [-0.9749, 0.2225],
    [-0.7818, -0.6235],
  ],
  [
    [0, -1],
    [0.7071, -0.7071],
    [1, 0],
    [0.7071, 0.7071],
    [0, 1],
    [-0.7071, 0.7071],
    [-1, 0],
    [-0.7071, -0.7071],
  ],
  [
    [0, -1],
    [0.6428, -0.766],
    [0.9848, -0.1736],
    [0.866, 0.5],
    [0.342, 0.9397],
    [-0.342, 0.9397],
    [-0.866, 0.5],
    [-0.9848, -0.1736],
    [-0.6428, -0.766],
  ],
];
const circleCentre = { x: 0.6, y: 0.5 };
const circleRadius = 0.33;
const clientLayout = { x: 0.08, y: 0.5 };

/**
 * The cluster size from the parameter, made a whole number of at least the minimum. No upper
 * clamp here: the engine has already checked the value against the model's own bounds, and a
 * scaled copy of the model (the benchmark's 101 nodes) admits more than the page offers.
 */
export function clusterSize(params: Readonly<Record<string, number>>): number {
  const { min } = leaderElectionParams.nodeCount;
  return Math.max(min, Math.round(paramOf({ params }, 'nodeCount')));
}

/**
 * Point `index` of `count` evenly spaced on the unit circle, first at the top, going clockwise
 * on screen, for clusters larger than the table. sin and cos by their Taylor series (+ − × ÷
 * only, so every engine computes the same bits), rounded to four decimals like the table.
 */
function circlePoint(index: number, count: number): readonly [number, number] {
  // The angle from the top, reduced to [−π, π], where 24 terms are far more than enough.
  let angle = (2 * Math.PI * index) / count;
  if (angle > Math.PI) angle -= 2 * Math.PI;
  let sin = 0;
  let cos = 0;
  let term = 1; // angle^k / k!
  for (let k = 0; k < 24; k++) {
    const sign = k % 4 < 2 ? 1 : -1;
    if (k % 2 === 0) cos += sign * term;
    else sin += sign * term;
    term = (term * angle) / (k + 1);
  }
  const round = (value: number): number => Math.round(value * 10_000) / 10_000;
  return [round(sin), round(-cos)];
}

function circlePoints(count: number): readonly (readonly [number, number])[] {
  return circleTable[count - 3] ?? Array.from({ length: count }, (_, i) => circlePoint(i, count));
}

function buildTopology(params: Readonly<Record<string, number>>, variant: Variant): Topology {
  const count = clusterSize(params);
  const points = circlePoints(count);
  const behaviour: Behaviour = variant === 'pattern' ? raftWithStoryline : bullyWithStoryline;
  const members: TopologyNode[] = points.map(([x, y], index) => ({
    id: `n${index + 1}`,
    role: nodeRole,
    behaviour,
    layout: { x: circleCentre.x + circleRadius * x, y: circleCentre.y + circleRadius * y },
  }));
  const client: TopologyNode = {
    id: 'client',
    role: clientRole,
    behaviour: clientBehaviour,
    layout: clientLayout,
  };
  return {
    nodes: [...members, client],
    links: 'full',
    linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')),
  };
}

/** Both variants run the storyline: the leader of the moment freezes for a while. */
const raftWithStoryline = withFreezeStoryline(raftBehaviour, (state) => state.role === 'leader');
const bullyWithStoryline = withFreezeStoryline(bullyBehaviour, (state) => state.role === 'leader');

export const leaderElection = defineScenario({
  id: 'leader-election',
  // 2: the default run's storyline (the leader freezes at 5 s); freezeAtS = 0 plays version 1.
  version: 2,
  title: 'Leader Election',
  summary:
    'Exactly one node is in charge; when it fails the others elect a new one. Raft-style terms, ' +
    'randomized timeouts and majority votes keep it to one leader per term, even under partitions.',
  params: leaderElectionParams,
  baselineLabel: 'Bully algorithm',
  baselineSummary:
    'The highest live id wins, no majority needed: fast and simple, but a partition gets one leader per side.',
  topology: buildTopology,
  metrics: leaderElectionMetrics,
  monitor: leaderElectionMonitor,
  moments: leaderElectionMoments,
  invariants: [oneLeaderPerTerm, leaderElected],
  faults: [],
  tour: leaderElectionTour,
  // Half speed: election timers (150–300 ms) drain visibly, and the first leader is elected within a second of Play.
  defaultSpeed: 0.5,
  instrument: leaderElectionInstrument,
  defaultDurationMs: 10_000,
});
