import type { TraceEvent, TraceEventType } from '../../engine/trace.ts';

/**
 * Builds trace events for the diagram's tests, numbered in the order they are made, the way the
 * engine records them (see `Simulation.sendFrom` and `handleDelivery` for which end is `node`).
 */
export class EventScript {
  readonly events: TraceEvent[] = [];

  private add(
    timeUs: number,
    type: TraceEventType,
    node: number,
    peer = -1,
    messageId = -1,
    label = '',
    value = 0,
  ): this {
    const index = this.events.length;
    this.events.push({ index, timeUs, type, node, peer, messageId, label, value });
    return this;
  }

  /** A send due at `dueUs` (-1: lost at the sender). */
  send(timeUs: number, id: number, from: number, to: number, type: string, dueUs: number): this {
    return this.add(timeUs, 'message.sent', from, to, id, type, dueUs);
  }

  /** A duplicate copy (its own id) made by the link at the send. */
  duplicate(timeUs: number, id: number, from: number, to: number, type: string, dueUs: number) {
    return this.add(timeUs, 'message.duplicated', from, to, id, type, dueUs);
  }

  deliver(timeUs: number, id: number, from: number, to: number, type: string): this {
    return this.add(timeUs, 'message.delivered', to, from, id, type);
  }

  /** A drop where it happened (`at`), the other end `other`, with a reason code. */
  drop(timeUs: number, id: number, at: number, other: number, type: string, reason: number) {
    return this.add(timeUs, 'message.dropped', at, other, id, type, reason);
  }

  hold(timeUs: number, id: number, from: number, to: number, type: string): this {
    return this.add(timeUs, 'message.held', to, from, id, type);
  }

  node(
    timeUs: number,
    type: 'node.crashed' | 'node.restarted' | 'node.paused' | 'node.resumed',
    node: number,
  ) {
    return this.add(timeUs, type, node);
  }

  partition(timeUs: number, label: string): this {
    return this.add(timeUs, 'net.partitioned', -1, -1, -1, label, 1);
  }

  heal(timeUs: number): this {
    return this.add(timeUs, 'net.healed', -1);
  }

  other(timeUs: number, type: TraceEventType, node = 0, label = ''): this {
    return this.add(timeUs, type, node, -1, -1, label);
  }
}

/**
 * A busy trace: `count` events of request/reply traffic among `nodeCount` nodes, one send or
 * delivery every `stepUs`, with every tenth message lost on the link and a crash and restart.
 */
export function busyEvents(count: number, nodeCount: number, stepUs = 100): TraceEvent[] {
  const script = new EventScript();
  let id = 0;
  let timeUs = 0;
  while (script.events.length < count) {
    const from = id % nodeCount;
    const to = (id + 1 + (id % (nodeCount - 1))) % nodeCount;
    const type = id % 2 === 0 ? 'Request' : 'Reply';
    const latencyUs = 2_000 + (id % 7) * 300;
    if (id % 10 === 9) {
      script.send(timeUs, id, from, to, type, -1).drop(timeUs, id, from, to, type, 0);
    } else {
      script.send(timeUs, id, from, to, type, timeUs + latencyUs);
      script.deliver(timeUs + latencyUs, id, from, to, type);
    }
    if (id === 500) script.node(timeUs, 'node.crashed', 1);
    if (id === 900) script.node(timeUs, 'node.restarted', 1);
    id++;
    timeUs += stepUs;
  }
  // Deliveries were written with their sends; the trace holds events in time order.
  return [...script.events]
    .sort((a, b) => a.timeUs - b.timeUs || a.index - b.index)
    .slice(0, count)
    .map((event, index) => ({ ...event, index }));
}
