import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './queue.ts';

describe('EventQueue', () => {
  it('pops in time order and breaks ties by insertion order', () => {
    const queue = new EventQueue(4);
    const pushes: [number, number][] = [
      [5, 0],
      [1, 1],
      [5, 2],
      [3, 3],
      [1, 4],
      [5, 5],
    ];
    for (const [time, slot] of pushes) queue.push(time, slot);
    const popped: number[] = [];
    while (queue.size > 0) popped.push(queue.pop());
    expect(popped).toEqual([1, 4, 3, 0, 2, 5]);
    expect(queue.pop()).toBe(-1);
    expect(queue.peekTime()).toBe(Infinity);
  });

  it('matches a stable sort for any interleaving of pushes and pops (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }),
        (ops) => {
          const queue = new EventQueue(2);
          const model: { time: number; seq: number; slot: number }[] = [];
          let seq = 0;
          let now = 0;
          for (const op of ops) {
            if (op === -1) {
              model.sort((a, b) => a.time - b.time || a.seq - b.seq);
              const expected = model.shift();
              const time = queue.peekTime();
              const slot = queue.pop();
              if (expected === undefined) {
                expect(slot).toBe(-1);
              } else {
                expect([time, slot]).toEqual([expected.time, expected.slot]);
                now = expected.time;
              }
            } else {
              const time = now + op;
              queue.push(time, seq);
              model.push({ time, seq, slot: seq });
              seq++;
            }
          }
        },
      ),
    );
  });

  it('restores from a snapshot to the same order', () => {
    const queue = new EventQueue(2);
    for (let i = 0; i < 100; i++) queue.push((i * 37) % 11, i);
    for (let i = 0; i < 30; i++) queue.pop();
    const copy = EventQueue.restore(queue.snapshot());
    copy.push(4, 1000);
    queue.push(4, 1000);
    while (queue.size > 0) {
      expect(copy.peekTime()).toBe(queue.peekTime());
      expect(copy.pop()).toBe(queue.pop());
    }
    expect(copy.size).toBe(0);
  });
});
