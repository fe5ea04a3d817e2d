import { TraceCode, type TraceEvent } from '../engine/trace.ts';

/**
 * Which messages carried a client operation: read from the trace, so no scenario has to say.
 * An operation starts with what its client sent at its invocation and ends with the message
 * delivered to it at its answer. Forward from the first, every node that receives one of the
 * operation's messages and sends in the same step (its handling of that delivery) passes the
 * operation on; backward from the answer, the message whose delivery made its sender answer is
 * the operation's too. Together: the request, the hops it took (a router, a shard, a replica)
 * and the answer. Work a node queues and does later (a timer, a disk) breaks the chain of steps:
 * then the trail holds the hops on each side of it. Notes [n] at the end.
 */

/** One operation's messages (trace message ids) and the nodes they went between. */
export interface OperationTrail {
  readonly messages: readonly number[];
  /** Node indices, ascending: the client first among equals is not promised. */
  readonly nodes: readonly number[];
  /** When its last traced message arrived or was dropped (µs). */
  readonly lastUs: number;
}

/** What the trail search needs of an operation. */
export interface TrailQuery {
  /** The client's node index. */
  readonly node: number;
  readonly invokeUs: number;
  /** Null when it was never answered: then the trail is followed to the end of the trace. */
  readonly completeUs: number | null;
}

/** Messages one trail holds at most: enough for any request's hops, not for a broadcast storm. */
export const trailMessagesMax = 64;

/** The sends of each step: the messages a delivery or a timer at one node made it send. */
interface Steps {
  /** Trace message id → the sends made while its delivery was handled. */
  readonly sendsOnDelivery: Map<number, readonly TraceEvent[]>;
  /** Trace message id → its send event. */
  readonly sendOf: Map<number, TraceEvent>;
  /** Trace message id → the message whose delivery step sent it (absent: a timer's step). */
  readonly causeOf: Map<number, number>;
  /** Delivery or drop time of each message id seen. */
  readonly endUs: Map<number, number>;
  /** "node@timeUs" → sends made by steps at that node at that time. */
  readonly sendsAt: Map<string, TraceEvent[]>;
  /** "node@timeUs" → message ids delivered to that node at that time. */
  readonly deliveredAt: Map<string, number[]>;
}

const stepStarts = new Set<number>([
  TraceCode['message.delivered'],
  TraceCode['timer.fired'],
  TraceCode['node.crashed'],
  TraceCode['node.restarted'],
  TraceCode['command.applied'],
  TraceCode['fault.injected'],
]);

function at(node: number, timeUs: number): string {
  return `${String(node)}@${String(timeUs)}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function stepsOf(events: readonly TraceEvent[]): Steps {
  const steps = {
    sendsOnDelivery: new Map<number, TraceEvent[]>(),
    sendOf: new Map<number, TraceEvent>(),
    causeOf: new Map<number, number>(),
    endUs: new Map<number, number>(),
    sendsAt: new Map<string, TraceEvent[]>(),
    deliveredAt: new Map<string, number[]>(),
  };
  let stepNode = -1;
  let stepMessage = -1;
  for (const event of events) {
    const code = TraceCode[event.type];
    if (stepStarts.has(code)) {
      stepNode = event.node;
      stepMessage = code === TraceCode['message.delivered'] ? event.messageId : -1;
      if (code === TraceCode['message.delivered']) {
        steps.endUs.set(event.messageId, event.timeUs);
        pushTo(steps.deliveredAt, at(event.node, event.timeUs), event.messageId);
      }
      continue;
    }
    if (code === TraceCode['message.dropped']) {
      steps.endUs.set(event.messageId, event.timeUs);
      continue;
    }
    // [1] A send (or a link's duplicate of one) belongs to the step of the node that made it.
    const isSend = code === TraceCode['message.sent'] || code === TraceCode['message.duplicated'];
    if (!isSend || event.node !== stepNode) continue;
    steps.sendOf.set(event.messageId, event);
    pushTo(steps.sendsAt, at(stepNode, event.timeUs), event);
    if (stepMessage >= 0) {
      pushTo(steps.sendsOnDelivery, stepMessage, event);
      steps.causeOf.set(event.messageId, stepMessage);
    }
  }
  return steps;
}

/**
 * The trail of each query, in the same order; null for an operation whose invocation is older
 * than the events given (its messages are no longer known) or that sent nothing then.
 */
export function operationTrails(
  events: readonly TraceEvent[],
  queries: readonly TrailQuery[],
): (OperationTrail | null)[] {
  const firstUs = events[0]?.timeUs ?? Infinity;
  const steps = stepsOf(events);
  return queries.map((query) => (query.invokeUs < firstUs ? null : trailOf(steps, query)));
}

function trailOf(steps: Steps, query: TrailQuery): OperationTrail | null {
  const roots = steps.sendsAt.get(at(query.node, query.invokeUs)) ?? [];
  if (roots.length === 0) return null;
  const untilUs = query.completeUs ?? Infinity;
  const found = new Set<number>();
  const nodes = new Set<number>([query.node]);
  let lastUs = query.invokeUs;
  const add = (send: TraceEvent): boolean => {
    if (found.has(send.messageId) || found.size >= trailMessagesMax) return false;
    found.add(send.messageId);
    nodes.add(send.node);
    nodes.add(send.peer);
    const endUs = steps.endUs.get(send.messageId);
    if (endUs !== undefined) lastUs = Math.max(lastUs, Math.min(endUs, untilUs));
    return true;
  };
  // Backward from the answer first, so a trail cut at its cap still ends where it ended.
  const answers =
    query.completeUs === null
      ? []
      : (steps.deliveredAt.get(at(query.node, query.completeUs)) ?? []);
  for (const answer of answers) {
    let id: number | undefined = answer;
    while (id !== undefined) {
      const send = steps.sendOf.get(id);
      if (send === undefined || send.timeUs < query.invokeUs || !add(send)) break;
      id = steps.causeOf.get(id);
    }
  }
  // Forward from the request, breadth first, so the hops nearest it are kept at the cap.
  const queue: TraceEvent[] = [...roots];
  for (let head = 0; head < queue.length && found.size < trailMessagesMax; head++) {
    const send = queue[head] as TraceEvent;
    const isNew = add(send);
    const endUs = steps.endUs.get(send.messageId);
    // [2] Only deliveries before the answer pass the operation on (the answer ends it there).
    if (!isNew || endUs === undefined) continue;
    if (endUs > untilUs || (endUs === untilUs && send.peer === query.node)) continue;
    for (const next of steps.sendsOnDelivery.get(send.messageId) ?? []) queue.push(next);
  }
  const messages = [...found].sort((a, b) => a - b);
  return { messages, nodes: [...nodes].sort((a, b) => a - b), lastUs };
}

/*
 * Notes
 *
 * [1] The engine traces a delivery (or a timer firing), then runs the node's handler, whose sends
 *     are traced right after it at the same node and time: that run of events is one step, and
 *     what it sent is caused by what it received (Lamport's happened-before, one hop at a time).
 *     A step that sends at an operation's invocation is how the operation started; a client that
 *     started two operations in the same microsecond gives both the same first messages.
 * [2] Past its answer, what a message still causes (a write's later fan-out to more replicas,
 *     say) is no longer the operation's exchange; a message sent before the answer and arriving
 *     after it is still drawn.
 */
