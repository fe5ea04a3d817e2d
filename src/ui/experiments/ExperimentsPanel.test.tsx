// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ToExperimentWorker } from '../../experiments/messages.ts';
import { keysMoved } from '../../experiments/keysMoved.ts';
import { handleExperimentMessage } from '../../experiments/workerRunner.ts';
import { scenarioCatalogue } from '../../worker/catalogue.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import { renderWithController, resetAfterTest } from '../testing/fixtures.ts';
import { experimentLink, linkedExperiment } from './experimentText.ts';
import type { ExperimentWorkerFactory } from './experimentWorker.ts';
import { ExperimentsPanel } from './ExperimentsPanel.tsx';

afterEach(() => {
  resetAfterTest();
  window.history.replaceState(null, '', '/');
});

/** A worker that answers in-process and at once, as the real one does in its own thread. */
function inlineWorker(terminate = vi.fn()): ExperimentWorkerFactory {
  return (onMessage) => ({
    post(message: ToExperimentWorker) {
      handleExperimentMessage(scenarioCatalogue, message, onMessage);
    },
    terminate,
  });
}

/** A worker that lists the experiments but never finishes a run, so one can cancel it. */
function stuckWorker(terminate: () => void): ExperimentWorkerFactory {
  return (onMessage) => ({
    post(message: ToExperimentWorker) {
      if (message.type === 'list') handleExperimentMessage(scenarioCatalogue, message, onMessage);
    },
    terminate,
  });
}

function fakeController() {
  return {
    load: vi.fn<(request: RunRequest, positionUs?: number) => Promise<void>>(() =>
      Promise.resolve(),
    ),
  };
}

function openPanel(): void {
  fireEvent.click(screen.getByText('Experiments', { selector: 'summary' }));
  const details = screen.getByText('Experiments', { selector: 'summary' }).parentElement;
  // jsdom does not toggle <details> on a click: say it opened, as a browser would.
  if (details instanceof HTMLDetailsElement) {
    details.open = true;
    fireEvent(details, new Event('toggle'));
  }
}

describe('ExperimentsPanel', () => {
  it('lists the experiments from its worker, runs one and draws each point as a button that opens its run', () => {
    const controller = fakeController();
    renderWithController(<ExperimentsPanel workerFactory={inlineWorker()} />, controller);
    openPanel();
    const select = screen.getByLabelText('Experiment');
    expect(
      within(select)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toContain(keysMoved.title);
    fireEvent.change(screen.getByLabelText(/^Seeds/), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));

    const figure = screen.getByRole('group', { name: /^Keys moved when adding a shard/ });
    const points = within(figure).getAllByRole('button');
    // 6 values of N × 2 series.
    expect(points).toHaveLength(12);
    expect(figure.querySelectorAll('path.experiment-theory')).toHaveLength(2);
    const first = points[0];
    expect(first?.getAttribute('aria-label')).toMatch(
      /^hash mod N, N, the shards before one joins 2 shards: share of keys moved 0\.661 ± 0 ratio over 3 seeds\. Open its seed-1 run\.$/,
    );
    if (first !== undefined) fireEvent.click(first);
    expect(controller.load).toHaveBeenCalledWith(
      {
        scenarioId: 'sharding',
        seed: 1,
        variant: 'pattern',
        params: keysMoved.runOf(2, 'mod-n').params,
        commands: [],
      },
      keysMoved.runOf(2, 'mod-n').durationMs * 1000,
    );
  });

  it('refuses a seed count it cannot run, and starts nothing', () => {
    const post = vi.fn();
    const factory: ExperimentWorkerFactory = (onMessage) => ({
      post(message: ToExperimentWorker) {
        post(message);
        if (message.type === 'list') handleExperimentMessage(scenarioCatalogue, message, onMessage);
      },
      terminate: vi.fn(),
    });
    renderWithController(<ExperimentsPanel workerFactory={factory} />, fakeController());
    openPanel();
    fireEvent.change(screen.getByLabelText(/^Seeds/), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getByText('Seeds must be a whole number from 1 to 50.')).toBeTruthy();
    expect(post.mock.calls.map(([message]) => (message as ToExperimentWorker).type)).toEqual([
      'list',
    ]);
  });

  it('shows progress while it runs and cancels by ending its worker', () => {
    const terminate = vi.fn();
    renderWithController(
      <ExperimentsPanel workerFactory={stuckWorker(terminate)} />,
      fakeController(),
    );
    openPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const progress = screen.getByRole('progressbar');
    expect(progress.getAttribute('max')).toBe(String(keysMoved.defaultSeeds * 12));
    expect(screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(terminate).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Cancelled.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('opens and runs the experiment a shared link names', () => {
    window.history.replaceState(null, '', '/?experiment=keys-moved&seeds=2');
    renderWithController(<ExperimentsPanel workerFactory={inlineWorker()} />, fakeController());
    const figure = screen.getByRole('group', { name: /^Keys moved when adding a shard/ });
    expect(within(figure).getAllByRole('button')[0]?.getAttribute('aria-label')).toMatch(
      /over 2 seeds/,
    );
  });

  it('says why when its worker dies', () => {
    const factory: ExperimentWorkerFactory = (_onMessage, onError) => ({
      post() {
        onError('out of memory');
      },
      terminate: vi.fn(),
    });
    renderWithController(<ExperimentsPanel workerFactory={factory} />, fakeController());
    openPanel();
    expect(screen.getByRole('alert').textContent).toBe(
      'The experiment worker stopped: out of memory',
    );
  });
});

describe('experiment links', () => {
  it('round-trip the experiment and seeds, keeping the run in the fragment', () => {
    const link = experimentLink(
      { origin: 'https://x.test', pathname: '/app/', search: '?a=1', hash: '#/sharding?run=abc' },
      'queueing',
      4,
    );
    expect(link).toBe('https://x.test/app/?a=1&experiment=queueing&seeds=4#/sharding?run=abc');
    expect(linkedExperiment(new URL(link).search)).toEqual({ id: 'queueing', seeds: 4 });
    expect(linkedExperiment('?experiment=queueing&seeds=-3')).toEqual({
      id: 'queueing',
      seeds: null,
    });
    expect(linkedExperiment('?seeds=3')).toBeNull();
  });
});
