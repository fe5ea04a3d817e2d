import type { LinkConfig } from '../../engine/network.ts';
import type {
  NodeId,
  ScenarioFaultSpec,
  Topology,
  TopologyNode,
  Variant,
} from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { ambassadorBehaviour } from './ambassador.ts';
import { makeAppBehaviour } from './app.ts';
import { ambassadorInstrument } from './instrument.ts';
import { ambassadorInvariants } from './invariants.ts';
import { localLink, wanLinkOf } from './links.ts';
import { ambassadorMoments } from './moments.ts';
import { ambassadorMetrics, ambassadorMonitor } from './monitor.ts';
import { ambassadorParams } from './params.ts';
import {
  ambassadorId,
  ambassadorRole,
  appId,
  appRole,
  remoteId,
  remoteRole,
  boundedCount,
} from './protocol.ts';
import { remoteBehaviour, remoteFaultIds } from './remote.ts';
import { ambassadorTour } from './tour.ts';

type Params = Readonly<Record<string, number>>;

/** Evenly spread heights for `count` nodes in one column. */
function rowY(index: number, count: number): number {
  return (index + 1) / (count + 1);
}

/**
 * Left to right: the apps, their ambassadors right beside them (co-located), and the remote
 * instances across the WAN. The baseline has no ambassadors: each app talks to every remote.
 */
function buildTopology(params: Params, variant: Variant): Topology {
  const apps = boundedCount({ params }, 'appCount');
  const remotes = boundedCount({ params }, 'remoteCount');
  const behaviourOfApps = makeAppBehaviour(variant);
  const nodes: TopologyNode[] = [];
  const remoteIds: NodeId[] = [];
  for (let index = 0; index < remotes; index++) remoteIds.push(remoteId(index));
  const links: [NodeId, NodeId][] = [];
  const overrides: { between: readonly [NodeId, NodeId]; config: LinkConfig }[] = [];
  for (let index = 0; index < apps; index++) {
    const y = rowY(index, apps);
    const app = appId(index);
    nodes.push({ id: app, role: appRole, behaviour: behaviourOfApps, layout: { x: 0.08, y } });
    if (variant === 'baseline') {
      for (const remote of remoteIds) links.push([app, remote]);
      continue;
    }
    const ambassador = ambassadorId(index);
    nodes.push({
      id: ambassador,
      role: ambassadorRole,
      behaviour: ambassadorBehaviour,
      // Beside its app and a little lower, so the two labels do not run into each other.
      layout: { x: 0.28, y: y + 0.09 },
    });
    links.push([app, ambassador]);
    overrides.push({ between: [app, ambassador], config: localLink });
    for (const remote of remoteIds) links.push([ambassador, remote]);
  }
  remoteIds.forEach((id, index) => {
    nodes.push({
      id,
      role: remoteRole,
      behaviour: remoteBehaviour,
      layout: { x: 0.88, y: rowY(index, remotes) },
    });
  });
  return { nodes, links, linkConfig: wanLinkOf(params), linkOverrides: overrides };
}

export const ambassadorFaults: readonly ScenarioFaultSpec[] = [
  {
    id: remoteFaultIds.slow,
    label: 'Make slow',
    help: 'Every call takes N times longer on this instance (a slow disk, a long GC).',
    roles: [remoteRole],
    args: {
      factor: {
        label: 'Slower by',
        default: 5,
        min: 2,
        max: 50,
        step: 1,
        unit: '×',
        help: 'Service time multiplier.',
      },
    },
  },
  {
    id: remoteFaultIds.overload,
    label: 'Overload',
    help: 'The instance keeps only part of its capacity (a noisy neighbour, lost cores): queues grow.',
    roles: [remoteRole],
    args: {
      capacityPercent: {
        label: 'Capacity left',
        default: 20,
        min: 5,
        max: 90,
        step: 5,
        unit: '%',
        help: 'Share of normal calls per second the instance can still serve.',
      },
    },
  },
  {
    id: remoteFaultIds.errors,
    label: 'Return errors',
    help: 'The instance fails this share of the calls it serves (after doing the work).',
    roles: [remoteRole],
    args: {
      percent: {
        label: 'Errors',
        default: 50,
        min: 1,
        max: 100,
        step: 1,
        unit: '%',
        help: 'Share of calls answered with an error.',
      },
    },
  },
  {
    id: remoteFaultIds.recover,
    label: 'Recover',
    help: 'Clears Make slow, Overload and Return errors on this instance.',
    roles: [remoteRole],
    args: {},
  },
];

export const ambassador = defineScenario({
  id: 'ambassador',
  // Version 2 added the storyline; version 3 breakers record late outcomes (Resilience4j).
  version: 3,
  title: 'Ambassador',
  summary:
    'A sidecar beside each app makes its calls across a lossy, slow WAN: per-try timeouts, ' +
    'retries with jittered backoff inside a retry budget, hedging, load balancing and optional ' +
    'circuit breakers, with a request log and the metrics the app sees.',
  params: ambassadorParams,
  baselineLabel: 'Direct calls',
  baselineSummary:
    'Each app calls the remote itself, round robin, once, with only its deadline: no retries, no budget, no hedging.',
  topology: buildTopology,
  metrics: ambassadorMetrics,
  monitor: ambassadorMonitor,
  moments: ambassadorMoments,
  invariants: ambassadorInvariants,
  faults: ambassadorFaults,
  tour: ambassadorTour,
  instrument: ambassadorInstrument,
  // The storyline's overload starts at 5 s: budgets are spent about a second later.
  defaultSpeed: 1,
  defaultDurationMs: 60_000,
});
