import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import {
  addShardControl,
  clientRole,
  hotKeyFault,
  paramOf,
  removeShardControl,
  routerId,
} from './protocol.ts';
import type { RouterState } from './router.ts';
import type { ShardState } from './shardState.ts';
import { isPlacementSettled, routerTable, shardNodes } from './world.ts';

/**
 * The guided tour. Every action is computed from the world when the step starts ("crash the
 * first active shard"), so it works whatever the parameters made of the topology.
 */

const control = (fault: string): Command => ({ type: 'scenario.fault', fault, node: routerId });

function clients(world: WorldView): NodeId[] {
  return world.nodes.filter((node) => node.role === clientRole).map((node) => node.id);
}

/** The first active shard that is up: the one the tour crashes. */
function victim(world: WorldView): NodeId | null {
  const active = routerTable(world).active;
  return active.find((id) => world.node(id).status === 'up') ?? null;
}

/**
 * Whether the router currently treats `shard` as down (missed three health checks). Only
 * meaningful for shards it watches: active ones and those in a rebalance.
 */
export function routerSuspects(world: WorldView, shard: NodeId): boolean {
  const router = world.node(routerId);
  if (router.status !== 'up') return false;
  const heardUs = (router.state as RouterState).lastHeardUs[shard];
  const limitUs = 3 * paramOf(world, 'healthCheckMs') * 1000;
  return heardUs !== undefined && world.nowUs - heardUs > limitUs;
}

const settled = (world: WorldView): boolean => isPlacementSettled(world);

