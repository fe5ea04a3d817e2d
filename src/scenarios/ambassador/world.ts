import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { AmbassadorState } from './ambassador.ts';
import type { AppState } from './app.ts';
import { ambassadorRole, appRole, remoteRole } from './protocol.ts';
import { hasRemoteFault, type RemoteState } from './remote.ts';

/**
 * Reading the world: invariants, the monitor, the tour and the tests all look at the nodes'
 * states through these helpers. Each role has one behaviour, so a node's role tells its state's
 * type; a node that is down has no state (null here).
 */

export interface Seen<S> {
  readonly id: NodeId;
  readonly isUp: boolean;
  readonly state: S | null;
}

function seen<S>(node: NodeView): Seen<S> {
  const isUp = node.status === 'up';
  return { id: node.id, isUp, state: node.state === undefined ? null : (node.state as S) };
}

/**
 * An app's or ambassador's state (null for another role, or with no state), without the `Seen`
 * record: for the checks that run after every event.
 */
export function appStateOf(node: NodeView): AppState | null {
  return node.role === appRole && node.state !== undefined ? (node.state as AppState) : null;
}

export function ambassadorStateOf(node: NodeView): AmbassadorState | null {
  return node.role === ambassadorRole && node.state !== undefined
    ? (node.state as AmbassadorState)
    : null;
}

export function appOf(node: NodeView): Seen<AppState> | null {
  return node.role === appRole ? seen<AppState>(node) : null;
}

export function ambassadorOfView(node: NodeView): Seen<AmbassadorState> | null {
  return node.role === ambassadorRole ? seen<AmbassadorState>(node) : null;
}

export function remoteOf(node: NodeView): Seen<RemoteState> | null {
  return node.role === remoteRole ? seen<RemoteState>(node) : null;
}

function all<S>(world: WorldView, read: (node: NodeView) => Seen<S> | null): Seen<S>[] {
  const found: Seen<S>[] = [];
  for (const node of world.nodes) {
    const each = read(node);
    if (each !== null) found.push(each);
  }
  return found;
}

export function appsOf(world: WorldView): Seen<AppState>[] {
  return all(world, appOf);
}

export function ambassadorsOf(world: WorldView): Seen<AmbassadorState>[] {
  return all(world, ambassadorOfView);
}

export function remotesOf(world: WorldView): Seen<RemoteState>[] {
  return all(world, remoteOf);
}

/** Whether some remote instance has a scenario fault (slow, overload, errors) in force. */
export function hasRemoteFaults(world: WorldView): boolean {
  return remotesOf(world).some((remote) => remote.state !== null && hasRemoteFault(remote.state));
}

/** Requests the apps have issued since they (re)started, summed. */
export function issuedTotal(world: WorldView): number {
  return appsOf(world).reduce((total, app) => total + (app.state?.issued ?? 0), 0);
}

/** Calls that reached the remote instances since they (re)started, summed. */
export function arrivalsTotal(world: WorldView): number {
  return remotesOf(world).reduce((total, remote) => total + (remote.state?.arrivals ?? 0), 0);
}
