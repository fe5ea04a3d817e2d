import { describe, expect, it } from 'vitest';
import { cloneData } from '../../engine/clone.ts';
import { type AnswerLog, firstAnswer, logAnswer, newAnswerLog } from './answerLog.ts';

/** Logs requests `from…to` (ids in that order), answer ids that need the length prefix. */
function logRange(log: AnswerLog, capacity: number, from: number, to: number): void {
  for (let requestId = from; requestId <= to; requestId++) {
    logAnswer(log, capacity, requestId, `a ${requestId}:x`);
  }
}

describe('the answer log', () => {
  it('remembers exactly the last `capacity` first answers', () => {
    const log = newAnswerLog();
    logRange(log, 300, 1, 1000);
    expect(firstAnswer(log, 300, 700)).toBeUndefined();
    expect(firstAnswer(log, 300, 701)).toBe('a 701:x');
    expect(firstAnswer(log, 300, 1000)).toBe('a 1000:x');
  });

  it('answers the same after a copy (a checkpoint), whose index is built from the text', () => {
    const log = newAnswerLog();
    logRange(log, 300, 1, 1000);
    const copy = cloneData(log);
    for (const requestId of [1, 700, 701, 850, 1000, 1001]) {
      expect(firstAnswer(copy, 300, requestId)).toBe(firstAnswer(log, 300, requestId));
    }
    // Both go on alike, a request id that left the window included.
    logAnswer(log, 300, 5, 'again');
    logAnswer(copy, 300, 5, 'again');
    logRange(log, 300, 1001, 1299);
    logRange(copy, 300, 1001, 1299);
    for (const requestId of [5, 1000, 1001, 1299]) {
      expect(firstAnswer(copy, 300, requestId)).toBe(firstAnswer(log, 300, requestId));
    }
    expect(firstAnswer(log, 300, 5)).toBe('again');
    expect(firstAnswer(log, 300, 1000)).toBeUndefined();
  });

  it('keeps its text bounded: chunks whose entries all left the window are dropped', () => {
    const log = newAnswerLog();
    logRange(log, 300, 1, 10_000);
    const held = log.sealed.length * 256 + log.openCount;
    expect(held).toBeGreaterThanOrEqual(300);
    expect(held).toBeLessThan(300 + 2 * 256);
  });
});
