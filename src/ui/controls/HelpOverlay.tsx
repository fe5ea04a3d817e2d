import { useId, useRef, type RefObject } from 'react';
import './help.css';
import { useModalDialog } from './useModalDialog.ts';
import { useHelpStore } from './helpStore.ts';
import { shortcutList } from './shortcuts.ts';

/**
 * The help overlay: a modal dialog listing every keyboard shortcut and how to use the page.
 * It is a native <dialog> opened with showModal(), so the rest of the page is inert while it is
 * open; focus moves into it and returns to where it was when it closes.
 */
export function HelpOverlay() {
  const isOpen = useHelpStore((state) => state.isOpen);
  const close = useHelpStore((state) => state.close);
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useModalDialog(dialog, isOpen, () => {
    closeButton.current?.focus();
  });

  return (
    <dialog
      ref={dialog}
      className="modal-dialog help-overlay"
      aria-modal="true"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let the store close it, so the effect restores focus.
        event.preventDefault();
        close();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === event.currentTarget) close();
      }}
    >
      {isOpen ? <HelpContent titleId={titleId} closeButton={closeButton} onClose={close} /> : null}
    </dialog>
  );
}

interface HelpContentProps {
  readonly titleId: string;
  readonly closeButton: RefObject<HTMLButtonElement | null>;
  readonly onClose: () => void;
}

function HelpContent({ titleId, closeButton, onClose }: HelpContentProps) {
  return (
    <div className="help-content">
      <div className="help-heading">
        <h2 id={titleId}>How to use DistSim</h2>
        <button ref={closeButton} type="button" onClick={onClose}>
          Close help
        </button>
      </div>
      <ol className="help-steps">
        <li>
          Pick a pattern from the list of scenarios on the left; the tour below it explains it.
        </li>
        <li>Press Play (or Space) to run it, or Step to move one event at a time.</li>
        <li>Click a node to inspect it and to kill, restart or pause it.</li>
        <li>Shift+click nodes to pick a group, then partition it from the rest; heal to undo.</li>
        <li>Click a link to slow it down or make it lose messages.</li>
        <li>Every fault lands in the command log on the right; remove one to replay without it.</li>
        <li>Copy the link to share exactly this run, faults and position included.</li>
      </ol>
      <h3>Keyboard shortcuts</h3>
      <p className="muted">Shortcuts are off while you type in a field.</p>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {shortcutList.map((shortcut) => (
            <tr key={shortcut.action}>
              <td>
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 ? ' + ' : null}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{shortcut.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
