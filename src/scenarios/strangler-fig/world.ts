import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { ClientDurable, ClientState } from './client.ts';
import type { FacadeState } from './facade.ts';
import type { LegacyDurable, LegacyState, ServiceDurable, ServiceState } from './backend.ts';
import { clientRole, facadeId, legacyId, newServiceId } from './protocol.ts';
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
