// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSimStore } from '../state/store.ts';
import { renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { Notices } from './Notices.tsx';

/** The controller methods the notices (and the dialog beside them) call. */
function fakeController() {
  return { undoDrop: vi.fn(() => Promise.resolve()), answerDropQuestion: vi.fn() };
}

describe('Notices', () => {
  beforeEach(() => {
    seedStore();
  });
  afterEach(resetAfterTest);

  it('offers Undo on the notice of a drop, and only there', () => {
    const fake = fakeController();
    renderWithController(<Notices />, fake);
    act(() => {
      const store = useSimStore.getState();
      store.addNotice('warning', 'Something else.');
      const id = store.addNotice('info', 'Dropped 3.4 s of the run after t = 0.800 s.');
      useSimStore.setState({ undoNoticeId: id });
    });
    const [other, drop] = screen.getAllByRole('status');
    if (other === undefined || drop === undefined) throw new Error('two notices expected');
    expect(within(other).queryByRole('button', { name: 'Undo' })).toBeNull();
    const undo = within(drop).getByRole('button', { name: 'Undo' });
    const description = document.getElementById(undo.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent).toBe('Note: Dropped 3.4 s of the run after t = 0.800 s.');
    // A native button in the tab order: Enter and Space press it like a click.
    expect(undo.tagName).toBe('BUTTON');
    undo.focus();
    expect(document.activeElement).toBe(undo);
    fireEvent.click(undo);
    expect(fake.undoDrop).toHaveBeenCalledTimes(1);
  });

  it('forgets the offer when its notice is dismissed', () => {
    const fake = fakeController();
    renderWithController(<Notices />, fake);
    act(() => {
      const id = useSimStore.getState().addNotice('info', 'Dropped 1 recorded command.');
      useSimStore.setState({ undoNoticeId: id });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(useSimStore.getState().undoNoticeId).toBeNull();
  });
});
