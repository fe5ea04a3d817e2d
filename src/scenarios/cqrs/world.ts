import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { type AppendLog, entryAt } from './appendLog.ts';
import type { ClientDurable } from './client.ts';
import type { CommandDurable, LogEntry } from './commandService.ts';
import type { BalancerDurable } from './loadBalancer.ts';
import type { ProjectorDurable } from './projector.ts';
import { balancerId, commandId, projectorId, replicaIds, serviceId } from './protocol.ts';
import type { ReplicaDurable, ReplicaState } from './queryReplica.ts';

/**
 * Reading the world the same way everywhere: the invariants, the monitor, the tour and the tests
 * ask "what is in the write log, how far is each read model, who is serving?" through these.
 * Both variants have a write log (the command service's, or the baseline service's).
 */

function has(world: WorldView, id: NodeId): boolean {
  return world.nodes.some((node) => node.id === id);
}

/**
 * Whether each run seen is the pattern. A run's topology is fixed, and this is asked after every
 * event, so it is looked up once per run.
 */
const patternRuns = new WeakMap<WorldView, boolean>();

/** Whether this run is the pattern (it has a projector) rather than the baseline. */
export function isPattern(world: WorldView): boolean {
  let isIt = patternRuns.get(world);
  if (isIt === undefined) {
    isIt = has(world, projectorId);
    patternRuns.set(world, isIt);
  }
  return isIt;
}

/** The write store's node: the command service, or the baseline's single service. */
export function writeNode(world: WorldView): NodeView {
  return world.node(isPattern(world) ? commandId : serviceId);
}

/** The durable write log (it survives crashes, so it is readable while the node is down). */
export function writeLog(world: WorldView): AppendLog<LogEntry> {
  return (writeNode(world).durable as CommandDurable).log;
}

/** The command service's record of how far the broker has acknowledged the feed. */
export function publishedUpTo(world: WorldView): number {
  return (writeNode(world).durable as CommandDurable).publishedUpTo;
}

export function projectorApplied(world: WorldView): number {
  return (world.node(projectorId).durable as ProjectorDurable).keys.length;
}

export function replicaDurable(world: WorldView, id: NodeId): ReplicaDurable {
  return world.node(id).durable as ReplicaDurable;
}

/** Whether the replica is up, active and serving (caught up since it started). */
export function isServing(world: WorldView, id: NodeId): boolean {
  const node = world.node(id);
  if (node.status !== 'up') return false;
  const state = node.state as ReplicaState;
  return (node.durable as ReplicaDurable).isActive && state.isCaughtUp;
}

/** The replicas the operator wants active (the load balancer's durable decision). */
export function wantedActive(world: WorldView): NodeId[] {
  if (!isPattern(world)) return [];
  const wanted = (world.node(balancerId).durable as BalancerDurable).wanted;
  return replicaIds(world.params).filter((id) => wanted[id]?.isActive === true);
}

/** The generation the load balancer wants a replica at. */
export function wantedGeneration(world: WorldView, id: NodeId): number {
  return (world.node(balancerId).durable as BalancerDurable).wanted[id]?.generation ?? 0;
}

/** Write-log head minus the replica's applied position. */
export function replicaLag(world: WorldView, id: NodeId): number {
  return writeLog(world).length - replicaDurable(world, id).applied;
}

/** The largest lag among the replicas wanted active (0 in the baseline: it reads the store). */
export function maxLag(world: WorldView): number {
  let lag = 0;
  for (const id of wantedActive(world)) lag = Math.max(lag, replicaLag(world, id));
  return lag;
}

/**
 * Whether the read side has converged: the projector and every wanted replica (at the wanted
 * generation, serving) have applied the whole write log. Always true in the baseline.
 */
export function isConverged(world: WorldView): boolean {
  if (!isPattern(world)) return true;
  const head = writeLog(world).length;
  if (projectorApplied(world) !== head) return false;
  return wantedActive(world).every(
    (id) =>
      isServing(world, id) &&
      replicaDurable(world, id).applied === head &&
      replicaDurable(world, id).generation === wantedGeneration(world, id),
  );
}

/** The version of each key in the write store as of log position `position`. */
export function storeAt(log: AppendLog<LogEntry>, position: number, keyCount: number): number[] {
  const versions = Array.from({ length: keyCount }, () => 0);
  for (let index = 0; index < Math.min(position, log.length); index++) {
    const entry = entryAt(log, index) as LogEntry;
    versions[entry.key - 1] = index + 1;
  }
  return versions;
}

export function clientDurable(world: WorldView, id: NodeId): ClientDurable {
  return world.node(id).durable as ClientDurable;
}
