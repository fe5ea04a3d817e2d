// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InvariantResult } from '../../engine/invariants.ts';
import { useSimStore } from '../state/store.ts';
import {
  fixtureView,
  makeFrame,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { InvariantsPanel } from './InvariantsPanel.tsx';

/** Two of the fixture's three invariants have results; `log-matches` has none yet. */
const results: readonly InvariantResult[] = [
  {
    id: 'one-leader',
    kind: 'safety',
    description: 'At most one leader per term.',
    status: 'violated',
    violations: 3,
    firstViolation: {
      timeUs: 1_250_000,
      event: 77,
      message: 'n1 and n2 both lead term 2',
      nodes: ['n1', 'n2'],
    },
  },
  {
    id: 'leader-elected',
    kind: 'liveness',
    description: 'A leader is elected after healing.',
    status: 'pending',
    violations: 0,
    firstViolation: null,
  },
];

/** The one controller method the panel calls. */
function fakeController() {
  return { setPauseOnViolation: vi.fn<(isOn: boolean) => void>() };
}

function rowOf(description: string): HTMLElement {
  const row = screen.getByText(description).closest('li');
  if (row === null) throw new Error(`No row for ${description}`);
  return row;
}

describe('InvariantsPanel', () => {
  afterEach(resetAfterTest);

  it('shows each status in words, not by colour alone', () => {
    seedStore({ frame: makeFrame({ invariants: results }) });
    renderWithController(<InvariantsPanel />, fakeController());
    const statusOf = (description: string) =>
      rowOf(description).querySelector('.invariant-status')?.textContent;
    expect(statusOf('At most one leader per term.')).toContain('violated 3 times');
    expect(statusOf('A leader is elected after healing.')).toContain('pending');
    expect(statusOf('Committed logs agree.')).toContain('not checked yet');
    const violated = within(rowOf('At most one leader per term.'));
    expect(violated.getByText(/n1 and n2 both lead term 2/)).toBeTruthy();
    expect(violated.getByText('1.250 s')).toBeTruthy();
  });

  it('follows new frames: a violation that no longer shows reads "holds"', () => {
    seedStore({ frame: makeFrame({ invariants: results }) });
    renderWithController(<InvariantsPanel />, fakeController());
    const healed = results.map((result) => ({
      ...result,
      status: 'ok' as const,
      violations: 0,
      firstViolation: null,
    }));
    fireEvent.click(screen.getByRole('button', { name: 'Show nodes involved in one-leader' }));
    expect(useSimStore.getState().highlighted).toEqual([0, 1]);
    act(() => {
      useSimStore.setState({ frame: makeFrame({ invariants: healed }) });
    });
    expect(rowOf('At most one leader per term.').textContent).toContain('holds');
    expect(screen.queryByText(/violated/)).toBeNull();
  });

  it('turns pause on violation on and off through the controller', () => {
    seedStore();
    const fake = fakeController();
    renderWithController(<InvariantsPanel />, fake);
    const box = screen.getByRole('checkbox', { name: 'Pause on violation' });
    expect(box).toHaveProperty('checked', false);
    fireEvent.click(box);
    expect(fake.setPauseOnViolation).toHaveBeenLastCalledWith(true);

    act(() => {
      useSimStore.setState({ pauseOnViolation: true });
    });
    expect(box).toHaveProperty('checked', true);
    fireEvent.click(box);
    expect(fake.setPauseOnViolation).toHaveBeenLastCalledWith(false);
    expect(fake.setPauseOnViolation).toHaveBeenCalledTimes(2);
  });
  it('offers Shrink for a violated safety invariant only', async () => {
    const livenessMissed: InvariantResult = {
      id: 'leader-elected',
      kind: 'liveness',
      description: 'A leader is elected after healing.',
      status: 'violated',
      violations: 1,
      firstViolation: { timeUs: 2_000_000, event: 90, message: 'no leader', nodes: [] },
    };
    seedStore({
      frame: makeFrame({ invariants: [results[0] as InvariantResult, livenessMissed] }),
    });
    renderWithController(<InvariantsPanel />, fakeController());
    const button = await screen.findByRole('button', {
      name: 'Find the smallest run that still breaks At most one leader per term.',
    });
    expect(rowOf('At most one leader per term.').contains(button)).toBe(true);
    expect(screen.getAllByRole('button', { name: /^Find the smallest run/ })).toHaveLength(1);
  });

  it('offers the consistency check only for scenarios that record histories', async () => {
    seedStore({ view: { ...fixtureView, meta: { ...fixtureView.meta, id: 'cqrs' } } });
    const { unmount } = renderWithController(<InvariantsPanel />, fakeController());
    expect(await screen.findByRole('button', { name: 'Check consistency' })).toBeTruthy();
    unmount();
    seedStore();
    renderWithController(<InvariantsPanel />, fakeController());
    expect(screen.queryByRole('button', { name: 'Check consistency' })).toBeNull();
  });
});
