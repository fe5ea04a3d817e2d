// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeFrame, renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { NarrationLine, NarrationLog } from './Narration.tsx';

afterEach(resetAfterTest);

const moments = [
  {
    timeUs: 1_000_000,
    eventCount: 10,
    kind: 'leader-elected',
    text: 'n1 won term 1',
    nodes: ['n1'],
  },
  { timeUs: 4_000_000, eventCount: 40, kind: 'leader-lost', text: 'n1 crashed', nodes: ['n1'] },
];

describe('What just happened', () => {
  it('logs the moments up to the time shown, each going to its moment', async () => {
    const seek = vi.fn<(timeUs: number) => Promise<void>>(() => Promise.resolve());
    seedStore({ frame: makeFrame({ timeUs: 2_000_000, frontierUs: 5_000_000 }), moments });
    renderWithController(<NarrationLog />, { seek });
    const log = screen.getByRole('log', { name: 'What just happened' });
    const entries = within(log).getAllByRole('button');
    expect(entries.map((entry) => entry.textContent)).toEqual(['t = 1.000 s n1 won term 1']);
    await act(async () => {
      fireEvent.click(entries[0] as HTMLElement);
      await Promise.resolve();
    });
    expect(seek).toHaveBeenLastCalledWith(1_000_000);
  });

  it('captions the latest moment, and says so when there is none yet', async () => {
    seedStore({ frame: makeFrame({ timeUs: 500_000 }), moments });
    const { unmount } = renderWithController(<NarrationLine />, {});
    expect(screen.getByText(/Nothing yet: press Play/)).toBeTruthy();
    unmount();
    seedStore({ frame: makeFrame({ timeUs: 4_500_000, frontierUs: 5_000_000 }), moments });
    renderWithController(<NarrationLine />, {});
    // The caption is taken from the store just after the line mounts.
    expect((await screen.findByText('n1 crashed', { exact: false })).textContent).toContain(
      't = 4.000 s',
    );
  });
});
