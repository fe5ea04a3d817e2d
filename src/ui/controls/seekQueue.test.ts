import { describe, expect, it } from 'vitest';
import { seekQueue } from './seekQueue.ts';

/** A queue over a fake seek whose promises the test resolves, and a manual clock. */
function harness() {
  const seeks: { target: number; done: () => void }[] = [];
  const timers: { at: number; callback: () => void; isCancelled: boolean }[] = [];
  const events: string[] = [];
  let nowMs = 0;
  const queue = seekQueue({
    seek: (target) =>
      new Promise<void>((resolve) => {
        seeks.push({ target, done: resolve });
      }),
    onBusyChange: (isBusy) => events.push(isBusy ? 'busy' : 'idle'),
    onSlow: (isSlow) => events.push(isSlow ? 'slow' : 'not slow'),
    slowAfterMs: 150,
    schedule: (callback, delayMs) => {
      const timer = { at: nowMs + delayMs, callback, isCancelled: false };
      timers.push(timer);
      return () => {
        timer.isCancelled = true;
      };
    },
  });
  const advance = (ms: number): void => {
    nowMs += ms;
    for (const timer of timers) {
      if (!timer.isCancelled && timer.at <= nowMs) {
        timer.isCancelled = true;
        timer.callback();
      }
    }
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { queue, seeks, events, advance, settle };
}

describe('seek queue', () => {
  it('sends one seek at a time and only the latest of the requests made meanwhile', async () => {
    const { queue, seeks, events, settle } = harness();
    queue.request(1000);
    queue.request(2000);
    queue.request(3000);
    expect(seeks.map((seek) => seek.target)).toEqual([1000]);
    seeks[0]?.done();
    await settle();
    expect(seeks.map((seek) => seek.target)).toEqual([1000, 3000]);
    seeks[1]?.done();
    await settle();
    expect(seeks).toHaveLength(2);
    expect(events).toEqual(['busy', 'not slow', 'idle']);
  });

  it('reports a slow seek, and clears the report when it ends', async () => {
    const { queue, seeks, events, advance, settle } = harness();
    queue.request(5000);
    advance(100);
    expect(events).toEqual(['busy']);
    advance(60);
    expect(events).toEqual(['busy', 'slow']);
    seeks[0]?.done();
    await settle();
    expect(events).toEqual(['busy', 'slow', 'not slow', 'idle']);
  });

  it('does nothing after it is disposed', async () => {
    const { queue, seeks, events, settle } = harness();
    queue.request(1);
    queue.request(2);
    queue.dispose();
    seeks[0]?.done();
    await settle();
    queue.request(3);
    expect(seeks.map((seek) => seek.target)).toEqual([1]);
    expect(events).toEqual(['busy']);
  });
});
