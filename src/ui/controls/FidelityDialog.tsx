import { useId, useRef } from 'react';
import type { Fidelity } from '../../scenarios/viewHints.ts';
import { experimentLink } from '../experiments/experimentText.ts';
import './fidelity.css';
import { useModalDialog } from './useModalDialog.ts';

/** Seeds an experiment opened from here runs with: enough to see the curve, quick to finish. */
const experimentSeeds = 5;

/**
 * "How true is this?" for the scenario on screen: the sources its protocol follows, what it
 * models, what it leaves out (and so what not to conclude), and the published results it
 * reproduces or does not, each reproduced one with a link that runs its experiment. A native
 * modal <dialog>, as the help overlay is: the page is inert behind it, Escape or the backdrop
 * closes it and focus goes back to the button that opened it.
 */
export function FidelityDialog({
  title,
  fidelity,
  onClose,
}: {
  readonly title: string;
  readonly fidelity: Fidelity;
  readonly onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useModalDialog(dialog, true, () => {
    closeButton.current?.focus();
  });

  return (
    <dialog
      ref={dialog}
      className="modal-dialog fidelity-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="fidelity-content">
        <div className="fidelity-heading">
          <h2 id={titleId}>How true is this? {title}</h2>
          <button ref={closeButton} type="button" onClick={onClose}>
            Close
          </button>
        </div>
        <h3>What it follows</h3>
        <ul>
          {fidelity.follows.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <h3>What it models</h3>
        <ul>
          {fidelity.modelled.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <h3>What it leaves out</h3>
        <ul>
          {fidelity.leftOut.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <h3>Published results</h3>
        <ul className="fidelity-results">
          {fidelity.results.map((result) => (
            <li
              key={result.claim}
              className={result.isReproduced ? 'is-reproduced' : 'is-not-reproduced'}
            >
              <span className="fidelity-verdict">
                {result.isReproduced ? '✓ Reproduced' : '✗ Not reproduced'}
              </span>{' '}
              {result.claim}
              {result.note === undefined ? null : <span className="muted"> {result.note}</span>}
              {result.experiment === undefined ? null : (
                <>
                  {' '}
                  <a
                    className="button small"
                    href={experimentLink(window.location, result.experiment, experimentSeeds)}
                  >
                    Run the experiment
                  </a>
                </>
              )}
            </li>
          ))}
        </ul>
      </div>
    </dialog>
  );
}
