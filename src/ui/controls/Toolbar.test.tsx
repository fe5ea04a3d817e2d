// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSimStore } from '../state/store.ts';
import { makeFrame, renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { Toolbar } from './Toolbar.tsx';

/** The controller methods the toolbar calls (plus `speed`, which it reads). */
function fakeController() {
  return {
    speed: 1,
    togglePlay: vi.fn(),
    play: vi.fn(),
    pause: vi.fn(),
    step: vi.fn(() => Promise.resolve()),
    setSeed: vi.fn(() => Promise.resolve()),
    setSpeed: vi.fn(),
    setVariant: vi.fn(() => Promise.resolve()),
    reset: vi.fn(() => Promise.resolve()),
    shareUrl: vi.fn(() => 'http://localhost/#/fixture-cluster'),
  };
}

describe('Toolbar', () => {
  beforeEach(() => {
    seedStore();
  });
  afterEach(resetAfterTest);

  it('names the play button after the frame and toggles playback through the controller', () => {
    const fake = fakeController();
    renderWithController(<Toolbar />, fake);
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(fake.togglePlay).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();

    act(() => {
      useSimStore.setState({ frame: makeFrame({ isPlaying: true }) });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(fake.togglePlay).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: 'Play' })).toBeNull();
    // The toolbar leaves the play/pause decision to the controller.
    expect(fake.play).not.toHaveBeenCalled();
    expect(fake.pause).not.toHaveBeenCalled();
  });

  it('toggles playback with the Space shortcut outside buttons and fields', () => {
    const fake = fakeController();
    renderWithController(<Toolbar />, fake);
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(fake.togglePlay).toHaveBeenCalledTimes(1);
  });

  it('steps one event, or to the next interesting event', () => {
    const fake = fakeController();
    renderWithController(<Toolbar />, fake);
    fireEvent.click(screen.getByRole('button', { name: 'Step' }));
    expect(fake.step).toHaveBeenLastCalledWith({ kind: 'events', count: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'Next interesting event' }));
    expect(fake.step).toHaveBeenLastCalledWith({ kind: 'interesting' });
    expect(fake.step).toHaveBeenCalledTimes(2);
  });

  it('disables playback until a run is loaded', () => {
    seedStore({ view: null, frame: null });
    const fake = fakeController();
    renderWithController(<Toolbar />, fake);
    const play = screen.getByRole('button', { name: 'Play' });
    expect(play).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Step' })).toHaveProperty('disabled', true);
  });

  it('refuses an invalid seed inline without loading anything', () => {
    const fake = fakeController();
    renderWithController(<Toolbar />, fake);
    const seed = screen.getByRole('spinbutton', { name: 'Seed' });
    expect(seed).toHaveProperty('value', '7');
    fireEvent.change(seed, { target: { value: '1.5' } });
    fireEvent.keyDown(seed, { key: 'Enter' });
    expect(screen.getByText('The seed must be a whole number of 0 or more.')).toBeTruthy();
    expect(seed.getAttribute('aria-invalid')).toBe('true');
    expect(seed.getAttribute('aria-describedby')).not.toBeNull();
    fireEvent.blur(seed);
    expect(fake.setSeed).not.toHaveBeenCalled();
  });

  it('loads a valid seed once, on Enter (the blur after it does not load it again)', () => {
    const fake = fakeController();
    renderWithController(<Toolbar />, fake);
    const seed = screen.getByRole('spinbutton', { name: 'Seed' });
    fireEvent.change(seed, { target: { value: '42' } });
    fireEvent.keyDown(seed, { key: 'Enter' });
    fireEvent.blur(seed);
    expect(fake.setSeed).toHaveBeenCalledTimes(1);
    expect(fake.setSeed).toHaveBeenCalledWith(42);
    expect(seed.getAttribute('aria-invalid')).toBe('false');
  });

  it('shows the speed the worker plays at, whoever changed it, and steps up from it', () => {
    const controller = fakeController();
    renderWithController(<Toolbar />, controller);
    act(() => {
      useSimStore.setState({ frame: makeFrame({ speed: 20 }) });
    });
    expect(screen.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext')).toBe(
      '20× real time',
    );
    fireEvent.keyDown(document.body, { key: '+' });
    const [next] = controller.setSpeed.mock.calls[0] as [number];
    expect(next).toBeGreaterThan(20);
  });

  it('says the speed reached when the run cannot keep up, as the slider description', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      renderWithController(<Toolbar />, fakeController());
      const slider = screen.getByRole('slider', { name: 'Speed' });
      // Asked 1000×, reached 340×: 16 ms of wall time per frame, 5.44 s simulated.
      let timeUs = 0;
      for (let i = 0; i < 200; i++) {
        vi.advanceTimersByTime(16);
        timeUs += 5_440_000;
        act(() => {
          useSimStore.setState({ frame: makeFrame({ isPlaying: true, speed: 1000, timeUs }) });
        });
      }
      expect(screen.getByTestId('speed-value').textContent).toBe('1000× asked, 340× running');
      expect(slider.getAttribute('aria-valuetext')).toBe('1000× real time');
      expect(slider.getAttribute('aria-describedby')).toBe(screen.getByTestId('speed-value').id);
      // Not a live region: the figure is read with the slider, not announced as it changes.
      expect(screen.getByTestId('speed-value').closest('[aria-live], [role="status"]')).toBeNull();

      act(() => {
        useSimStore.setState({ frame: makeFrame({ isPlaying: false, speed: 1000, timeUs }) });
      });
      expect(screen.getByTestId('speed-value').textContent).toBe('1000×');
      expect(slider.getAttribute('aria-describedby')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the simulated time and the run fingerprint', () => {
    renderWithController(<Toolbar />, fakeController());
    expect(screen.getByText('t = 2.456 s')).toBeTruthy();
    expect(screen.getByText('0123456789abcdef')).toBeTruthy();
    act(() => {
      useSimStore.setState({
        frame: makeFrame({ timeUs: 61_000_500, traceHash: 'fedcba9876543210' }),
      });
    });
    expect(screen.getByText('t = 61.000 s')).toBeTruthy();
    expect(screen.getByText('fedcba9876543210')).toBeTruthy();
    expect(screen.queryByText('0123456789abcdef')).toBeNull();
  });
});
