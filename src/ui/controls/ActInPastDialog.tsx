import { useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { recordedCommandText, type CommandTextContext } from '../../worker/commandText.ts';
import { dropQuestionText, type DropFigures } from '../state/actInPast.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import './actInPast.css';

/** Dropped commands listed by name; more are counted. */
const listedCommandsMax = 5;

/**
 * The question before a command given in the past drops the run's future: what would go, in
 * figures, with "Drop and act" or "Cancel". A native modal <dialog>, so the page behind is inert;
 * focus moves to Cancel (the choice that loses nothing), Escape cancels, and focus returns to
 * where it was. The controller opens it (store `dropQuestion`) and waits for the answer.
 */
export function ActInPastDialog() {
  const controller = useController();
  const question = useSimStore((state) => state.dropQuestion);
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [isNotAskingAgain, setNotAskingAgain] = useState(false);
  const titleId = useId();
  const textId = useId();
  const isOpen = question !== null;

  useEffect(() => {
    const element = dialog.current;
    if (element === null || !isOpen) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setNotAskingAgain(false);
    if (!element.open) element.showModal();
    cancelButton.current?.focus();
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected === true) opener.focus();
    };
  }, [isOpen]);

  const answer = (isGoingOn: boolean): void => {
    controller.answerDropQuestion(isGoingOn, !isNotAskingAgain);
  };

  return (
    <dialog
      ref={dialog}
      className="modal-dialog act-in-past"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        // Escape: the answer closes it, so the effect restores focus.
        event.preventDefault();
        answer(false);
      }}
      onKeyDown={(event) => {
        // The page's shortcuts (Space plays, R resets…) must not act on the run behind the
        // question; Escape still reaches the dialog as its cancel event.
        event.stopPropagation();
      }}
    >
      {question === null ? null : (
        <div className="act-in-past-content">
          <h2 id={titleId}>Change the run from here?</h2>
          <p id={textId}>{dropQuestionText(question)}</p>
          <DroppedCommands question={question} />
          <p className="muted">
            {question.isUndoOffered
              ? 'A notice afterwards offers Undo, which brings all of it back.'
              : 'This cannot be undone: the other side of the comparison follows it.'}
          </p>
          <label className="act-in-past-check">
            <input
              type="checkbox"
              checked={isNotAskingAgain}
              onChange={(event) => {
                setNotAskingAgain(event.currentTarget.checked);
              }}
            />
            Don’t ask again in this tab
          </label>
          <div className="act-in-past-buttons">
            <button
              type="button"
              className="primary"
              onClick={() => {
                answer(true);
              }}
            >
              Drop and act
            </button>
            <button
              ref={cancelButton}
              type="button"
              onClick={() => {
                answer(false);
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}

/** The recorded commands that would not replay, in the command log's words. */
function DroppedCommands({ question }: { readonly question: DropFigures }) {
  const meta = useSimStore((state) => state.view?.meta);
  const nodeIds = useSimStore(
    useShallow((state) => state.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  if (question.commands.length === 0) return null;
  const context: CommandTextContext = meta === undefined ? { nodeIds } : { nodeIds, meta };
  const listed = question.commands.slice(0, listedCommandsMax);
  const more = question.commands.length - listed.length;
  return (
    <>
      <p className="act-in-past-list-title">Recorded commands that would not replay:</p>
      <ul className="act-in-past-list">
        {listed.map((recorded, index) => (
          <li key={`${String(index)}-${String(recorded.atUs)}`}>
            {recordedCommandText(recorded, context)}
          </li>
        ))}
        {more > 0 ? <li>and {more} more</li> : null}
      </ul>
    </>
  );
}
