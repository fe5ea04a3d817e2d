import type { NodeId } from '../../engine/types.ts';

/**
 * Where keys live: the routing table and the three placement strategies. Everything here is a
 * pure function of a table, so the router, the shards, the invariants and the tests all compute
 * the same owner for a key. Numbered notes [n] are at the end of the file.
 */

/** The strategy codes of the `strategy` parameter. */
export const strategyModN = 0;
export const strategyConsistent = 1;
export const strategyRange = 2;

export const strategyNames: Readonly<Record<number, string>> = {
  [strategyModN]: 'hash mod N',
  [strategyConsistent]: 'consistent hashing',
  [strategyRange]: 'range partitioning',
};

/**
 * A routing table: which shard owns each key. `version` is the table's epoch: every rebalance
 * makes a new table with the next version, and every message about placement carries it [1].
 */
export interface RoutingTable {
  readonly version: number;
  readonly strategy: number;
  readonly keyCount: number;
  readonly virtualNodes: number;
  /** Shards that own keys, in pool order (s1, s2, …). */
  readonly active: readonly NodeId[];
  /** Range strategy only: first key of each range, ascending from 0 (parallel to rangeOwners). */
  readonly rangeStarts: readonly number[];
  readonly rangeOwners: readonly NodeId[];
}

/** The pool position of a shard id: `s3` → 3 (0 for anything else). */
export function shardNumber(id: NodeId): number {
  const number = Number(id.slice(1));
  return Number.isInteger(number) ? number : 0;
}

export function shardId(number: number): NodeId {
  return `s${number}`;
}

const byPoolOrder = (a: NodeId, b: NodeId): number => shardNumber(a) - shardNumber(b);

/** [2] A 32-bit avalanche mix (MurmurHash3's finaliser), exact in every engine. */
export function mix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Where a key falls on the hash space (and on the ring). */
export function keyHash(key: number): number {
  return mix32(Math.imul(key + 1, 0x9e3779b1));
}

/** Where virtual node `index` of shard `number` sits on the ring. */
export function ringPoint(number: number, index: number): number {
  return mix32(Math.imul(number, 0x27d4eb2f) ^ mix32(Math.imul(index + 1, 0x165667b1)));
}

/** The first table: `active` shards, version 1; ranges split the key space evenly [4]. */
export function initialTable(
  strategy: number,
  keyCount: number,
  virtualNodes: number,
  active: readonly NodeId[],
): RoutingTable {
  const sorted = active.slice().sort(byPoolOrder);
  const rangeStarts = sorted.map((_, index) => Math.floor((index * keyCount) / sorted.length));
  return {
    version: 1,
    strategy,
    keyCount,
    virtualNodes,
    active: sorted,
    rangeStarts,
    rangeOwners: sorted,
  };
}

/**
 * The next table with `added` taking part. Hash strategies just recompute placement over the new
 * shard set; range partitioning splits the range holding the most keys in two at its middle and
 * gives the upper half to the new shard [4].
 */
export function withShardAdded(table: RoutingTable, added: NodeId): RoutingTable {
  const active = [...table.active, added].sort(byPoolOrder);
  let rangeStarts = table.rangeStarts;
  let rangeOwners = table.rangeOwners;
  if (table.strategy === strategyRange) {
    let widest = 0;
    let widestSize = -1;
    for (let i = 0; i < rangeStarts.length; i++) {
      const size = rangeEnd(table, i) - (rangeStarts[i] ?? 0);
      if (size > widestSize) {
        widest = i;
        widestSize = size;
      }
    }
    const middle = (rangeStarts[widest] ?? 0) + Math.floor(widestSize / 2);
    rangeStarts = [...rangeStarts.slice(0, widest + 1), middle, ...rangeStarts.slice(widest + 1)];
    rangeOwners = [...rangeOwners.slice(0, widest + 1), added, ...rangeOwners.slice(widest + 1)];
  }
  return { ...table, version: table.version + 1, active, rangeStarts, rangeOwners };
}

/**
 * The next table without `removed`. Hash strategies recompute; range partitioning merges the
 * removed shard's range into its lower neighbour (the upper one for the first range) [4].
 */
export function withShardRemoved(table: RoutingTable, removed: NodeId): RoutingTable {
  const active = table.active.filter((id) => id !== removed);
  let rangeStarts = table.rangeStarts;
  let rangeOwners = table.rangeOwners;
  const index = rangeOwners.indexOf(removed);
  if (table.strategy === strategyRange && index >= 0) {
    // Dropping the range's start merges it into the range below; for the first range, the
    // range above takes over from key 0.
    const dropped = index === 0 ? 1 : index;
    rangeStarts = rangeStarts.filter((_, i) => i !== dropped);
    rangeOwners = rangeOwners.filter((_, i) => i !== index);
  }
  return { ...table, version: table.version + 1, active, rangeStarts, rangeOwners };
}

function rangeEnd(table: RoutingTable, index: number): number {
  return table.rangeStarts[index + 1] ?? table.keyCount;
}

/** The shard that owns `key` under `table`. */
export function ownerOf(table: RoutingTable, key: number): NodeId {
  return ownersOf(table)[key] ?? '';
}

/**
 * The shard that keeps the read-only copy of `owner`'s keys when replication is on: the next
 * active shard in pool order, wrapping around; null with a single active shard [5].
 */