export const shardingTour: readonly TourStep[] = [
  {
    id: 'spread',
    title: 'Keys spread over four shards',
    narration:
      'A thousand keys live on four shards (s1–s4); s5 and s6 are spares. Two clients send reads ' +
      'and writes to the router, which looks each key up in its routing table and passes the ' +
      'request to the owning shard; the shard answers the client directly. The default strategy ' +
      'is consistent hashing: each shard has 64 points on a ring, and a key belongs to the first ' +
      'point after its hash. Watch the “Keys per shard” and “Load per shard” bars: roughly even.',
    waitFor: {
      description: 'every active shard has served requests',
      isMet: (world) =>
        routerTable(world).active.every((id) => {
          const node = world.node(id);
          return node.status === 'up' && (node.state as ShardState).served > 0;
        }),
      timeoutMs: 3000,
    },
  },
  {
    id: 'add-shard',
    title: 'Add a shard',
    narration:
      'The operator adds a shard: s5 joins. The router writes table version 2 and announces it. ' +
      'Each shard then hands off, a few keys at a time, every key the new table gives to s5: a ' +
      'Transfer carrying the key and its value, answered by a TransferAck. While a key is in ' +
      'flight its old shard keeps it frozen, so the key always has exactly one custodian.',
    actions: () => [control(addShardControl)],
    question: {
      prompt: 'With consistent hashing and four shards, how many of the 1000 keys move to s5?',
      choices: [
        'Almost all of them: about four in five',
        'About one in five: only the arcs of the ring s5’s points take over',
        'None: only keys written from now on go to s5',
      ],
      answerIndex: 1,
      explanation:
        'About 1/(N+1) = 1/5 of the keys move, all of them to s5, and no key moves between the old ' +
        'shards. The moved-keys metric shows the exact share. With hash mod N (strategy 0) the ' +
        'owner changes whenever hash mod 4 ≠ hash mod 5, which is about 4 keys in 5: try it.',
    },
    waitFor: {
      description: 'the rebalance is complete and every key is where the table says',
      isMet: (world) => routerTable(world).version >= 2 && settled(world),
      timeoutMs: 15_000,
    },
  },
  {
    id: 'crash-shard',
    title: 'Crash a shard',
    narration:
      'One shard crashes. Its data is on disk, so nothing is lost, but nobody can read it now. ' +
      'The router pings every shard; after three missed health checks it treats the shard as ' +
      'down and answers requests for its keys at once with “unavailable”.',
    actions(world) {
      const shard = victim(world);
      return shard === null ? [] : [{ type: 'node.crash', node: shard }];
    },
    question: {
      prompt: 'Which requests fail while the shard is down?',
      choices: [
        'All of them: the cluster is down',
        'Exactly the requests for the keys that shard owns',
        'None: the other shards take over its keys',
      ],
      answerIndex: 1,
      explanation:
        'Only its keys are unavailable; requests for every other key are served as before, so the ' +
        'success rate drops by about that shard’s share of the load. With replication factor 2, ' +
        'reads of its keys would be served from the copy on the next shard (writes still fail).',
    },
    waitFor: {
      description: 'the router has noticed the shard is down',
      isMet: (world) => routerTable(world).active.some((id) => routerSuspects(world, id)),
      timeoutMs: 3000,
    },
  },
  {
    id: 'restart-shard',
    title: 'Bring it back',
    narration:
      'The shard restarts with its keys from disk and answers the next health check; the router ' +
      'routes to it again.',
    actions: (world) =>
      shardNodes(world)
        .filter((node) => node.status === 'crashed')
        .map((node) => ({ type: 'node.restart', node: node.id })),
    waitFor: {
      description: 'the router trusts every shard again',
      isMet: (world) =>
        routerTable(world).active.every(
          (id) => world.node(id).status === 'up' && !routerSuspects(world, id),
        ),
      timeoutMs: 3000,
    },
  },
  {
    id: 'hot-key',
    title: 'One key gets hot',
    narration:
      'Both clients now send nine requests in ten to the same key. A key lives on exactly one ' +
      'shard, however many shards there are.',
    actions: (world) =>
      clients(world).map((node) => ({
        type: 'scenario.fault',
        fault: hotKeyFault,
        node,
        args: { key: paramOf(world, 'hotKey'), sharePercent: 90 },
      })),
    question: {
      prompt: 'What happens to the shard that owns the hot key?',
      choices: [
        'Nothing special: consistent hashing spreads the load',
        'Its queue fills, its latency soars and it rejects requests, while the others idle',
        'The router notices and splits the key over several shards',
      ],
      answerIndex: 1,
      explanation:
        'Placement spreads keys, not requests for one key. The owner gets more requests than it ' +
        'can serve (54 per second against a capacity of 40), its queue fills and it rejects the ' +
        'excess; the load bars show one tall bar. Real systems cache hot keys, split them ' +
        '(key + random suffix) or replicate them for reads.',
    },
    waitFor: {
      description: 'one shard is overloaded',
      isMet: (world) => shardNodes(world).some((node) => node.summary.label === 'overloaded'),
      timeoutMs: 5000,
    },
  },
  {
    id: 'remove-shard',
    title: 'Cool down, then remove a shard',
    narration:
      'The hot key cools down and the operator removes a shard: the last active one hands every ' +
      'key it holds to the others, then becomes a spare. Requests keep flowing meanwhile; a ' +
      'request for a key in flight is answered “retry” and the client tries again a moment later.',
    actions: (world) => [
      ...clients(world).map((node): Command => ({
        type: 'scenario.fault',
        fault: hotKeyFault,
        node,
        args: { sharePercent: 0 },
      })),
      control(removeShardControl),
    ],
    question: {
      prompt: 'Which keys move when a shard leaves a consistent-hashing ring?',
      choices: [
        'Only the leaving shard’s keys, to the shards after its points on the ring',
        'About half of all keys',
        'All keys are reshuffled',
      ],
      answerIndex: 0,
      explanation:
        'Its arcs of the ring fall to the next points, which belong to the remaining shards; no ' +
        'other key changes owner. Under hash mod N, going from five shards to four would again ' +
        'move about four keys in five.',
    },
    waitFor: {
      description: 'the shard has drained and every key is where the table says',
      isMet: (world) => routerTable(world).version >= 3 && settled(world),
      timeoutMs: 20_000,
    },
  },
  {
    id: 'compare',
    title: 'Compare with one big node',
    narration:
      'Switch to the baseline: one node holds every key. There is nothing to move and no ' +
      'routing to get wrong, but its capacity (40 requests per second at the default service ' +
      'time) is all there is: at 60 requests per second its queue stays full, latency sits at ' +
      'the queue length times the service time and a third of the requests are rejected. ' +
      'Sharding buys capacity in proportion to the number of shards, as long as no single key ' +
      'is hot.',
  },
];
