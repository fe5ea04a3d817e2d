import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialState, useSimStore } from '../state/store.ts';
import { ThrottledValue } from './useThrottledStore.ts';

const notices = (count: number) =>
  Array.from({ length: count }, (_, id) => ({ id, tone: 'info' as const, text: `n${id}` }));

describe('ThrottledValue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    useSimStore.setState({ ...initialState });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes changes on at most once per interval and always delivers the last one', () => {
    const throttled = new ThrottledValue((state) => state.notices, 200);
    const notify = vi.fn();
    const unsubscribe = throttled.subscribe(notify);
    expect(notify).not.toHaveBeenCalled();

    // Sixty store updates in one second of frames.
    for (let frame = 1; frame <= 60; frame++) {
      useSimStore.setState({ notices: notices(frame) });
      vi.advanceTimersByTime(1000 / 60);
    }
    vi.advanceTimersByTime(200);
    expect(notify.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(notify.mock.calls.length).toBeLessThanOrEqual(7);
    expect(throttled.getSnapshot()).toHaveLength(60);
    unsubscribe();
  });

  it('stops after unsubscribing', () => {
    const throttled = new ThrottledValue((state) => state.notices, 200);
    const notify = vi.fn();
    throttled.subscribe(notify)();
    useSimStore.setState({ notices: notices(1) });
    vi.advanceTimersByTime(1000);
    expect(notify).not.toHaveBeenCalled();
  });
});
