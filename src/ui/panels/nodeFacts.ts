import type { NodeStatus } from '../../engine/types.ts';

/** What the inspector shows about a node at a glance (topology facts plus the latest frame). */
export interface NodeFacts {
  readonly index: number;
  readonly id: string;
  readonly role: string;
  readonly status: NodeStatus;
  readonly label: string;
  readonly badge: string;
}

/** A status in words with an icon, so it never depends on colour alone. */
export const statusWords: Readonly<Record<NodeStatus, { icon: string; text: string }>> = {
  up: { icon: '●', text: 'up' },
  crashed: { icon: '✕', text: 'down (crashed)' },
  paused: { icon: '⏸', text: 'paused' },
};
