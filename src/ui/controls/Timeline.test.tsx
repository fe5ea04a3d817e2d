// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fixtureMeta,
  fixtureView,
  makeFrame,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
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

  it('words a scenario control on its mark with the scenario’s labels, a choice by its name', () => {
    const meta = {
      ...fixtureMeta,
      faults: [
        {
          id: 'set-mode',
          kind: 'control' as const,
          label: 'Set the mode',
          help: 'Switches the mode.',
          roles: ['server'],
          args: {
            mode: {
              label: 'Mode',
              default: 0,
              min: 0,
              max: 1,
              step: 1,
              unit: '',
              help: 'Off or on.',
              choices: [
                { value: 0, label: 'off' },
                { value: 1, label: 'on' },
              ],
            },
          },
        },
      ],
    };
    seedStore({
      view: { ...fixtureView, meta },
      frame: makeFrame({ timeUs: 2_000_000, frontierUs: 8_000_000 }),
      commands: [
        {
          atUs: 4_000_000,
          command: { type: 'scenario.fault', fault: 'set-mode', node: 'n1', args: { mode: 1 } },
        },
      ],
    });
    renderWithController(<Timeline />, { seek: vi.fn() });
    const marks = screen.getByRole('list', { name: 'Commands on the timeline' });
    expect(marks.querySelector('li')?.textContent).toBe(
      't = 4.000 s: Set the mode on n1 (Mode on)',
    );
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

  it('shows the moments as ticks that seek to them, the next one in the tab order', async () => {
    const seek = vi.fn<(timeUs: number) => Promise<void>>(() => Promise.resolve());
    const moment = (timeUs: number, kind: string, text: string) => ({
      timeUs,
      eventCount: timeUs / 1000,
      kind,
      text,
      nodes: ['n1'],
    });
    seedStore({
      frame: makeFrame({ timeUs: 3_000_000, frontierUs: 8_000_000 }),
      moments: [
        moment(1_000_000, 'leader-elected', 'n1 won the election for term 1'),
        moment(4_000_000, 'leader-lost', 'n1 crashed: no leader'),
        moment(6_000_000, 'leader-elected', 'n2 won the election for term 2'),
      ],
    });
    renderWithController(<Timeline />, { seek });
    const list = screen.getByRole('list', { name: 'Moments on the timeline (3)' });
    const ticks = within(list).getAllByRole('button');
    expect(ticks.map((tick) => tick.getAttribute('aria-label'))).toEqual([
      't = 1.000 s: n1 won the election for term 1',
      't = 4.000 s: n1 crashed: no leader',
      't = 6.000 s: n2 won the election for term 2',
    ]);
    expect(ticks[1]?.getAttribute('style')).toContain('left: 50%');
    // The next moment after 3 s is the one tab stop; the arrow keys move between ticks.
    expect(ticks.map((tick) => tick.tabIndex)).toEqual([-1, 0, -1]);
    ticks[1]?.focus();
    fireEvent.keyDown(ticks[1] as HTMLElement, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(ticks[2]);
    await act(async () => {
      fireEvent.click(ticks[2] as HTMLElement);
      await Promise.resolve();
    });
    expect(seek).toHaveBeenLastCalledWith(6_000_000);
  });

  it('says when no moment has happened yet, and shows no row for a scenario without moments', () => {
    renderTimeline();
    expect(screen.getByText('No moments yet')).toBeTruthy();
    cleanup();
    seedStore({ view: { ...fixtureView, meta: { ...fixtureMeta, moments: [] } } });
    renderWithController(<Timeline />, {});
    expect(screen.queryByRole('list', { name: /^Moments on the timeline/ })).toBeNull();
    expect(screen.queryByText('No moments yet')).toBeNull();
  });
});
