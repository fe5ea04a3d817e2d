// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DropQuestion } from '../state/actInPast.ts';
import { ControllerContext } from '../state/context.ts';
import type { SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import { resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { ActInPastDialog } from './ActInPastDialog.tsx';

const question: DropQuestion = {
  atUs: 800_000,
  droppedUs: 3_400_000,
  commands: [{ atUs: 2_100_000, command: { type: 'node.crash', node: 'n2' } }],
  isUndoOffered: true,
};

/** The controller method the dialog calls. */
function fakeController() {
  return { answerDropQuestion: vi.fn() };
}

/** The dialog next to the button a person pressed to act (focus starts there). */
function renderDialog(fake: ReturnType<typeof fakeController>) {
  return render(
    createElement(
      ControllerContext.Provider,
      { value: fake as unknown as SimController },
      createElement('button', { type: 'button' }, 'Crash n3'),
      createElement(ActInPastDialog),
    ),
  );
}

function ask(): void {
  act(() => {
    useSimStore.setState({ dropQuestion: question });
  });
}

describe('ActInPastDialog', () => {
  beforeAll(() => {
    // jsdom has <dialog> but not its modal methods: open and close it as a browser would.
    HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
  });
  beforeEach(() => {
    seedStore();
  });
  afterEach(resetAfterTest);

  it('asks in plain words with the figures, focusing Cancel, and returns focus after', () => {
    const fake = fakeController();
    renderDialog(fake);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const opener = screen.getByRole('button', { name: 'Crash n3' });
    opener.focus();
    ask();
    const dialog = screen.getByRole('alertdialog', { name: 'Change the run from here?' });
    expect(dialog).toHaveProperty('open', true);
    expect(dialog.getAttribute('aria-describedby')).not.toBeNull();
    expect(
      document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('Acting here drops 3.4 s of the run and 1 recorded command after t = 0.800 s. Go on?');
    expect(screen.getByRole('listitem').textContent).toBe('2.100 s · crash n2');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));

    fireEvent.click(screen.getByRole('button', { name: 'Drop and act' }));
    expect(fake.answerDropQuestion).toHaveBeenCalledWith(true, true);
    // The controller clears the question once answered.
    act(() => {
      useSimStore.setState({ dropQuestion: null });
    });
    expect(dialog).toHaveProperty('open', false);
    expect(document.activeElement).toBe(opener);
  });

  it('says whether Undo will be offered', () => {
    renderDialog(fakeController());
    ask();
    expect(screen.getByRole('alertdialog').textContent).toContain(
      'A notice afterwards offers Undo, which brings all of it back.',
    );
    act(() => {
      useSimStore.setState({ dropQuestion: { ...question, isUndoOffered: false } });
    });
    expect(screen.getByRole('alertdialog').textContent).toContain('This cannot be undone');
  });

  it('cancels on Cancel and on Escape', () => {
    const fake = fakeController();
    renderDialog(fake);
    ask();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.answerDropQuestion).toHaveBeenLastCalledWith(false, true);
    // Escape makes the browser fire `cancel` at a modal dialog.
    const escape = new Event('cancel', { cancelable: true });
    fireEvent(screen.getByRole('alertdialog'), escape);
    expect(fake.answerDropQuestion).toHaveBeenLastCalledWith(false, true);
    expect(fake.answerDropQuestion).toHaveBeenCalledTimes(2);
    expect(escape.defaultPrevented).toBe(true);
  });

  it('passes on "Don’t ask again in this tab", unticked each time it asks', () => {
    const fake = fakeController();
    renderDialog(fake);
    ask();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Don’t ask again in this tab' }));
    fireEvent.click(screen.getByRole('button', { name: 'Drop and act' }));
    expect(fake.answerDropQuestion).toHaveBeenLastCalledWith(true, false);
    act(() => {
      useSimStore.setState({ dropQuestion: null });
    });
    ask();
    expect(screen.getByRole('checkbox', { name: 'Don’t ask again in this tab' })).toHaveProperty(
      'checked',
      false,
    );
  });

  it('keeps the page’s shortcuts from acting on the run behind it', () => {
    const fake = fakeController();
    renderDialog(fake);
    ask();
    const shortcuts = vi.fn();
    window.addEventListener('keydown', shortcuts);
    try {
      fireEvent.keyDown(screen.getByRole('button', { name: 'Cancel' }), { key: 'r' });
      expect(shortcuts).not.toHaveBeenCalled();
      // Outside the dialog keys still reach them.
      fireEvent.keyDown(document.body, { key: 'r' });
      expect(shortcuts).toHaveBeenCalledTimes(1);
    } finally {
      window.removeEventListener('keydown', shortcuts);
    }
  });
});
