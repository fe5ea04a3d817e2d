// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunRequest, TourFrame } from '../../worker/protocol.ts';
import { useSimStore } from '../state/store.ts';
import { makeFrame, renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { TourPanel } from './TourPanel.tsx';

/** The controller methods the tour calls: reload the run, arm steps, play and pause. */
function fakeController() {
  return {
    load: vi.fn<(request: RunRequest) => Promise<void>>(() => Promise.resolve()),
    tourStep: vi.fn<(stepIndex: number | null, isApplyingActions: boolean) => Promise<void>>(() =>
      Promise.resolve(),
    ),
    play: vi.fn(),
    pause: vi.fn(),
    setSpeed: vi.fn<(speed: number) => void>(),
  };
}

type FakeController = ReturnType<typeof fakeController>;

function button(name: string): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>('button', { name });
}

function feedTour(tour: TourFrame): void {
  act(() => {
    useSimStore.setState({ frame: makeFrame({ seq: 2, tour }) });
  });
}

/** Starts the tour and waits for its first step (a question step). */
async function startTour(): Promise<FakeController> {
  seedStore();
  const fake = fakeController();
  renderWithController(<TourPanel />, fake);
  fireEvent.click(button('Take the tour'));
  await screen.findByText('Step 1 of 2');
  return fake;
}

/** Picks the right answer and locks it in. */
function lockInRightAnswer(): void {
  fireEvent.click(screen.getByRole('radio', { name: 'A follower times out and is elected' }));
  fireEvent.click(button('Lock in my prediction'));
}

const explanation = 'Followers stop hearing heartbeats, time out and start an election.';

describe('TourPanel', () => {
  afterEach(resetAfterTest);

  it('starts the tour over a fresh run of the pattern and arms the first step', async () => {
    const fake = await startTour();
    expect(fake.load).toHaveBeenCalledWith({
      scenarioId: 'fixture-cluster',
      seed: 7,
      variant: 'pattern',
      params: {},
      commands: [],
    });
    expect(screen.getByRole('heading', { name: 'Kill the leader' })).toBeTruthy();
    expect(fake.tourStep).toHaveBeenCalledWith(0, true);
    // A question step pauses so the learner predicts before seeing the outcome.
    expect(fake.pause).toHaveBeenCalled();
    expect(fake.play).not.toHaveBeenCalled();
  });

  it('keeps "Next step" disabled until a prediction is locked in and the outcome shown', async () => {
    const fake = await startTour();
    expect(button('Next step').disabled).toBe(true);
    expect(button('Lock in my prediction').disabled).toBe(true);
    fireEvent.click(button('Next step'));
    expect(screen.getByText('Step 1 of 2')).toBeTruthy();

    lockInRightAnswer();
    expect(fake.play).toHaveBeenCalledTimes(1);
    expect(screen.getByText(/Your prediction:/).textContent).toContain(
      'A follower times out and is elected',
    );
    expect(screen.getByText('The answer is shown once the simulation has shown it.')).toBeTruthy();
    expect(screen.queryByText(explanation)).toBeNull();
    expect(button('Next step').disabled).toBe(true);
  });

  it('reveals the explanation when a frame says the step’s wait is met', async () => {
    await startTour();
    lockInRightAnswer();
    // A frame about another step, or one whose wait is not met yet, reveals nothing.
    feedTour({ stepIndex: 1, isWaitMet: true, waitedUs: 10_000 });
    feedTour({ stepIndex: 0, isWaitMet: false, waitedUs: 10_000 });
    expect(screen.queryByText(explanation)).toBeNull();
    expect(button('Next step').disabled).toBe(true);

    feedTour({ stepIndex: 0, isWaitMet: true, waitedUs: 20_000 });
    expect(screen.getByText(explanation)).toBeTruthy();
    expect(screen.getByText('Correct.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Done: a new leader is elected');
    expect(button('Next step').disabled).toBe(false);
    fireEvent.click(button('Next step'));
    expect(screen.getByText('Step 2 of 2')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Recap' })).toBeTruthy();
  });

  it('plays a step at its own speed, and offers the baseline side by side where a step says so', async () => {
    const fake = await startTour();
    expect(fake.setSpeed).toHaveBeenCalledWith(2);
    expect(screen.getByText('This step plays at 2×.')).toBeTruthy();
    expect(
      screen.queryByRole('button', { name: 'Open side by side with the baseline' }),
    ).toBeNull();
    lockInRightAnswer();
    feedTour({ stepIndex: 0, isWaitMet: true, waitedUs: 20_000 });
    fireEvent.click(button('Next step'));
    // The recap has no wait, so it is revealed at once; it keeps the speed the learner has.
    expect(fake.setSpeed).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/This step plays at/)).toBeNull();
    const open = vi.fn<typeof window.open>(() => ({}) as Window);
    vi.stubGlobal('open', open);
    try {
      fireEvent.click(button('Open side by side with the baseline'));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0]?.[0]).toMatch(/#\/compare\?a=.+&b=.+/);
    expect(open.mock.calls[0]?.[1]).toBe('_blank');
  });
});
