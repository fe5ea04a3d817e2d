import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Moment } from '../engine/types.ts';
import { initialState, useSimStore } from '../ui/state/store.ts';
import { fixtureMeta, fixtureView, makeFrame } from '../ui/testing/fixtures.ts';
import type { EmbedEvent } from './messages.ts';
import type { EmbedOptions } from './params.ts';
import { EmbedPlayer, timeEventIntervalMs } from './player.ts';

const options: EmbedOptions = {
  runFragment: '#/fixture-cluster?run=x',
  fromUs: 1_000_000,
  toUs: 3_000_000,
  loop: true,
  speed: 0.5,
  caption: '',
};

const moments: readonly Moment[] = [
  { timeUs: 1_200_000, eventCount: 10, kind: 'leader-elected', text: 'n1 leads term 1', nodes: [] },
  { timeUs: 2_500_000, eventCount: 40, kind: 'leader-lost', text: 'n1 crashed', nodes: [] },
];

/** A controller that does what the worker would: a seek moves the frame there, paused. */
function fakeController() {
  return {
    play: vi.fn(() => {
      showFrame(currentTime(), true);
    }),
    pause: vi.fn(() => {
      showFrame(currentTime(), false);
    }),
    seek: vi.fn((timeUs: number) => {
      showFrame(timeUs, false);
      return Promise.resolve();
    }),
    setSpeed: vi.fn(),
  };
}

function currentTime(): number {
  return useSimStore.getState().frame?.timeUs ?? 0;
}

function showFrame(timeUs: number, isPlaying: boolean): void {
  useSimStore.setState({ frame: makeFrame({ timeUs, isPlaying }) });
}

function setUp(overrides: Partial<EmbedOptions> = {}, prefersReducedMotion = false) {
  const controller = fakeController();
  const events: EmbedEvent[] = [];
  let nowMs = 0;
  const player = new EmbedPlayer(
    controller,
    { ...options, ...overrides },
    {
      post: (event) => events.push(event),
      nowMs: () => nowMs,
      prefersReducedMotion,
    },
  );
  return {
    controller,
    events,
    player,
    advanceMs: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('EmbedPlayer', () => {
  beforeEach(() => {
    useSimStore.setState({
      ...initialState,
      phase: 'ready',
      view: {
        ...fixtureView,
        meta: {
          ...fixtureMeta,
          instrumentTitle: 'Terms',
          moments: [
            { id: 'leader-elected', label: 'Leader elected' },
            { id: 'leader-lost', label: 'Leader lost' },
          ],
        },
      },
      frame: makeFrame({ timeUs: 0 }),
      moments,
    });
  });
  afterEach(() => {
    useSimStore.setState(initialState);
  });

  it('goes to the window start at the speed asked, says it is ready, and plays', async () => {
    const { controller, events, player } = setUp();
    await player.begin();
    expect(controller.setSpeed).toHaveBeenCalledWith(0.5);
    expect(controller.seek).toHaveBeenCalledWith(1_000_000);
    expect(events[0]).toEqual({
      type: 'distsim:ready',
      scenarioId: 'fixture-cluster',
      title: 'Fixture cluster',
      instrument: 'Terms',
      timeUs: 1_000_000,
      fromUs: 1_000_000,
      toUs: 3_000_000,
    });
    expect(controller.play).toHaveBeenCalledTimes(1);
    player.dispose();
  });

  it('waits for Play when the person prefers less motion', async () => {
    const { controller, player } = setUp({}, true);
    await player.begin();
    expect(controller.play).not.toHaveBeenCalled();
    player.dispose();
  });

  it('starts where the link put the run when there is no from', async () => {
    showFrame(700_000, false);
    const { controller, events, player } = setUp({ fromUs: null, speed: null });
    await player.begin();
    expect(controller.seek).not.toHaveBeenCalled();
    expect(controller.setSpeed).not.toHaveBeenCalled();
    expect(player.fromUs).toBe(700_000);
    expect(events[0]).toMatchObject({ type: 'distsim:ready', fromUs: 700_000 });
    player.dispose();
  });

  it('loops: past the end it goes back to the start and plays again', async () => {
    const { controller, player } = setUp();
    await player.begin();
    controller.seek.mockClear();
    controller.play.mockClear();
    showFrame(3_010_000, true);
    await Promise.resolve();
    expect(controller.seek).toHaveBeenCalledWith(1_000_000);
    expect(controller.play).toHaveBeenCalledTimes(1);
    expect(currentTime()).toBe(1_000_000);
    player.dispose();
  });

  it('without loop, stops exactly at the end; Play then starts the window again', async () => {
    const { controller, player } = setUp({ loop: false });
    await player.begin();
    controller.seek.mockClear();
    showFrame(3_010_000, true);
    expect(controller.pause).toHaveBeenCalled();
    expect(controller.seek).toHaveBeenCalledWith(3_000_000);
    expect(useSimStore.getState().frame?.isPlaying).toBe(false);
    controller.seek.mockClear();
    player.play();
    await Promise.resolve();
    expect(controller.seek).toHaveBeenCalledWith(1_000_000);
    expect(useSimStore.getState().frame?.isPlaying).toBe(true);
    player.dispose();
  });

  it('tells the host each moment playback passes, but not those a seek jumps over', async () => {
    const { events, player } = setUp({ toUs: null });
    await player.begin();
    showFrame(1_300_000, true);
    showFrame(2_000_000, true);
    const passed = events.filter((event) => event.type === 'distsim:moment');
    expect(passed).toEqual([
      {
        type: 'distsim:moment',
        timeUs: 1_200_000,
        kind: 'leader-elected',
        label: 'Leader elected',
        text: 'n1 leads term 1',
      },
    ]);
    showFrame(2_600_000, false);
    expect(events.filter((event) => event.type === 'distsim:moment')).toHaveLength(1);
    player.dispose();
  });

  it('tells the time at most every few hundred milliseconds while playing', async () => {
    const { events, player, advanceMs } = setUp({ toUs: null });
    await player.begin();
    const times = () => events.filter((event) => event.type === 'distsim:time');
    const before = times().length;
    showFrame(1_010_000, true);
    showFrame(1_020_000, true);
    // Play started (and was told) in begin(): frames this soon after are not news.
    expect(times().length - before).toBe(0);
    advanceMs(timeEventIntervalMs);
    showFrame(1_030_000, true);
    expect(times().at(-1)).toEqual({ type: 'distsim:time', timeUs: 1_030_000, isPlaying: true });
    player.dispose();
  });

  it('runs the host page commands', async () => {
    const { controller, player } = setUp({ toUs: null }, true);
    await player.begin();
    player.run({ type: 'distsim:play' });
    expect(controller.play).toHaveBeenCalledTimes(1);
    player.run({ type: 'distsim:pause' });
    expect(controller.pause).toHaveBeenCalledTimes(1);
    player.run({ type: 'distsim:seek', timeUs: 2_000_000 });
    expect(controller.seek).toHaveBeenLastCalledWith(2_000_000);
    player.dispose();
  });
});
