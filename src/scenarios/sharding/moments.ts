import type { MomentSink, MomentSpec, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { routerId, shardRole } from './protocol.ts';
import type { Job, ShardState } from './shardState.ts';
import { routerDurable } from './world.ts';

/**
 * The moments a learner wants marked: the operator adding or removing a shard (with how many
 * keys the new table moves), the hand-off finishing, and a shard running out of capacity: by a
 * hot key (one key fills its queue) or by plain load, and catching up again.
 */
export const shardingMoments: readonly MomentSpec[] = [
  { id: 'shard-added', label: 'Shard added' },
  { id: 'shard-removed', label: 'Shard removed' },
  { id: 'handoff-done', label: 'Hand-off done' },
  { id: 'hot-key', label: 'Hot key' },
  { id: 'shard-overloaded', label: 'Shard overloaded' },
  { id: 'shard-recovered', label: 'Shard recovered' },
];

/** The rebalance as it was when it started (what the hand-off-done sentence needs). */
interface SeenRebalance {
  readonly version: number;
  readonly shard: NodeId;
  readonly plannedMoves: number;
  readonly waiting: readonly NodeId[];
  readonly seenUs: number;
}

/** What the moments remember between events (plain data, in the monitor's memory). */
export interface MomentMemory {
  /** The router's running rebalance as last seen; null while none runs. */
  rebalance: SeenRebalance | null;
  /** Shards reported overloaded (by a hot key or by load) and not yet recovered. */
  overloaded: readonly NodeId[];
}

export function createMomentMemory(): MomentMemory {
  return { rebalance: null, overloaded: [] };
}

/**
 * Reports what changed with the event at `node` (every node after a command). Only the router
 * starts and ends rebalances, and a shard's queue changes only at its own events.
 */
export function noticeMoments(
  world: WorldView,
  node: NodeView | undefined,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  if (node === undefined) {
    noticeRebalance(world, memory, moment);
    for (const each of world.nodes) if (each.role === shardRole) noticeLoad(each, memory, moment);
  } else if (node.id === routerId) {
    noticeRebalance(world, memory, moment);
  } else if (node.role === shardRole) {
    noticeLoad(node, memory, moment);
  }
}

/** A rebalance ending and the next one starting may both happen in one router event. */
function noticeRebalance(world: WorldView, memory: MomentMemory, moment: MomentSink): void {
  const durable = routerDurable(world);
  const running = durable.rebalance;
  const seen = memory.rebalance;
  if (running?.version === seen?.version) return;
  const keyCount = durable.table.keyCount;
  if (seen !== null) {
    const tenthsOfSecond = Math.round((world.nowUs - seen.seenUs) / 100_000);
    moment(
      'handoff-done',
      `Hand-off to table v${seen.version} done: all ${seen.waiting.length} shards taking part ` +
        `reported done, ${seen.plannedMoves} keys moved in ${tenthsOfSecond / 10} s`,
      [routerId, ...seen.waiting],
    );
  }
  memory.rebalance = null;
  if (running === null) return;
  memory.rebalance = {
    version: running.version,
    shard: running.shard,
    plannedMoves: running.plannedMoves,
    waiting: running.waiting,
    seenUs: world.nowUs,
  };
  const isAdd = running.kind === 'add';
  moment(
    isAdd ? 'shard-added' : 'shard-removed',
    `Table v${running.version} ${isAdd ? 'adds' : 'removes'} ${running.shard}: ` +
      `${running.plannedMoves} of ${keyCount} keys change shard and are handed off`,
    [routerId, running.shard],
  );
}

/**
 * Hysteresis: a shard is overloaded when its queue is full (it rejects requests) and recovered
 * only once it holds no request at all, so a queue hovering at full is one moment.
 */
function noticeLoad(node: NodeView, memory: MomentMemory, moment: MomentSink): void {
  const state = node.status === 'up' ? (node.state as ShardState | undefined) : undefined;
  const held = state === undefined ? 0 : state.queue.length + (state.busy === null ? 0 : 1);
  const isReported = memory.overloaded.includes(node.id);
  if (!isReported) {
    if (state === undefined || held < state.capacity) return;
    memory.overloaded = [...memory.overloaded, node.id];
    const hot = hottestKey(state);
    if (hot.count * 2 >= held) {
      moment(
        'hot-key',
        `${node.id} is overloaded by hot key ${hot.key}: ${hot.count} of the ${held} requests ` +
          'it holds are for that one key, and more shards would not help',
        [node.id],
      );
    } else {
      moment(
        'shard-overloaded',
        `${node.id} is overloaded: its queue of ${state.capacity} is full, so it rejects requests`,
        [node.id],
      );
    }
    return;
  }
  // A crashed shard has dropped its queue: that is not catching up (it stays reported).
  if (state === undefined || held > 0) return;
  memory.overloaded = memory.overloaded.filter((id) => id !== node.id);
  moment('shard-recovered', `${node.id} caught up: it holds no waiting request again`, [node.id]);
}

/** The key most of the held requests are for, and how many (a queue is at most a few hundred). */
function hottestKey(state: ShardState): { key: number; count: number } {
  const jobs: Job[] = state.busy === null ? [...state.queue] : [state.busy, ...state.queue];
  const counts = new Map<number, number>();
  let best = { key: -1, count: 0 };
  for (const job of jobs) {
    const count = (counts.get(job.key) ?? 0) + 1;
    counts.set(job.key, count);
    if (count > best.count) best = { key: job.key, count };
  }
  return best;
}
