import { describe, expect, it } from 'vitest';
import type { TraceEvent, TraceEventType } from '../engine/trace.ts';
import { operationTrails, trailMessagesMax } from './operationTrails.ts';

/** Builds trace events in order: [time, type, node, peer, messageId]. */
function trace(rows: readonly [number, TraceEventType, number, number, number][]): TraceEvent[] {
  return rows.map(([timeUs, type, node, peer, messageId], index) => ({
    index,
    timeUs,
    type,
    node,
    peer,
    messageId,
    label: '',
    value: 0,
  }));
}

// Client 0 asks router 1 (message 1), which asks shard 2 (2); the shard answers the router (3),
// the router answers the client (4). Meanwhile node 3 talks to node 2 about something else (5, 6)
// and the shard, after the answer, tells node 3 (7).
const exchange = trace([
  [100, 'timer.fired', 0, -1, -1],
  [100, 'message.sent', 0, 1, 1],
  [110, 'timer.fired', 3, -1, -1],
  [110, 'message.sent', 3, 2, 5],
  [150, 'message.delivered', 1, 0, 1],
  [150, 'message.sent', 1, 2, 2],
  [160, 'message.delivered', 2, 3, 5],
  [160, 'message.sent', 2, 3, 6],
  [200, 'message.delivered', 2, 1, 2],
  [200, 'message.sent', 2, 1, 3],
  [210, 'message.delivered', 3, 2, 6],
  [250, 'message.delivered', 1, 2, 3],
  [250, 'message.sent', 1, 0, 4],
  [300, 'message.delivered', 0, 1, 4],
  [300, 'message.sent', 0, 1, 8],
  [400, 'message.delivered', 1, 0, 8],
  [400, 'message.sent', 1, 2, 7],
]);

describe('operationTrails', () => {
  it('follows the request through every hop to the answer, and nothing beside it', () => {
    const [trail] = operationTrails(exchange, [{ node: 0, invokeUs: 100, completeUs: 300 }]);
    expect(trail).toEqual({ messages: [1, 2, 3, 4], nodes: [0, 1, 2], lastUs: 300 });
  });

  it('stops at the answer: what a later delivery causes is not the operation’s', () => {
    // Answered at 250 (say the router's own reply counted): message 4 arrives after it.
    const [trail] = operationTrails(exchange, [{ node: 0, invokeUs: 100, completeUs: 250 }]);
    expect(trail?.messages).toEqual([1, 2, 3, 4]);
    expect(trail?.lastUs).toBe(250);
    // Followed to the end of the trace, an unanswered operation picks up what came later.
    const [open] = operationTrails(exchange, [{ node: 0, invokeUs: 300, completeUs: null }]);
    expect(open?.messages).toEqual([7, 8]);
  });

  it('is null before the trace’s first event and where the client sent nothing', () => {
    const late = exchange.slice(2);
    expect(operationTrails(late, [{ node: 0, invokeUs: 100, completeUs: 300 }])).toEqual([null]);
    expect(operationTrails(exchange, [{ node: 0, invokeUs: 150, completeUs: 300 }])).toEqual([
      null,
    ]);
  });

  it('joins the two sides of work a node queued for later: the hops before and after it', () => {
    // The router hands the request to shard 2 (2); the shard queues it and answers from a timer
    // (3), the router passes the answer on (4). Node 3's message (5) at the same time is not it.
    const queued = trace([
      [100, 'timer.fired', 0, -1, -1],
      [100, 'message.sent', 0, 1, 1],
      [150, 'message.delivered', 1, 0, 1],
      [150, 'message.sent', 1, 2, 2],
      [200, 'message.delivered', 2, 1, 2],
      [260, 'timer.fired', 2, -1, -1],
      [260, 'message.sent', 2, 1, 3],
      [260, 'message.sent', 2, 3, 5],
      [300, 'message.delivered', 1, 2, 3],
      [300, 'message.sent', 1, 0, 4],
      [350, 'message.delivered', 0, 1, 4],
    ]);
    const [trail] = operationTrails(queued, [{ node: 0, invokeUs: 100, completeUs: 350 }]);
    expect(trail).toEqual({ messages: [1, 2, 3, 4], nodes: [0, 1, 2], lastUs: 350 });
  });

  it('keeps a lost request and a dropped hop, which end there', () => {
    const lossy = trace([
      [100, 'timer.fired', 0, -1, -1],
      [100, 'message.sent', 0, 1, 1],
      [100, 'message.dropped', 0, 1, 1],
      [100, 'message.sent', 0, 2, 2],
      [140, 'message.dropped', 2, 0, 2],
    ]);
    const [trail] = operationTrails(lossy, [{ node: 0, invokeUs: 100, completeUs: null }]);
    expect(trail).toEqual({ messages: [1, 2], nodes: [0, 1, 2], lastUs: 140 });
  });

  it('caps a trail that becomes a broadcast', () => {
    const rows: [number, TraceEventType, number, number, number][] = [
      [100, 'timer.fired', 0, -1, -1],
      [100, 'message.sent', 0, 1, 1],
      [150, 'message.delivered', 1, 0, 1],
    ];
    for (let id = 2; id < 200; id++) rows.push([150, 'message.sent', 1, 2, id]);
    const [trail] = operationTrails(trace(rows), [{ node: 0, invokeUs: 100, completeUs: null }]);
    expect(trail?.messages).toHaveLength(trailMessagesMax);
    expect(trail?.messages[0]).toBe(1);
  });
});
