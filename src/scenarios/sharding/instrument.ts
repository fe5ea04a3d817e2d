import type { NodeId, WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { ClientState } from './client.ts';
import {
  keyHash,
  ownersOf,
  ringPoint,
  type RoutingTable,
  shardNumber,
  strategyConsistent,
  strategyRange,
} from './placement.ts';
import { clientRole, keyCountOf, paramOf, shardRole } from './protocol.ts';
import type { ShardState } from './shardState.ts';
import { isLiveEntry, type ShardStore, shardDurableOf } from './store.ts';
import { routerDurable } from './world.ts';

/**
 * The shard map, as the README's "Placement" and "Ownership, precisely" describe it (and as
 * Karger et al.'s consistent hashing and Dynamo's virtual nodes place keys): the key space as a
 * ring (hash ring for consistent hashing, key order for ranges, N equal slots for hash mod N)
 * coloured by the shard the router's table names, each shard's share of the key space and the
 * keys it is custodian of, the running rebalance with the keys still to leave and those in
 * flight (Transfer sent, not yet acknowledged), and the hot key with its shard's queue.
 */

export type ShardPlacement = 'mod-n' | 'consistent' | 'range';

/** One arc of the ring: from/to as fractions of the key space (0–1), owned by shard `shard`. */
export interface ShardArc {
  readonly from: number;
  readonly to: number;
  /** Pool number of the owning shard (s3 → 3). */
  readonly shard: number;
}

export interface ShardRow {
  readonly id: NodeId;
  /** Pool number (s3 → 3), for the colour. */
  readonly number: number;
  /** `joining`/`leaving`: the shard the running rebalance adds or removes. */
  readonly role: 'active' | 'joining' | 'leaving' | 'spare';
  readonly isUp: boolean;
  /** Share of the key space the router's table gives it (0–1). */
  readonly share: number;
  /** Keys it is custodian of (owned or handing off), from its disk. */
  readonly keys: number;
  /** Keys the router's table gives it. */
  readonly tableKeys: number;
  /** Keys it still holds that the table gives another shard (during a rebalance). */
  readonly leaving: number;
  /** Keys in hand-off: Transfer sent, acknowledgement awaited. */
  readonly inFlight: number;
  /** Requests held (queue and in service) against its capacity. */
  readonly held: number;
  readonly capacity: number;
}

/** A key in flight from one shard to another, placed on the ring. */
export interface MovingKey {
  readonly key: number;
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

export interface ShardMapData {
  readonly placement: ShardPlacement;
  readonly keyCount: number;
  readonly virtualNodes: number;
  readonly version: number;
  readonly arcs: readonly ShardArc[];
  readonly shards: readonly ShardRow[];
  readonly rebalance: {
    readonly kind: 'add' | 'remove';
    readonly shard: NodeId;
    readonly version: number;
    readonly plannedMoves: number;
    /** Keys still on a shard the new table does not name. */
    readonly remaining: number;
    readonly inFlight: number;
  } | null;
  /** Operator requests queued behind the running rebalance. */
  readonly queued: number;
  /** Keys in flight now (newest few), at their place on the ring. */
  readonly moving: readonly MovingKey[];
  /** The hot key the clients are sending to, at its place on the ring, and its shard. */
  readonly hot: {
    readonly key: number;
    readonly at: number;
    readonly shard: NodeId;
    readonly share: number;
  } | null;
  /** True in the single-node baseline. */
  readonly isSingleNode: boolean;
}

/** Ring segments drawn at most (the ring is binned when it has more arcs). */
export const arcsMax = 60;
/** Keys in flight drawn at most. */
export const movingMax = 24;

/** The hash space: 2^32 points. */
const ringSize = 4_294_967_296;

function placementOf(table: RoutingTable): ShardPlacement {
  if (table.strategy === strategyConsistent) return 'consistent';
  if (table.strategy === strategyRange) return 'range';
  return 'mod-n';
}

/** Where a key sits on the drawn ring, as a fraction of a turn. */
export function keyPosition(table: RoutingTable, key: number): number {
  const placement = placementOf(table);
  if (placement === 'consistent') return keyHash(key) / ringSize;
  if (placement === 'range') return (key + 0.5) / Math.max(1, table.keyCount);
  const n = Math.max(1, table.active.length);
  return ((keyHash(key) % n) + 0.5) / n;
}

interface TableFacts {
  readonly arcs: readonly ShardArc[];
  readonly shareOf: ReadonlyMap<NodeId, number>;
  readonly keysOf: ReadonlyMap<NodeId, number>;
}

/** Per-table facts, computed once per table object (a pure function of it, kept outside state). */
const factsByTable = new WeakMap<RoutingTable, TableFacts>();

function tableFacts(table: RoutingTable): TableFacts {
  const known = factsByTable.get(table);
  if (known !== undefined) return known;
  const keysOf = new Map<NodeId, number>();
  for (const owner of ownersOf(table)) keysOf.set(owner, (keysOf.get(owner) ?? 0) + 1);
  const placement = placementOf(table);
  const facts =
    placement === 'consistent'
      ? { ...ringFacts(table), keysOf }
      : placement === 'range'
        ? { ...rangeFacts(table), keysOf }
        : { ...modNFacts(table), keysOf };
  factsByTable.set(table, facts);
  return facts;
}

/** N equal slots: slot i holds the keys with hash mod N = i. */
function modNFacts(table: RoutingTable): Omit<TableFacts, 'keysOf'> {
  const n = Math.max(1, table.active.length);
  const arcs = table.active.map((id, index) => ({
    from: index / n,
    to: (index + 1) / n,
    shard: shardNumber(id),
  }));
  return { arcs, shareOf: new Map(table.active.map((id) => [id, 1 / n])) };
}

/** The ranges in key order. */
function rangeFacts(table: RoutingTable): Omit<TableFacts, 'keysOf'> {
  const count = Math.max(1, table.keyCount);
  const shareOf = new Map<NodeId, number>();
  const arcs = table.rangeStarts.map((start, index) => {
    const end = table.rangeStarts[index + 1] ?? table.keyCount;
    const owner = table.rangeOwners[index] ?? '';
    shareOf.set(owner, (shareOf.get(owner) ?? 0) + (end - start) / count);
    return { from: start / count, to: end / count, shard: shardNumber(owner) };
  });
  return { arcs, shareOf };
}

/**
 * The hash ring: each shard's virtual nodes; a point owns the arc before it (a key belongs to the
 * first point at or after its hash, placement.ts note 3). Shares are exact arc lengths; the
 * drawing gets at most `arcsMax` arcs (binned by the owner at each bin's middle).
 */
function ringFacts(table: RoutingTable): Omit<TableFacts, 'keysOf'> {
  const points: { readonly at: number; readonly shard: NodeId }[] = [];
  for (const shard of table.active) {
    const number = shardNumber(shard);
    for (let index = 0; index < table.virtualNodes; index++) {
      points.push({ at: ringPoint(number, index), shard });
    }
  }
  points.sort((a, b) => a.at - b.at || shardNumber(a.shard) - shardNumber(b.shard));
  const shareOf = new Map<NodeId, number>();
  const exact: ShardArc[] = [];
  let previous = 0;
  for (const point of points) {
    shareOf.set(point.shard, (shareOf.get(point.shard) ?? 0) + (point.at - previous) / ringSize);
    exact.push({
      from: previous / ringSize,
      to: point.at / ringSize,
      shard: shardNumber(point.shard),
    });
    previous = point.at;
  }
  const first = points[0];
  if (first !== undefined) {
    // The arc past the last point wraps round to the first point.
    shareOf.set(first.shard, (shareOf.get(first.shard) ?? 0) + (ringSize - previous) / ringSize);
    exact.push({ from: previous / ringSize, to: 1, shard: shardNumber(first.shard) });
  }
  const merged = mergeArcs(exact);
  if (merged.length <= arcsMax) return { arcs: merged.map(rounded), shareOf };
  const binned: ShardArc[] = [];
  let index = 0;
  for (let bin = 0; bin < arcsMax; bin++) {
    const middle = (bin + 0.5) / arcsMax;
    while (index < merged.length - 1 && (merged[index]?.to ?? 1) < middle) index++;
    binned.push({ from: bin / arcsMax, to: (bin + 1) / arcsMax, shard: merged[index]?.shard ?? 0 });
  }
  return { arcs: mergeArcs(binned).map(rounded), shareOf };
}

/** An arc with its ends to 1/10,000 of a turn (the drawing needs no more; the page gets less). */
function rounded(arc: ShardArc): ShardArc {
  return { from: fourPlaces(arc.from), to: fourPlaces(arc.to), shard: arc.shard };
}

function fourPlaces(fraction: number): number {
  return Math.round(fraction * 10_000) / 10_000;
}

function mergeArcs(arcs: readonly ShardArc[]): ShardArc[] {
  const merged: ShardArc[] = [];
  for (const arc of arcs) {
    if (arc.to <= arc.from) continue;
    const last = merged.at(-1);
    if (last !== undefined && last.shard === arc.shard) {
      merged[merged.length - 1] = { from: last.from, to: arc.to, shard: arc.shard };
    } else {
      merged.push(arc);
    }
  }
  return merged;
}

/** Keys a store still holds that `table` gives another shard, cached per store and table. */
const leavingByStore = new WeakMap<ShardStore, { table: RoutingTable; leaving: number }>();

function leavingKeys(store: ShardStore, table: RoutingTable, self: NodeId): number {
  const known = leavingByStore.get(store);
  if (known !== undefined && known.table === table) return known.leaving;
  const owners = ownersOf(table);
  let leaving = 0;
  for (let key = 0; key < store.status.length; key++) {
    if (isLiveEntry(store.status[key] ?? 0) && owners[key] !== self) leaving++;
  }
  leavingByStore.set(store, { table, leaving });
  return leaving;
}

/** Reads the router's table, the shards' disks and queues, and the clients' hot key. */
export function readShardMap(world: WorldView): ShardMapData {
  const router = routerDurable(world);
  const table = router.table;
  const facts = tableFacts(table);
  const rebalance = router.rebalance;
  const active = new Set(table.active);
  const shards: ShardRow[] = [];
  const moving: MovingKey[] = [];
  let remaining = 0;
  let inFlight = 0;
  for (const node of world.nodes) {
    if (node.role !== shardRole) continue;
    const durable = shardDurableOf(node);
    if (durable === null) continue;
    const store = durable.store;
    const state = node.status === 'up' ? (node.state as ShardState | undefined) : undefined;
    const leaving = rebalance === null ? 0 : leavingKeys(store, table, node.id);
    remaining += leaving;
    inFlight += store.handingOffCount;
    const role =
      rebalance?.shard === node.id
        ? rebalance.kind === 'add'
          ? 'joining'
          : 'leaving'
        : active.has(node.id) || store.custodianCount > 0
          ? 'active'
          : 'spare';
    shards.push({
      id: node.id,
      number: shardNumber(node.id),
      role,
      isUp: node.status === 'up',
      share: fourPlaces(facts.shareOf.get(node.id) ?? 0),
      keys: store.custodianCount,
      tableKeys: facts.keysOf.get(node.id) ?? 0,
      leaving,
      inFlight: store.handingOffCount,
      held: state === undefined ? 0 : state.queue.length + (state.busy === null ? 0 : 1),
      capacity: state?.capacity ?? 0,
    });
    for (const sent of state?.sentUs ?? []) {
      if (moving.length >= movingMax) break;
      moving.push({
        key: sent.key,
        at: fourPlaces(keyPosition(table, sent.key)),
        from: shardNumber(node.id),
        to: store.peer[sent.key] ?? 0,
      });
    }
  }
  return {
    placement: placementOf(table),
    keyCount: table.keyCount,
    virtualNodes: table.virtualNodes,
    version: table.version,
    arcs: facts.arcs,
    shards,
    rebalance:
      rebalance === null
        ? null
        : {
            kind: rebalance.kind,
            shard: rebalance.shard,
            version: rebalance.version,
            plannedMoves: rebalance.plannedMoves,
            remaining,
            inFlight,
          },
    queued: router.queued.length,
    moving,
    hot: hotKeyOf(world, table),
    isSingleNode: shards.length === 1,
  };
}

/** The key the clients make hot (the "Hot key" fault or the storyline), else the hot-key workload's. */
function hotKeyOf(world: WorldView, table: RoutingTable): ShardMapData['hot'] {
  let hot: { key: number; share: number } | null = null;
  for (const node of world.nodes) {
    if (node.role !== clientRole || node.status !== 'up') continue;
    const state = node.state as ClientState | undefined;
    if (state?.hotKey != null && state.hotKey.share > 0) {
      hot = state.hotKey;
      break;
    }
  }
  if (hot === null && paramOf(world, 'keyDistribution') === 2) {
    hot = {
      key: Math.round(paramOf(world, 'hotKey')) % keyCountOf(world.params),
      share: paramOf(world, 'hotKeyShare'),
    };
  }
  if (hot === null || hot.key < 0 || hot.key >= table.keyCount) return null;
  return {
    key: hot.key,
    at: fourPlaces(keyPosition(table, hot.key)),
    shard: ownersOf(table)[hot.key] ?? '',
    share: hot.share,
  };
}

const placementWords: Readonly<Record<ShardPlacement, string>> = {
  'mod-n': 'hash mod N',
  consistent: 'consistent hashing',
  range: 'key ranges',
};

/** The shard map in one or two sentences, as the figure's accessible name. */
export function describeShardMap(data: ShardMapData): string {
  const holding = data.shards.filter((row) => row.keys > 0 || row.role !== 'spare');
  const counts = holding.map((row) => row.keys);
  const least = counts.length === 0 ? 0 : Math.min(...counts);
  const most = counts.length === 0 ? 0 : Math.max(...counts);
  const head = data.isSingleNode
    ? `Shard map: a single node holds all ${data.keyCount} keys`
    : `Shard map: ${holding.length} shards by ${placementWords[data.placement]} (table v${data.version}), ` +
      (least === most ? `${most} keys each` : `${least}–${most} keys each`);
  const parts = [head];
  const move = data.rebalance;
  if (move !== null) {
    const what = move.kind === 'add' ? `${move.shard} joined` : `${move.shard} leaving`;
    const where = move.kind === 'add' ? 'to it' : 'off it';
    parts.push(
      `${what}, ${move.remaining} of ${move.plannedMoves} keys still to move ${where}${move.inFlight > 0 ? ` (${move.inFlight} in flight)` : ''}`,
    );
  } else if (!data.isSingleNode) {
    parts.push('no keys moving');
  }
  const down = data.shards.filter((row) => !row.isUp && row.role !== 'spare');
  if (down.length > 0) parts.push(`${down.map((row) => row.id).join(', ')} down`);
  const hot = data.hot;
  if (hot !== null) {
    const row = data.shards.find((each) => each.id === hot.shard);
    const full = row !== undefined && row.capacity > 0 && row.held >= row.capacity;
    parts.push(
      `hot key ${hot.key} on ${hot.shard}${full ? `, whose queue is full (${row.held} of ${row.capacity})` : ''}`,
    );
  }
  return `${parts.join('; ')}.`;
}

export const shardingInstrument: Instrument = {
  title: 'Shard map',
  read(world): InstrumentReading {
    const data = readShardMap(world);
    return { description: describeShardMap(data), data };
  },
};
