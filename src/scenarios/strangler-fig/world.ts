import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { ClientDurable, ClientState } from './client.ts';
import type { FacadeState } from './facade.ts';
import type { LegacyDurable, LegacyState, ServiceDurable, ServiceState } from './backend.ts';
import { clientRole, facadeId, legacyId, newRole, newServiceId, routeCount } from './protocol.ts';
import type { FacadeDurable, RouteConfig } from './routing.ts';

/**
 * Reading the world the same way everywhere: invariants, the monitor, the tour and the tests
 * all ask "what does the facade route where, what have the clients seen, is legacy retired?"
 * through these helpers. The casts are safe because the topology gives each role exactly one
 * behaviour; a crashed node has no volatile state (undefined), only its durable state.
 */

export interface ClientView {
  readonly id: NodeId;
  readonly isUp: boolean;
  readonly state: ClientState | undefined;
  readonly durable: ClientDurable;
}

export function clientsOf(world: WorldView): ClientView[] {
  const clients: ClientView[] = [];
  for (const node of world.nodes) {
    if (node.role !== clientRole) continue;
    clients.push({
      id: node.id,
      isUp: node.status === 'up',
      state: node.state as ClientState | undefined,
      durable: node.durable as ClientDurable,
    });
  }
  return clients;
}

export function facadeNode(world: WorldView): NodeView {
  return world.node(facadeId);
}

export function facadeDurable(world: WorldView): FacadeDurable {
  return facadeNode(world).durable as FacadeDurable;
}

/** The facade's volatile state, or undefined while it is crashed. */
export function facadeState(world: WorldView): FacadeState | undefined {
  return facadeNode(world).state as FacadeState | undefined;
}

export function routeConfigs(world: WorldView): readonly RouteConfig[] {
  return facadeDurable(world).routes;
}

export function legacyDurable(world: WorldView): LegacyDurable {
  return world.node(legacyId).durable as LegacyDurable;
}

export function legacyState(world: WorldView): LegacyState | undefined {
  return world.node(legacyId).state as LegacyState | undefined;
}

export function isLegacyRetired(world: WorldView): boolean {
  return legacyDurable(world).isRetired && facadeDurable(world).legacy === 'retired';
}

export function serviceDurable(world: WorldView, route: number): ServiceDurable {
  return world.node(newServiceId(route)).durable as ServiceDurable;
}

export function serviceState(world: WorldView, route: number): ServiceState | undefined {
  return world.node(newServiceId(route)).state as ServiceState | undefined;
}

/** Every new service node, in route order. */
export function serviceNodes(world: WorldView): NodeView[] {
  return world.nodes.filter((node) => node.role === newRole);
}

/** Total rollbacks the facade has made (durable, so a facade restart does not lose them). */
export function rollbackCount(world: WorldView): number {
  return routeConfigs(world).reduce((sum, config) => sum + config.rollbacks, 0);
}

/** Routes fully on new. */
export function routesOnNew(world: WorldView): number {
  let count = 0;
  for (let route = 0; route < routeCount; route++) {
    if ((routeConfigs(world)[route]?.percentNew ?? 0) >= 100) count++;
  }
  return count;
}

/** Good answers received by every client so far (this incarnation of each). */
export function goodAnswers(world: WorldView): number {
  return clientsOf(world).reduce((sum, client) => sum + (client.state?.good ?? 0), 0);
}
