// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import type { InevitableResult } from '../../shrink/inevitable.ts';
import type { InevitableRequestMessage } from '../../shrink/inevitableMessages.ts';
import { useSimStore } from '../state/store.ts';
import {
  fixtureView,
  makeFrame,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { InevitableControl } from './InevitableControl.tsx';
import type { InevitableWorkerEvents, InevitableWorkerFactory } from './inevitableWorker.ts';

/** A fake worker: records what the page posts and lets the test answer. */
function fakeWorkers() {
  const posted: InevitableRequestMessage[] = [];
  const terminated: number[] = [];
  let events: InevitableWorkerEvents | null = null;
  let created = 0;
  const factory: InevitableWorkerFactory = (given) => {
    events = given;
    const id = ++created;
    return { post: (message) => posted.push(message), terminate: () => terminated.push(id) };
  };
  const worker = () => {
    if (events === null) throw new Error('no worker started');
    return events;
  };
  return { factory, posted, terminated, worker };
}

const partition: RecordedCommand = {
  atUs: 3_310_000,
  command: { type: 'net.partition', groups: [['n1'], ['n2', 'n3']] },
};
const point = (forkUs: number, violated: number) => ({ forkUs, trials: 4, violated });
const result: InevitableResult = {
  invariant: { id: 'one-leader', description: 'At most one leader per term.' },
  violationUs: 5_000_000,
  points: [point(0, 0), point(2_500_000, 1), point(3_750_000, 4), point(5_000_000, 4)],
  inevitableFromUs: 3_750_000,
  runs: 16,
};

function renderControl(factory: InevitableWorkerFactory) {
  const controller = { seek: vi.fn<(timeUs: number) => Promise<void>>(() => Promise.resolve()) };
  seedStore({
    frame: makeFrame({ timeUs: 5_300_000, frontierUs: 6_000_000 }),
    commands: [partition],
  });
  renderWithController(
    <InevitableControl
      invariantId="one-leader"
      description="At most one leader per term."
      violationUs={5_000_000}
      factory={factory}
    />,
    controller,
  );
  return controller;
}

const startButton = () =>
  screen.getByRole('button', {
    name: 'When did it become inevitable that at most one leader per term?',
  });
const curve = () =>
  screen.getByRole('group', {
    name: 'Share of forked runs that broke the invariant, by fork time',
  });

describe('InevitableControl', () => {
  afterEach(resetAfterTest);

  it('measures the run on screen, draws points as they come, then says when it became certain', () => {
    const fake = fakeWorkers();
    const controller = renderControl(fake.factory);
    fireEvent.click(startButton());
    expect(fake.posted).toEqual([
      {
        type: 'start',
        input: {
          run: { ...fixtureView.run, commands: [partition] },
          durationUs: 6_000_000,
          invariantId: 'one-leader',
        },
      },
    ]);
    act(() => {
      fake.worker().onMessage({
        type: 'progress',
        progress: { points: [point(5_000_000, 4)], runs: 4, runsTotal: 16, forksTotal: 4 },
      });
    });
    expect(screen.getByText('1 of 4 forks measured (4 of 16 runs)')).toBeTruthy();
    expect(within(curve()).getAllByRole('button')).toHaveLength(1);
    act(() => {
      fake.worker().onMessage({ type: 'done', result });
    });
    expect(fake.terminated).toEqual([1]);
    expect(screen.getByRole('status').textContent).toBe(
      'Bound to fail from 3.750 s: every run forked there or later broke it; forked at 2.500 s, 1 of 4 runs broke it (16 runs, the faults up to each fork, fresh randomness after).',
    );
    const points = within(curve()).getAllByRole('button');
    expect(points.map((each) => each.getAttribute('aria-label'))).toEqual([
      'Forked at 0.000 s: 0 of 4 runs broke it',
      'Forked at 2.500 s: 1 of 4 runs broke it',
      'Forked at 3.750 s: 4 of 4 runs broke it',
      'Forked at 5.000 s: 4 of 4 runs broke it',
    ]);
    // A point takes the run to its fork and narrows the log to what happened since the last one.
    fireEvent.keyDown(points[2] as Element, { key: 'Enter' });
    expect(controller.seek).toHaveBeenCalledWith(3_750_000);
    expect(useSimStore.getState().eventWindow).toEqual({
      fromUs: 2_500_000,
      toUs: 3_750_000,
      label: 'between the forks at 2.500 s and 3.750 s',
    });
    fireEvent.click(points[0] as Element);
    expect(useSimStore.getState().eventWindow).toEqual({
      fromUs: 0,
      toUs: 0,
      label: 'up to the fork at 0.000 s',
    });
  });

  it('stops on Cancel, keeping the points measured, and says why it failed', () => {
    const fake = fakeWorkers();
    renderControl(fake.factory);
    fireEvent.click(startButton());
    fireEvent.click(
      screen.getByRole('button', { name: 'Stop measuring when one-leader became inevitable' }),
    );
    expect(fake.posted.at(-1)).toEqual({ type: 'cancel' });
    act(() => {
      fake.worker().onMessage({
        type: 'cancelled',
        progress: {
          points: [point(5_000_000, 4), point(0, 0)],
          runs: 9,
          runsTotal: 16,
          forksTotal: 4,
        },
      });
    });
    expect(screen.getByRole('status').textContent).toBe(
      'Stopped after 9 runs; the forks measured so far are drawn.',
    );
    expect(within(curve()).getAllByRole('button')).toHaveLength(2);
    fireEvent.click(startButton());
    act(() => {
      fake.worker().onError('out of memory');
    });
    expect(screen.getByRole('status').textContent).toBe(
      'Measuring stopped: the worker failed (out of memory). The run on screen is unchanged.',
    );
  });
});
