// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExplorePlan } from '../../explore/plan.ts';
import { seedsOf } from '../../explore/plan.ts';
import { batchCounts, countLine, violatingSeeds } from '../../explore/results.ts';
import { runSeed } from '../../explore/runSeed.ts';
import { plantedViolation } from '../../scenarios/planted-violation/model.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import { scenarioCatalogue } from '../../worker/catalogue.ts';
import { runHeadless } from '../../worker/headless.ts';
import { scenarioMeta } from '../../worker/runs.ts';
import { formatSimTime } from '../controls/format.ts';
import { FixedSizeObserver } from '../testing/dom.ts';
import { renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import type { ExploreWorkerFactory } from './explorePool.ts';
import { ExplorePanel } from './ExplorePanel.tsx';

beforeAll(() => {
  vi.stubGlobal('ResizeObserver', FixedSizeObserver);
});
afterEach(resetAfterTest);

/** The planted-violation fixture as the page would have it loaded. */
function loadPlanted(): void {
  seedStore({
    view: {
      meta: scenarioMeta(plantedViolation),
      topology: { nodes: [], links: [] },
      run: {
        scenarioId: plantedViolation.id,
        scenarioVersion: plantedViolation.version,
        seed: 1,
        variant: 'pattern',
        params: {},
        commands: [],
      },
    },
  });
}

/** Workers that run each seed for real, synchronously, as the explore worker does. */
const inlineWorkers: ExploreWorkerFactory = (events) => ({
  post(message) {
    message.seeds.forEach((seed, index) => {
      events.onSeedDone({
        type: 'seed',
        outcome: runSeed(scenarioCatalogue, message.plan, seed),
        remaining: message.seeds.length - index - 1,
      });
    });
  },
  terminate: () => undefined,
});

function fakeController() {
  return {
    load: vi.fn<(request: RunRequest, positionUs?: number) => Promise<void>>(() =>
      Promise.resolve(),
    ),
  };
}

function fill(label: RegExp, value: string): void {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

const plan: ExplorePlan = {
  scenarioId: 'planted-violation',
  variant: 'pattern',
  params: {},
  seedFirst: 1,
  seedLast: 24,
  durationUs: 10_000_000,
  isChaos: true,
};

describe('ExplorePanel', () => {
  it('explains what a wrong field needs and starts nothing', () => {
    loadPlanted();
    const factory = vi.fn(inlineWorkers);
    renderWithController(<ExplorePanel workerFactory={factory} />, fakeController());
    fill(/^Last seed/, '0');
    fill(/^Duration/, '');
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getByText('The last seed must be at or after the first (1).')).toBeTruthy();
    expect(screen.getByText(/Enter a duration/)).toBeTruthy();
    expect(screen.getByLabelText(/^Last seed/).getAttribute('aria-invalid')).toBe('true');
    expect(factory).not.toHaveBeenCalled();
    expect(screen.queryByRole('progressbar')).toBeNull();
    fill(/^Last seed/, '3');
    expect(screen.queryByText(/must be at or after/)).toBeNull();
  });

  it('runs a batch, counts it, charts a metric and opens a violating seed in the main view', () => {
    loadPlanted();
    const controller = fakeController();
    renderWithController(<ExplorePanel workerFactory={inlineWorkers} />, controller);
    fill(/^Last seed/, '24');
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));

    const progress = screen.getByRole('progressbar', { name: '24 of 24 seeds' });
    expect(progress.getAttribute('value')).toBe('24');
    expect(screen.getByRole('status').textContent).toBe('Done.');
    // The expected outcome is computed by running the same seeds directly, not typed in.
    const direct = seedsOf(plan).map((seed) => runSeed(scenarioCatalogue, plan, seed));
    const violating = violatingSeeds(direct);
    const expected = violating.map((result) => result.seed);
    expect(expected.length).toBeGreaterThan(0);
    expect(screen.getByText(countLine(batchCounts(direct)))).toBeTruthy();

    const chart = screen.getByRole('img', { name: /^Seeds by Last value issued/ });
    expect(chart.querySelectorAll('rect.histogram-bar').length).toBeGreaterThan(0);
    fireEvent.change(screen.getByLabelText(/^Metric/), { target: { value: 'unacked' } });
    expect(screen.getByRole('img', { name: /^Seeds by Values not yet acknowledged/ })).toBeTruthy();

    const list = screen.getByRole('list', { name: 'Seeds that violated an invariant' });
    const buttons = within(list).getAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual(
      expected.map((seed) => `Open seed ${seed}`),
    );
    const [first] = violating;
    if (first === undefined) throw new Error('no violating seed');
    const open = within(list).getByRole('button', { name: `Open seed ${first.seed}` });
    // It opens where the run broke, and says so: the first violation's time, from the run itself.
    const brokeAtUs = first.firstViolationUs ?? 0;
    expect(brokeAtUs).toBeGreaterThan(0);
    expect(open.getAttribute('aria-describedby')).toBeTruthy();
    const description = document.getElementById(open.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent).toBe(
      `Opens paused at its first violation, ${formatSimTime(brokeAtUs)}.`,
    );
    fireEvent.click(open);
    expect(controller.load).toHaveBeenCalledTimes(1);
    const [opened, positionUs] = controller.load.mock.calls[0] ?? [];
    expect(opened?.seed).toBe(first.seed);
    expect(opened?.scenarioId).toBe('planted-violation');
    expect(opened?.commands.length).toBeGreaterThan(0);
    expect(positionUs).toBe(brokeAtUs);
  });

  it('opens a violating seed at a time where the run, replayed, has just broken', () => {
    // The time the button passes is where the violation happens: replaying the request up to it
    // shows the invariant violated, and a microsecond earlier it was not yet.
    const direct = seedsOf(plan).map((seed) => runSeed(scenarioCatalogue, plan, seed));
    const [first] = violatingSeeds(direct);
    if (first === undefined) throw new Error('no violating seed');
    const atUs = first.firstViolationUs ?? 0;
    const violatedAt = (timeUs: number): boolean =>
      runHeadless(scenarioCatalogue, first.request, timeUs).hasSafetyViolation;
    expect(violatedAt(atUs)).toBe(true);
    expect(violatedAt(atUs - 1)).toBe(false);
  });

  it('cancels a running batch, terminating its workers', () => {
    loadPlanted();
    const terminate = vi.fn();
    const silent: ExploreWorkerFactory = () => ({ post: () => undefined, terminate });
    renderWithController(<ExplorePanel workerFactory={silent} />, fakeController());
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getByRole('progressbar', { name: '0 of 40 seeds' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(terminate).toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toMatch(/^Cancelled/);
    expect(screen.getByRole('button', { name: 'Run' }).hasAttribute('disabled')).toBe(false);
  });
});
