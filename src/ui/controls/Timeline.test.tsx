// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeFrame, renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { Timeline } from './Timeline.tsx';

afterEach(resetAfterTest);

function renderTimeline() {
  const seek = vi.fn<(timeUs: number) => Promise<void>>(() => Promise.resolve());
  seedStore({
    frame: makeFrame({ timeUs: 2_000_000, frontierUs: 8_000_000 }),
    commands: [{ atUs: 4_000_000, event: 10, command: { type: 'node.crash', node: 'n2' } }],
  });
  renderWithController(<Timeline />, { seek });
  return { seek, slider: screen.getByRole('slider', { name: 'Simulated time' }) };
}

describe('Timeline', () => {
  it('spans the run so far and shows where the run is', () => {
    const { slider } = renderTimeline();
    expect(slider.getAttribute('max')).toBe('8000000');
    expect(slider).toHaveProperty('value', '2000000');
    expect(slider.getAttribute('aria-valuetext')).toBe('t = 2.000 s of t = 8.000 s');
  });

  it('marks each command at its time on the track', () => {
    renderTimeline();
    const marks = screen.getByRole('list', { name: 'Commands on the timeline' });
    const mark = marks.querySelector('li');
    expect(mark?.textContent).toBe('t = 4.000 s: crash n2');
    expect(mark?.getAttribute('style')).toContain('left: 50%');
  });

  it('seeks where the slider is dragged, and moves by 1% / 10% with the keys', async () => {
    const { seek, slider } = renderTimeline();
    await act(async () => {
      fireEvent.change(slider, { target: { value: '6000000' } });
      await Promise.resolve();
    });
    expect(seek).toHaveBeenLastCalledWith(6_000_000);
    await act(async () => {
      fireEvent.keyDown(slider, { key: 'PageDown' });
      await Promise.resolve();
    });
    // From the frame's time (2 s), 10% of the 8 s run back.
    expect(seek).toHaveBeenLastCalledWith(1_200_000);
    await act(async () => {
      fireEvent.keyDown(slider, { key: 'ArrowRight' });
      await Promise.resolve();
    });
    expect(seek).toHaveBeenLastCalledWith(2_080_000);
  });
});
