// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimController } from '../ui/state/controller.ts';
import { useSimStore } from '../ui/state/store.ts';
import { FixedSizeObserver } from '../ui/testing/dom.ts';
import {
  fixtureMeta,
  fixtureView,
  makeFrame,
  resetAfterTest,
  seedStore,
} from '../ui/testing/fixtures.ts';
import { EmbedApp, EmbedProblem } from './EmbedApp.tsx';
import type { EmbedPlayer } from './player.ts';

const openUrl = 'http://127.0.0.1:4310/index.html#/fixture-cluster?run=at-2.4';

function matchNothing(query: string): MediaQueryList {
  return {
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  } as unknown as MediaQueryList;
}

beforeAll(() => {
  // jsdom lays nothing out and has no ResizeObserver, matchMedia or 2D canvas (as TopologyView's
  // own test stubs them).
  vi.stubGlobal('ResizeObserver', FixedSizeObserver);
  vi.stubGlobal('matchMedia', matchNothing);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => null);
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function renderEmbed(caption = '') {
  const controller = { shareUrl: vi.fn(() => openUrl) };
  const player = { play: vi.fn(), pause: vi.fn(), restart: vi.fn(() => Promise.resolve()) };
  render(
    <EmbedApp
      controller={controller as unknown as SimController}
      player={player as unknown as EmbedPlayer}
      caption={caption}
    />,
  );
  return { controller, player };
}

describe('EmbedApp', () => {
  beforeEach(() => {
    seedStore({
      view: {
        ...fixtureView,
        meta: {
          ...fixtureMeta,
          moments: [{ id: 'leader-elected', label: 'Leader elected' }],
        },
      },
    });
  });
  afterEach(resetAfterTest);

  it('shows the pattern, the caption, the topology and the narration, and nothing else', () => {
    renderEmbed('Watch the election');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Fixture cluster');
    expect(screen.getByText('Watch the election')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Topology' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('What just happened: Nothing yet.');
    // The app's panels are not part of the embed.
    expect(screen.queryByRole('complementary')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Kill node' })).toBeNull();
  });

  it('narrates the latest moment at the time shown', async () => {
    renderEmbed();
    await act(async () => {
      useSimStore.setState({
        moments: [
          {
            timeUs: 1_200_000,
            eventCount: 9,
            kind: 'leader-elected',
            text: 'n1 leads term 2',
            nodes: [],
          },
        ],
        frame: makeFrame({ timeUs: 2_000_000 }),
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.getByRole('status').textContent).toBe(
      'What just happened: t = 1.200 s n1 leads term 2',
    );
  });

  it('plays, pauses and restarts through the player, and opens the app at the time shown', () => {
    const { player } = renderEmbed();
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(player.play).toHaveBeenCalledTimes(1);
    act(() => {
      useSimStore.setState({ frame: makeFrame({ isPlaying: true }) });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(player.pause).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Restart' }));
    expect(player.restart).toHaveBeenCalledTimes(1);
    const open = screen.getByRole('link', { name: 'Open in DistSim' });
    expect(open.getAttribute('href')).toBe(openUrl);
    expect(open.getAttribute('target')).toBe('_blank');
    expect(open.getAttribute('rel')).toBe('noopener');
    expect(screen.getByText('t = 2.456 s')).toBeTruthy();
  });

  it('shows the notices of a link that could not be opened as it was', () => {
    act(() => {
      useSimStore.getState().addNotice('warning', 'The link is damaged. Opened X instead.');
    });
    renderEmbed();
    expect(screen.getByText('The link is damaged. Opened X instead.')).toBeTruthy();
  });
});

describe('EmbedProblem', () => {
  it('lists what is wrong with the embed link, with a way to the app', () => {
    render(<EmbedProblem problems={['"speed" is wrong.', '"to" is wrong.']} appUrl="a.html#x" />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('This DistSim embed cannot play');
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      '"speed" is wrong.',
      '"to" is wrong.',
    ]);
    expect(screen.getByRole('link', { name: 'Open DistSim' }).getAttribute('href')).toBe(
      'a.html#x',
    );
  });
});
