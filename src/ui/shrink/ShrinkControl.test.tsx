// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import type { ShrinkResult } from '../../shrink/shrink.ts';
import type { ShrinkRequestMessage } from '../../shrink/shrinkMessages.ts';
import {
  fixtureView,
  makeFrame,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { parseCompareFragment, payloadFor } from '../compare/compareUrl.ts';
import { ShrinkControl } from './ShrinkControl.tsx';
import type { ShrinkWorkerEvents, ShrinkWorkerFactory } from './shrinkWorker.ts';

/** A fake worker: records what the page posts and lets the test answer. */
function fakeWorkers() {
  const posted: ShrinkRequestMessage[] = [];
  const terminated: number[] = [];
  let events: ShrinkWorkerEvents | null = null;
  let created = 0;
  const factory: ShrinkWorkerFactory = (given) => {
    events = given;
    const id = ++created;
    return {
      post: (message) => posted.push(message),
      terminate: () => terminated.push(id),
    };
  };
  const worker = () => {
    if (events === null) throw new Error('no worker started');
    return events;
  };
  return { factory, posted, terminated, worker, count: () => created };
}

const crash: RecordedCommand = { atUs: 5_000_000, command: { type: 'node.crash', node: 'n1' } };
const filler: RecordedCommand[] = Array.from({ length: 17 }, (_, index) => ({
  atUs: (index + 1) * 250_000,
  command: { type: 'node.crash', node: 'n2' },
}));

const result: ShrinkResult = {
  invariant: { id: 'one-leader', description: 'At most one leader per term.' },
  original: {
    run: { ...fixtureView.run, commands: filler },
    durationUs: 6_000_000,
    violation: { timeUs: 5_243_000, message: 'two leaders' },
  },
  minimal: {
    run: { ...fixtureView.run, commands: [crash] },
    durationUs: 5_229_000,
    violation: { timeUs: 5_228_000, message: 'two leaders' },
  },
  runs: 21,
  steps: [],
};

function renderControl(factory: ShrinkWorkerFactory) {
  const controller = { load: vi.fn<(run: unknown, atUs: number) => Promise<void>>() };
  controller.load.mockResolvedValue();
  seedStore({ frame: makeFrame({ timeUs: 5_300_000, frontierUs: 6_000_000 }), commands: filler });
  renderWithController(
    <ShrinkControl
      invariantId="one-leader"
      description="At most one leader per term."
      violationUs={1_250_000}
      factory={factory}
    />,
    controller,
  );
  return controller;
}

function shrinkButton(): HTMLElement {
  return screen.getByRole('button', {
    name: 'Find the smallest run that still breaks At most one leader per term.',
  });
}

describe('ShrinkControl', () => {
  afterEach(resetAfterTest);

  it('shrinks the run on screen up to its frontier, shows progress, then the result', () => {
    const fake = fakeWorkers();
    const controller = renderControl(fake.factory);
    fireEvent.click(shrinkButton());
    expect(fake.posted).toEqual([
      {
        type: 'start',
        input: {
          run: { ...fixtureView.run, commands: filler },
          durationUs: 6_000_000,
          invariantId: 'one-leader',
        },
      },
    ]);
    act(() => {
      fake.worker().onMessage({
        type: 'progress',
        progress: { phase: 'removing', runs: 12, size: 5 },
      });
    });
    expect(
      screen.getByText('Removing commands: 12 runs, 5 commands or settings left'),
    ).toBeTruthy();
    // The live region names the phase only, not every run.
    expect(screen.getByRole('status').textContent).toBe('Shrinking: removing commands');
    act(() => {
      fake.worker().onMessage({ type: 'done', result });
    });
    expect(fake.terminated).toEqual([1]);
    expect(screen.getAllByRole('status')[0]?.textContent).toBe(
      '1 command instead of 17; the invariant breaks at 5.228 s instead of 5.243 s; 21 runs.',
    );
    const list = screen.getByRole('list', { name: 'Commands of the minimal run' });
    expect(list.textContent).toContain('5.000 s');
    expect(list.textContent).toContain('n1');
    fireEvent.click(screen.getByRole('button', { name: 'Open the minimal run' }));
    expect(controller.load).toHaveBeenCalledWith(result.minimal.run, 5_228_000);
    expect(screen.getByRole('button', { name: 'Copy link to the minimal run' })).toBeTruthy();
    // Beside the original on the compare page: a the original, b the minimal run, both opened
    // where the original broke.
    const beside = screen.getByRole('link', { name: 'Compare with the original' });
    const parsed = parseCompareFragment(`#${beside.getAttribute('href')?.split('#')[1] ?? ''}`);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.payloads).toEqual({
      a: payloadFor(result.original.run, result.original.violation.timeUs),
      b: payloadFor(result.minimal.run, result.original.violation.timeUs),
    });
  });

  it('cancels: says how many runs it took and opens the smallest failing run so far', () => {
    const fake = fakeWorkers();
    const controller = renderControl(fake.factory);
    fireEvent.click(shrinkButton());
    fireEvent.click(screen.getByRole('button', { name: 'Cancel shrinking one-leader' }));
    expect(fake.posted.at(-1)).toEqual({ type: 'cancel' });
    act(() => {
      fake.worker().onMessage({
        type: 'cancelled',
        runs: 9,
        smallest: { ...fixtureView.run, commands: [crash] },
      });
    });
    expect(screen.getByRole('status').textContent).toBe('Stopped after 9 runs.');
    fireEvent.click(screen.getByRole('button', { name: 'Open the smallest failing run so far' }));
    expect(controller.load).toHaveBeenCalledWith(
      { ...fixtureView.run, commands: [crash] },
      6_000_000,
    );
  });

  it('says why in one sentence when the worker refuses or dies, and leaves the run alone', () => {
    const fake = fakeWorkers();
    const controller = renderControl(fake.factory);
    fireEvent.click(shrinkButton());
    act(() => {
      fake.worker().onMessage({ type: 'failed', message: 'The run does not violate one-leader.' });
    });
    expect(screen.getByRole('status').textContent).toBe('The run does not violate one-leader.');
    fireEvent.click(shrinkButton());
    expect(fake.count()).toBe(2);
    act(() => {
      fake.worker().onError('out of memory');
    });
    expect(screen.getByRole('status').textContent).toMatch(
      /^Shrinking stopped: the worker failed \(out of memory\)\. The run on screen is unchanged\.$/,
    );
    expect(controller.load).not.toHaveBeenCalled();
    // Shrink is offered again.
    expect(shrinkButton()).toBeTruthy();
  });
});