export function replicaOf(table: RoutingTable, owner: NodeId): NodeId | null {
  const active = table.active;
  const index = active.indexOf(owner);
  if (active.length < 2 || index < 0) return null;
  return active[(index + 1) % active.length] ?? null;
}

/** Keys whose owner differs between two tables. */
export function movedKeyCount(from: RoutingTable, to: RoutingTable): number {
  const before = ownersOf(from);
  const after = ownersOf(to);
  let moved = 0;
  for (let key = 0; key < before.length; key++) if (before[key] !== after[key]) moved++;
  return moved;
}

/** Keys per active shard under `table`, in the table's active order. */
export function keysPerShard(table: RoutingTable): number[] {
  const owners = ownersOf(table);
  return table.active.map((id) => owners.filter((owner) => owner === id).length);
}

// ---- Owner arrays, computed once per table --------------------------------------------------

/** Owner arrays by table object, and by table content for copies (checkpoints, messages) [3]. */
const ownersByTable = new WeakMap<RoutingTable, readonly NodeId[]>();
const ownersByContent = new Map<string, readonly NodeId[]>();
const contentCacheMax = 64;

/** The owner of every key under `table`, computed once per table and shared. */
export function ownersOf(table: RoutingTable): readonly NodeId[] {
  const known = ownersByTable.get(table);
  if (known !== undefined) return known;
  const content = [
    table.strategy,
    table.keyCount,
    table.virtualNodes,
    table.active.join(','),
    table.rangeStarts.join(','),
    table.rangeOwners.join(','),
  ].join('|');
  let owners = ownersByContent.get(content);
  if (owners === undefined) {
    owners = computeOwners(table);
    if (ownersByContent.size >= contentCacheMax) {
      const oldest = ownersByContent.keys().next();
      if (oldest.done !== true) ownersByContent.delete(oldest.value);
    }
    ownersByContent.set(content, owners);
  }
  ownersByTable.set(table, owners);
  return owners;
}

function computeOwners(table: RoutingTable): NodeId[] {
  const owners = new Array<NodeId>(table.keyCount);
  const active = table.active;
  if (active.length === 0) return owners.fill('');
  switch (table.strategy) {
    case strategyModN:
      for (let key = 0; key < table.keyCount; key++) {
        owners[key] = active[keyHash(key) % active.length] ?? '';
      }
      return owners;
    case strategyConsistent:
      return consistentOwners(table, owners);
    default: {
      let range = 0;
      for (let key = 0; key < table.keyCount; key++) {
        while (range + 1 < table.rangeStarts.length && key >= (table.rangeStarts[range + 1] ?? 0)) {
          range++;
        }
        owners[key] = table.rangeOwners[range] ?? '';
      }
      return owners;
    }
  }
}

/** [3] Each key belongs to the first virtual node at or after its hash, going round the ring. */
function consistentOwners(table: RoutingTable, owners: NodeId[]): NodeId[] {
  const points: { readonly at: number; readonly shard: NodeId }[] = [];
  for (const shard of table.active) {
    const number = shardNumber(shard);
    for (let index = 0; index < table.virtualNodes; index++) {
      points.push({ at: ringPoint(number, index), shard });
    }
  }
  points.sort((a, b) => a.at - b.at || byPoolOrder(a.shard, b.shard));
  const first = points[0]?.shard ?? '';
  for (let key = 0; key < table.keyCount; key++) {
    const hash = keyHash(key);
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((points[middle]?.at ?? 0) < hash) low = middle + 1;
      else high = middle;
    }
    owners[key] = low < points.length ? (points[low]?.shard ?? first) : first;
  }
  return owners;
}

/*
 * Notes
 *
 * [1] The table's version is the routing epoch. The router is the only writer of tables; a
 *     rebalance is one version step, and the router starts the next only when every shard that
 *     takes part has finished the previous one. Shards keep the newest table they have heard of
 *     and the one it replaced, so a request that reaches them early or late can still be sent on
 *     to whoever holds its key.
 *
 * [2] Keys are hashed with an avalanche mix, so neighbouring key numbers land far apart: hash
 *     strategies spread even sequential keys. Range partitioning does not hash: it keeps keys in
 *     order, which is what makes range scans cheap in real systems and hot spots likely.
 *
 * [3] Consistent hashing: every shard puts `virtualNodes` points on a 32-bit ring; a key belongs
 *     to the first point clockwise from its hash. Adding a shard only takes the arcs in front of
 *     its new points, about 1/(N+1) of the keys; removing one hands its arcs to the next points.
 *     With one point per shard the arcs are very uneven; with many, each shard's share
 *     approaches 1/N (the spread shrinks roughly as 1/√virtualNodes). Hash mod N, by contrast,
 *     changes the owner of a key whenever hash mod N ≠ hash mod (N+1): about N/(N+1) of all keys.
 *     The owner arrays are a cache of a pure function, kept outside node state (state must be
 *     plain data): a cloned table just recomputes or finds its content in the second cache.
 *
 * [4] Range partitioning starts with N equal ranges of consecutive keys. Adding a shard splits
 *     the range with the most keys at its middle (as HBase or Bigtable split a large region), so
 *     only half of one range moves: 1/(2N) of the keys when ranges are equal, but the shares
 *     become uneven. Re-cutting all ranges evenly instead would move about half of all keys.
 *     Removing a shard merges its range into a neighbour, which receives all of it.
 *
 * [5] Replica placement, as in Dynamo-style systems: the copy goes to the next shard in order.
 *     A rebalance changes who is next, and owners then send their keys to the new replica.
 */
