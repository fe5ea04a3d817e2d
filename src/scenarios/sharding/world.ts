import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { ownerOf, type RoutingTable } from './placement.ts';
import { routerId, shardRole } from './protocol.ts';
import type { RouterDurable } from './router.ts';
import { entryNames, entryOwned, isLiveEntry, type ShardDurable, shardDurableOf } from './store.ts';

/**
 * Reading the world: who holds which key, what the router's table says, whether a rebalance is
 * running. Invariants, the monitor, the tour and the tests all ask through these helpers. Shard
 * data is durable, so a crashed shard still holds its keys (on disk) and still counts.
 */

/** A shard's disk, with its id. */
export interface ShardDisk {
  readonly id: NodeId;
  readonly durable: ShardDurable;
}

/** Every shard's disk, in topology order. */
export function shardDisks(world: WorldView): ShardDisk[] {
  const disks: ShardDisk[] = [];
  for (const node of world.nodes) {
    const durable = shardDurableOf(node);
    if (durable !== null) disks.push({ id: node.id, durable });
  }
  return disks;
}

export function shardNodes(world: WorldView): NodeView[] {
  return world.nodes.filter((node) => node.role === shardRole);
}

export function routerDurable(world: WorldView): RouterDurable {
  return world.node(routerId).durable as RouterDurable;
}

/** The router's current table (the routing truth). */
export function routerTable(world: WorldView): RoutingTable {
  return routerDurable(world).table;
}

export function isRebalancing(world: WorldView): boolean {
  const durable = routerDurable(world);
  return durable.rebalance !== null || durable.queued.length > 0;
}

/** The key's custodian as the safety invariant defines it (store.ts, migration.ts note 2). */
export interface Custodian {
  readonly shard: NodeId;
  readonly isOwned: boolean;
  readonly epoch: number;
  readonly value: number;
}

/**
 * What is wrong with `key` across these disks, or null: it must have exactly one custodian (the
 * live entry with the highest epoch), and no other shard may still own it.
 */
export function keyProblem(disks: readonly ShardDisk[], key: number): string | null {
  let bestEpoch = -1;
  let holders: ShardDisk[] = [];
  for (const disk of disks) {
    const status = disk.durable.store.status[key] ?? 0;
    if (!isLiveEntry(status)) continue;
    const epoch = disk.durable.store.epoch[key] ?? 0;
    if (epoch > bestEpoch) {
      bestEpoch = epoch;
      holders = [disk];
    } else if (epoch === bestEpoch) {
      holders.push(disk);
    }
  }
  if (holders.length === 0) return `key ${key} is lost: no shard holds it`;
  const describe = (disk: ShardDisk): string => {
    const store = disk.durable.store;
    return `${disk.id} (${entryNames[store.status[key] ?? 0] ?? '?'}, epoch ${store.epoch[key] ?? 0})`;
  };
  if (holders.length > 1) {
    return `key ${key} has ${holders.length} custodians: ${holders.map(describe).join(', ')}`;
  }
  const custodian = holders[0] as ShardDisk;
  for (const disk of disks) {
    if (disk === custodian || disk.durable.store.status[key] !== entryOwned) continue;
    return `key ${key} is owned by ${describe(disk)} although ${describe(custodian)} is its custodian`;
  }
  return null;
}

/** The nodes a key problem names (for the violation's node list). */
export function keyHolders(disks: readonly ShardDisk[], key: number): NodeId[] {
  return disks
    .filter((disk) => isLiveEntry(disk.durable.store.status[key] ?? 0))
    .map((disk) => disk.id);
}

/** The key's custodian, or null when none (the invariant reports that). */
export function custodianOf(disks: readonly ShardDisk[], key: number): Custodian | null {
  let best: Custodian | null = null;
  for (const disk of disks) {
    const store = disk.durable.store;
    const status = store.status[key] ?? 0;
    if (!isLiveEntry(status)) continue;
    const epoch = store.epoch[key] ?? 0;
    if (best === null || epoch > best.epoch) {
      best = {
        shard: disk.id,
        isOwned: status === entryOwned,
        epoch,
        value: store.value[key] ?? 0,
      };
    }
  }
  return best;
}

/**
 * Whether placement has converged: no rebalance running or queued, and every key is owned (not
 * in hand-off) by exactly the shard the router's table names, with no other live copy.
 */
export function isPlacementSettled(world: WorldView): boolean {
  if (isRebalancing(world)) return false;
  const table = routerTable(world);
  const disks = shardDisks(world);
  let live = 0;
  for (const disk of disks) {
    const store = disk.durable.store;
    if (store.handingOffCount > 0) return false;
    live += store.custodianCount;
  }
  if (live !== table.keyCount) return false;
  const byId = new Map(disks.map((disk) => [disk.id, disk]));
  for (let key = 0; key < table.keyCount; key++) {
    const owner = byId.get(ownerOf(table, key));
    if (owner?.durable.store.status[key] !== entryOwned) return false;
  }
  return true;
}
