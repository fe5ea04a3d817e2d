import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import type { ScenarioViewHints } from '../../scenarios/viewHints.ts';
import type { NodeFrame, TopologyNodeMeta } from '../../worker/protocol.ts';
import { useSimStore } from './store.ts';

/** A node as panels show it: topology facts plus its latest frame state. */
export interface NodeInfo extends TopologyNodeMeta, NodeFrame {
  readonly index: number;
  /** Accessible name, starting with the id: "n3, leader, term 4". */
  readonly accessibleName: string;
}

const fallbackFrame: NodeFrame = { status: 'up', label: '', badge: '', health: 'ok' };

/** Every node with its current state, in topology order. */
export function useNodes(): NodeInfo[] {
  const topology = useSimStore((state) => state.view?.topology);
  const frameNodes = useSimStore((state) => state.frame?.nodes);
  if (topology === undefined) return [];
  return topology.nodes.map((node, index) => {
    const frame = frameNodes?.[index] ?? fallbackFrame;
    return {
      ...node,
      ...frame,
      index,
      accessibleName: accessibleNodeName(node.id, node.role, frame),
    };
  });
}

export function accessibleNodeName(id: string, role: string, frame: NodeFrame): string {
  // A crashed node has lost its volatile role (leader, follower…): name its topology role.
  if (frame.status === 'crashed') return `${id}, ${role}, down`;
  const parts = [id, frame.label || 'node'];
  if (frame.badge !== '') parts.push(frame.badge);
  if (frame.status === 'paused') parts.push('paused');
  return parts.join(', ');
}

/** The loaded scenario's view hints (colours, shapes, metric labels). */
export function useViewHints(): ScenarioViewHints | undefined {
  const id = useSimStore((state) => state.view?.meta.id);
  return id === undefined ? undefined : getScenarioView(id);
}
