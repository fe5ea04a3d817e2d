import type { NodeId, Topology, TopologyNode, Variant } from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { legacyBehaviour, newServiceBehaviour } from './backend.ts';
import { clientBehaviour } from './client.ts';
import { stranglerFigFaults } from './controls.ts';
import { makeFacadeBehaviour } from './facade.ts';
import { stranglerFigInvariants } from './invariants.ts';
import { stranglerFigInstrument } from './instrument.ts';
import { stranglerFigMoments } from './moments.ts';
import { stranglerFigMetrics, stranglerFigMonitor } from './monitor.ts';
import { stranglerFigParams } from './params.ts';
import {
  clientRole,
  facadeId,
  facadeRole,
  legacyId,
  legacyRole,
  newRole,
  newServiceId,
  paramOf,
  routeCount,
} from './protocol.ts';
import { stranglerFigTour } from './tour.ts';
import { jitteredLink } from '../kit/links.ts';

/** Vertical positions of 1, 2 or 3 clients. */
const clientRows: readonly (readonly number[])[] = [[0.5], [0.35, 0.65], [0.25, 0.5, 0.75]];
const backendX = 0.82;

/** The client count from the parameter, made a whole number inside the supported range. */
export function clientCountOf(params: Readonly<Record<string, number>>): number {
  const { min, max } = stranglerFigParams.clientCount;
  return Math.min(max, Math.max(min, Math.round(paramOf({ params }, 'clientCount'))));
}

/** Client ids for these parameters, in topology order. */
export function clientIds(params: Readonly<Record<string, number>>): NodeId[] {
  return Array.from({ length: clientCountOf(params) }, (_, index) => `client-${index + 1}`);
}

const patternFacade = makeFacadeBehaviour('pattern');
const baselineFacade = makeFacadeBehaviour('baseline');

/**
 * Left to right: clients, the facade, then the back ends: the monolith at the top and one new
 * service per route below it. Clients reach only the facade, and only the facade reaches the
 * back ends.
 */
function buildTopology(params: Readonly<Record<string, number>>, variant: Variant): Topology {
  const clients = clientIds(params);
  const rows = clientRows[clients.length - 1] ?? [0.5];
  const nodes: TopologyNode[] = clients.map((id, index) => ({
    id,
    role: clientRole,
    behaviour: clientBehaviour,
    layout: { x: 0.08, y: rows[index] ?? 0.5 },
  }));
  nodes.push({
    id: facadeId,
    role: facadeRole,
    behaviour: variant === 'pattern' ? patternFacade : baselineFacade,
    // Above the middle client's row, so the two labels do not run into each other.
    layout: { x: 0.44, y: 0.4 },
  });
  nodes.push({
    id: legacyId,
    role: legacyRole,
    behaviour: legacyBehaviour,
    layout: { x: backendX, y: 0.12 },
  });
  for (let route = 0; route < routeCount; route++) {
    nodes.push({
      id: newServiceId(route),
      role: newRole,
      behaviour: newServiceBehaviour,
      layout: { x: backendX, y: 0.36 + route * 0.18 },
    });
  }
  const links: [NodeId, NodeId][] = [
    ...clients.map((id): [NodeId, NodeId] => [id, facadeId]),
    [facadeId, legacyId],
    ...Array.from({ length: routeCount }, (_, route): [NodeId, NodeId] => [
      facadeId,
      newServiceId(route),
    ]),
  ];
  return { nodes, links, linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')) };
}

export const stranglerFig = defineScenario({
  id: 'strangler-fig',
  version: 2,
  title: 'Strangler Fig',
  summary:
    'A facade moves a legacy system’s capabilities to new services one route at a time: shadow ' +
    'traffic to compare answers, canary a share of users, roll back a failing route on its own, ' +
    'and switch the monolith off once nothing uses it.',
  params: stranglerFigParams,
  baselineLabel: 'Big-bang cutover',
  baselineSummary:
    'Every route switches to the new services at once at the first operator action: no canary, ' +
    'no shadow, no rollback, so a bug reaches every user of that capability.',
  topology: buildTopology,
  metrics: stranglerFigMetrics,
  monitor: stranglerFigMonitor,
  moments: stranglerFigMoments,
  invariants: stranglerFigInvariants,
  faults: stranglerFigFaults,
  tour: stranglerFigTour,
  // The migration plan starts at 2 s and retires legacy at 22 s.
  defaultSpeed: 1,
  instrument: stranglerFigInstrument,
  defaultDurationMs: 60_000,
});
