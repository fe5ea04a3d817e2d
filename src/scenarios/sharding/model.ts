import type { ScenarioFaultSpec, Topology, TopologyNode, Variant } from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { clientBehaviour } from './client.ts';
import { acknowledgedWritesKept, oneCustodianPerKey, placementConverges } from './invariants.ts';
import { shardingInstrument } from './instrument.ts';
import { shardingMoments } from './moments.ts';
import { shardingMetrics, shardingMonitor } from './monitor.ts';
import { shardingParams } from './params.ts';
import { initialTable, type RoutingTable, shardId, strategyModN } from './placement.ts';
import {
  addShardControl,
  clientRole,
  hotKeyFault,
  keyCountOf,
  paramOf,
  removeShardControl,
  routerId,
  routerRole,
  shardRole,
  slowShardFault,
} from './protocol.ts';
import { routerBehaviour } from './router.ts';
import { shardBehaviour } from './shard.ts';
import { shardingTour } from './tour.ts';
import { jitteredLink } from '../kit/links.ts';

/** A parameter made a whole number inside its bounds. */
function wholeParam(params: Readonly<Record<string, number>>, key: keyof typeof shardingParams) {
  const { min, max } = shardingParams[key];
  return Math.min(max, Math.max(min, Math.round(paramOf({ params }, key))));
}

/** Shards in the topology: the pool (pattern) or the one node holding everything (baseline). */
export function poolSize(params: Readonly<Record<string, number>>, variant: Variant): number {
  return variant === 'baseline' ? 1 : wholeParam(params, 'shardPoolSize');
}

/** The first routing table: `initialShards` active shards of the pool (all keys on s1 in the baseline). */
export function firstTable(
  params: Readonly<Record<string, number>>,
  variant: Variant,
): RoutingTable {
  const pool = poolSize(params, variant);
  const active = Math.min(pool, wholeParam(params, 'initialShards'));
  const ids = Array.from({ length: active }, (_, index) => shardId(index + 1));
  const strategy = variant === 'baseline' ? strategyModN : wholeParam(params, 'strategy');
  return initialTable(strategy, keyCountOf(params), wholeParam(params, 'virtualNodes'), ids);
}

/** Spreads `count` nodes over a column at `x`, centred vertically. */
function column(count: number, x: number, index: number): { x: number; y: number } {
  const gap = Math.min(0.2, 0.84 / Math.max(1, count));
  return { x, y: 0.5 + (index - (count - 1) / 2) * gap };
}

/** Shards in one column spread over the whole height, so each label has room under its node. */
function shardPlace(count: number, index: number): { x: number; y: number } {
  const gap = Math.min(0.2, 0.92 / Math.max(1, count));
  return { x: 0.78, y: 0.5 + (index - (count - 1) / 2) * gap };
}

function buildTopology(params: Readonly<Record<string, number>>, variant: Variant): Topology {
  const table = firstTable(params, variant);
  const clientCount = wholeParam(params, 'clientCount');
  const shards = poolSize(params, variant);
  const clients: TopologyNode[] = Array.from({ length: clientCount }, (_, index) => ({
    id: `c${index + 1}`,
    role: clientRole,
    behaviour: clientBehaviour,
    layout: column(clientCount, 0.08, index),
  }));
  const router: TopologyNode = {
    id: routerId,
    role: routerRole,
    behaviour: routerBehaviour(table),
    layout: { x: 0.38, y: 0.5 },
  };
  const isReplicated = wholeParam(params, 'replicationFactor') >= 2;
  const shardBehaviourForRun = shardBehaviour(table, isReplicated);
  const shardNodes: TopologyNode[] = Array.from({ length: shards }, (_, index) => ({
    id: shardId(index + 1),
    role: shardRole,
    behaviour: shardBehaviourForRun,
    layout: shardPlace(shards, index),
  }));
  return {
    nodes: [...clients, router, ...shardNodes],
    links: 'full',
    linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')),
  };
}

export const shardingFaults: readonly ScenarioFaultSpec[] = [
  {
    id: addShardControl,
    kind: 'control',
    label: 'Add a shard',
    help: 'The next spare shard joins: the router makes a new table and the keys it gives the newcomer move to it.',
    roles: [routerRole],
    args: {},
  },
  {
    id: removeShardControl,
    kind: 'control',
    label: 'Remove a shard',
    help: 'The last active shard hands all its keys to the others, then becomes a spare.',
    roles: [routerRole],
    args: {},
  },
  {
    id: hotKeyFault,
    label: 'Hot key',
    help: 'This client sends most of its requests to one key (share 0 ends it).',
    roles: [clientRole],
    args: {
      key: {
        label: 'Key',
        default: shardingParams.hotKey.default,
        min: 0,
        max: shardingParams.keyCount.max - 1,
        step: 1,
        unit: 'key',
        help: 'The key that becomes hot (taken modulo the key count).',
      },
      sharePercent: {
        label: 'Share',
        default: 90,
        min: 0,
        max: 100,
        step: 5,
        unit: '%',
        help: 'Share of this client’s requests that go to the hot key; 0 ends the hot key.',
      },
    },
  },
  {
    id: slowShardFault,
    label: 'Slow shard',
    help: 'The shard’s disk degrades: every request takes this many times the service time (1 heals; so does a restart).',
    roles: [shardRole],
    args: {
      factor: {
        label: 'Slowdown',
        default: 4,
        min: 1,
        max: 20,
        step: 1,
        unit: '×',
        help: 'Multiplier on the service time.',
      },
    },
  },
];

export const sharding = defineScenario({
  id: 'sharding',
  version: 2,
  title: 'Sharding',
  summary:
    'Keys are split across shards by hash mod N, consistent hashing or ranges. Add or remove a ' +
    'shard and watch the keys that move, handed off one by one so that each key always has ' +
    'exactly one owner; make a key hot and watch one shard drown while the others idle.',
  params: shardingParams,
  baselineLabel: 'Single node',
  baselineSummary:
    'One node holds every key: no moves and no routing puzzles, but its capacity is all there is.',
  topology: buildTopology,
  metrics: shardingMetrics,
  monitor: shardingMonitor,
  moments: shardingMoments,
  invariants: [oneCustodianPerKey, acknowledgedWritesKept, placementConverges],
  faults: shardingFaults,
  tour: shardingTour,
  // A shard joins at 5 s; the hot key starts at 15 s.
  defaultSpeed: 1,
  instrument: shardingInstrument,
  defaultDurationMs: 60_000,
});
