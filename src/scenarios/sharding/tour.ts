import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { ownerOf } from './placement.ts';
import { paramOf, removeShardControl, routerId } from './protocol.ts';
import type { RouterState } from './router.ts';
import type { ShardState } from './shardState.ts';
import { isPlacementSettled, routerTable, shardNodes } from './world.ts';

/**
 * The guided tour, on the default run. Its storyline plays a day of a sharded store: at 5 s the
 * router adds a spare shard by itself ("Shard added", then "Hand-off done"), at 15 s both clients
 * send nine requests in ten to one key for 10 s ("Hot key", then "Shard recovered"). The tour
 * follows it and opens the single-node baseline beside it; a crash and a removal are not in the
 * storyline, so the tour causes them by hand afterwards. Every action is computed from the world
 * when the step starts ("crash the first active shard"), so it works whatever the parameters made
 * of the topology.
 */

const control = (fault: string): Command => ({ type: 'scenario.fault', fault, node: routerId });

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

/** Requests the shard owning the hot key holds (queued and in service); null while it is down. */
function hotShardHeld(world: WorldView): { held: number; capacity: number } | null {
  const owner = ownerOf(routerTable(world), paramOf(world, 'hotKey'));
  const node = world.node(owner);
  if (node.status !== 'up') return null;
  const state = node.state as ShardState;
  return { held: state.queue.length + (state.busy === null ? 0 : 1), capacity: state.capacity };
}

/** The hot key's shard has a full queue: what the "Hot key" moment reports. */
export function isHotShardFull(world: WorldView): boolean {
  const load = hotShardHeld(world);
  return load !== null && load.held >= load.capacity;
}

/** The hot key's shard holds no request again: what the "Shard recovered" moment reports. */
export function isHotShardIdle(world: WorldView): boolean {
  return hotShardHeld(world)?.held === 0;
}

export const shardingTour: readonly TourStep[] = [
  {
    id: 'spread',
    title: 'Keys spread over four shards',
    narration:
      'A thousand keys live on four shards (s1–s4); s5 and s6 are spares. Two clients send reads ' +
      'and writes to the router, which looks each key up in its routing table and passes the ' +
      'request to the owning shard; the shard answers the client directly. The default strategy ' +
      'is consistent hashing, as in Karger et al. and Dynamo: each shard has 64 points on a ring, ' +
      'and a key belongs to the first point after its hash. The Shard map next to the topology draws ' +
      'that ring coloured by shard, with each shard’s share, keys and queue beside it.',
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
    title: 'A shard joins',
    narration:
      'At 5 s the router adds a spare by itself, as an operator’s “Add a shard” would: s5 joins, ' +
      'the router writes table version 2, and the timeline gets a “Shard added” tick. Each shard ' +
      'then hands off, a few at a time, every key the new table gives to s5 (a Transfer with the ' +
      'key and its value, answered by a TransferAck); a key in flight stays frozen at its old ' +
      'shard, so it always has exactly one custodian. In the Shard map, s5’s colour appears on the ' +
      'ring and the hand-off bar fills.',
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
        'shards: “What just happened” says 203 of 1000, and the “Hand-off done” tick comes about ' +
        'two seconds later. With the strategy “hash mod N” the owner changes whenever hash mod 4 ≠ ' +
        'hash mod 5, which is about 4 keys in 5: try it.',
    },
    waitFor: {
      description: 'the hand-off is done and every key is where the table says',
      isMet: (world) => routerTable(world).version >= 2 && settled(world),
      timeoutMs: 15_000,
    },
  },
  {
    id: 'hot-key',
    title: 'One key gets hot',
    narration:
      'At 15 s both clients start sending nine requests in ten to key 42, as a sale or a viral post ' +
      'would; the run plays at 2× until then. A key lives on exactly one shard, however many ' +
      'shards there are. In the Shard map a red marker points at the hot key’s place on the ring; ' +
      'watch its shard’s queue bar.',
    speed: 2,
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
        'can serve (54 per second against a capacity of 40): its queue bar fills, the timeline ' +
        'gets a “Hot key” tick, and “What just happened” says that more shards would not help. ' +
        'Real systems cache hot keys, split them (key + random suffix) or replicate them for reads.',
    },
    waitFor: {
      description: 'the hot key’s shard has a full queue',
      isMet: isHotShardFull,
      timeoutMs: 20_000,
    },
  },
  {
    id: 'cool-down',
    title: 'It cools down; one big node never does',
    narration:
      'After 10 seconds the key cools down and its shard works off its queue; the timeline gets a ' +
      '“Shard recovered” tick. The run still plays at 2×. The baseline is one node that holds ' +
      'every key: nothing to move and no routing to get wrong, but its capacity (40 requests per ' +
      'second at the default service time) is all there is.',
    speed: 2,
    question: {
      prompt:
        'The same day on one big node (the baseline), with 60 requests per second: when is it overloaded?',
      choices: [
        'Only while the key is hot, like the shard',
        'From the first second to the end: it cannot take 60 per second, hot key or not',
        'Never: one node has no hand-offs to slow it down',
      ],
      answerIndex: 1,
      explanation:
        'Open the side-by-side view. The baseline’s timeline has one “Shard overloaded” tick within ' +
        'the first second and never a “Shard recovered”; at 5 s it has no spare to add, since a ' +
        'single node cannot scale out. Its Shard map shows one node with all the keys and a full ' +
        'queue. Sharding buys capacity in proportion to the number of shards, as long as no single ' +
        'key is hot.',
    },
    waitFor: {
      description: 'the hot key’s shard holds no request again',
      isMet: isHotShardIdle,
      timeoutMs: 20_000,
    },
    comparesWithBaseline: true,
  },
  {
    id: 'crash-shard',
    title: 'Crash a shard',
    narration:
      'The storyline never crashes a shard, so the tour does it by hand. Its data is on disk, so ' +
      'nothing is lost, but nobody can read it now. The router pings every shard; after three ' +
      'missed health checks it treats the shard as down and answers requests for its keys at ' +
      'once with “unavailable”. The Shard map marks it “down”.',
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
        'success rate drops by about that shard’s share of the load (its share in the Shard map). ' +
        'With replication factor 2, reads of its keys would be served from the copy on the next ' +
        'shard (writes still fail).',
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
      'The shard restarts with its keys from disk and answers the next health check. The router ' +
      'routes to it again, and “down” leaves its row in the Shard map.',
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
    id: 'remove-shard',
    title: 'Remove a shard',
    narration:
      'Now the tour removes a shard by hand (“Remove a shard”, a control the storyline does not ' +
      'use): the last active one hands every key it holds to the others, then becomes a spare. ' +
      'The timeline gets a “Shard removed” tick, and “Hand-off done” when the last key has moved; ' +
      'in the Shard map its colour leaves the ring. Requests keep flowing meanwhile; a request for ' +
      'a key in flight is answered “retry” and the client tries again a moment later.',
    actions: () => [control(removeShardControl)],
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
      timeoutMs: 15_000,
    },
  },
];
