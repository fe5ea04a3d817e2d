// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { initialState, useSimStore } from '../state/store.ts';
import { DrawnDots, followMessageHover } from './topologyHover.ts';

afterEach(() => {
  useSimStore.setState(initialState);
  document.body.replaceChildren();
});

describe('DrawnDots', () => {
  it('finds the nearest dot within the radius, and nothing farther', () => {
    const dots = new DrawnDots(4);
    dots.add(7, 10, 10);
    dots.add(8, 20, 10);
    expect(dots.nearest(12, 11, 6)).toBe(7);
    expect(dots.nearest(17, 10, 6)).toBe(8);
    expect(dots.nearest(15, 30, 6)).toBeNull();
  });

  it('forgets the last frame on clear and ignores dots past its capacity', () => {
    const dots = new DrawnDots(1);
    dots.add(1, 0, 0);
    dots.add(2, 50, 50);
    expect(dots.nearest(50, 50, 3)).toBeNull();
    dots.clear();
    expect(dots.nearest(0, 0, 3)).toBeNull();
  });
});

describe('followMessageHover', () => {
  it('publishes the message under the pointer and clears it on leaving', () => {
    const host = document.createElement('section');
    const canvas = document.createElement('canvas');
    host.append(canvas);
    document.body.append(host);
    const stop = followMessageHover(canvas, (x, y) => (x < 10 && y < 10 ? 42 : null));
    host.dispatchEvent(new MouseEvent('pointermove', { clientX: 5, clientY: 5 }));
    expect(useSimStore.getState().hoveredMessage).toBe(42);
    host.dispatchEvent(new MouseEvent('pointermove', { clientX: 50, clientY: 5 }));
    expect(useSimStore.getState().hoveredMessage).toBeNull();
    host.dispatchEvent(new MouseEvent('pointermove', { clientX: 1, clientY: 1 }));
    host.dispatchEvent(new MouseEvent('pointerleave'));
    expect(useSimStore.getState().hoveredMessage).toBeNull();
    stop();
    host.dispatchEvent(new MouseEvent('pointermove', { clientX: 5, clientY: 5 }));
    expect(useSimStore.getState().hoveredMessage).toBeNull();
  });
});
