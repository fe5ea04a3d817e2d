import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { BreakerStateName } from './breaker.ts';
import type { ClientState } from './client.ts';
import { type DependencyState, isHealthy } from './dependency.ts';
import { clientRole, dependencyRole, serviceRole } from './protocol.ts';
import type { ServiceDurable, ServiceState } from './service.ts';

/**
 * Reading the world the same way everywhere: the invariants, the monitor, the tour and the tests
 * ask "what is the breaker doing, is the dependency healthy, how are the clients doing?" through
 * these helpers. Node ids are fixed by the topology (see model.ts).
 */

export const serviceId: NodeId = 'service';
export const dependencyId: NodeId = 'dependency';

/** The client ids for `count` clients. */
export function clientIdsFor(count: number): NodeId[] {
  return Array.from({ length: count }, (_, index) => `client-${index + 1}`);
}

/** The service's state, or null while it is down (or paused: its state is then frozen). */
export function serviceStateOf(world: WorldView): ServiceState | null {
  const node = world.node(serviceId);
  return node.status === 'crashed' || node.role !== serviceRole
    ? null
    : ((node.state as ServiceState | undefined) ?? null);
}

/** How many times the service has started (its durable boot count). */
export function serviceBootsOf(world: WorldView): number {
  return (world.node(serviceId).durable as ServiceDurable | undefined)?.boots ?? 0;
}

/** The dependency's state, or null while it is down. */
export function dependencyStateOf(world: WorldView): DependencyState | null {
  const node = world.node(dependencyId);
  return node.status === 'crashed' || node.role !== dependencyRole
    ? null
    : ((node.state as DependencyState | undefined) ?? null);
}

/** The client nodes with their states (null while down). */
export function clientsOf(world: WorldView): { view: NodeView; state: ClientState | null }[] {
  const clients: { view: NodeView; state: ClientState | null }[] = [];
  for (const view of world.nodes) {
    if (view.role !== clientRole) continue;
    const state = view.status === 'crashed' ? null : (view.state as ClientState | undefined);
    clients.push({ view, state: state ?? null });
  }
  return clients;
}

/** The breaker's state; `none` in the baseline; null while the service is down. */
export function breakerValueOf(world: WorldView): BreakerStateName | 'none' | null {
  const service = serviceStateOf(world);
  if (service === null) return null;
  return service.breaker?.value ?? 'none';
}

/** How often the breaker has opened since the service last started (0 in the baseline). */
export function breakerTripsOf(world: WorldView): number {
  return serviceStateOf(world)?.breaker?.context.trips ?? 0;
}

/** Whether messages get through both ways between `a` and `b` right now. */
export function isConnected(world: WorldView, a: NodeId, b: NodeId): boolean {
  return world.canReach(a, b) && world.canReach(b, a);
}

/**
 * Every node is up (not crashed, not paused) and every link of the topology (each client to the
 * service, the service to the dependency) passes messages both ways: no partition, hold or total
 * loss. A partly lossy or slowed link is not visible through the world view [1].
 *
 * [1] `world.hasActiveFaults` would see those too, but today it reports a fault for every
 *     topology with an explicit link list (it compares pairs without a link against the default
 *     link settings), so it is always true here; see the README.
 */
export function isWholeAndConnected(world: WorldView): boolean {
  for (const node of world.nodes) if (node.status !== 'up') return false;
  if (!isConnected(world, serviceId, dependencyId)) return false;
  for (const client of clientsOf(world)) {
    if (!isConnected(world, client.view.id, serviceId)) return false;
  }
  return true;
}

/**
 * The dependency is healed: up and not paused, no slowdown or errors (injected or the scheduled
 * incident), and the service can reach it both ways.
 */
export function isDependencyHealed(world: WorldView): boolean {
  const node = world.node(dependencyId);
  if (node.status !== 'up') return false;
  const state = dependencyStateOf(world);
  return state !== null && isHealthy(state) && isConnected(world, serviceId, dependencyId);
}

/** Client requests answered with success (a real answer or a fallback), over all clients. */
export function clientSuccessesOf(world: WorldView): number {
  let total = 0;
  for (const client of clientsOf(world)) total += client.state?.succeeded ?? 0;
  return total;
}
