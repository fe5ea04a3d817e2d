import { useState } from 'react';
import { useController } from '../state/context.ts';
import { useViewHints } from '../state/selectors.ts';
import { useSimStore } from '../state/store.ts';
import { FidelityDialog } from './FidelityDialog.tsx';
import './controls.css';

/**
 * The scenario catalogue: one button per pattern, the loaded one marked and followed by its
 * summary (the others show theirs on hover), so eight patterns fit without scrolling, and by
 * "How true is this?", which opens what the scenario models, leaves out and reproduces.
 */
export function ScenarioPicker() {
  const controller = useController();
  const catalogue = useSimStore((state) => state.catalogue);
  const currentId = useSimStore((state) => state.view?.meta.id);
  const isLoading = useSimStore((state) => state.phase === 'loading');
  const fidelity = useViewHints()?.fidelity;
  const title = useSimStore((state) => state.view?.meta.title ?? '');
  const [isFidelityOpen, setFidelityOpen] = useState(false);
  return (
    <section className="scenario-picker" aria-labelledby="scenario-picker-title">
      <h2 id="scenario-picker-title">Scenarios</h2>
      {catalogue.length === 0 ? <p className="muted">Loading the list of scenarios…</p> : null}
      <ul className="scenario-list">
        {catalogue.map((entry) => {
          const isCurrent = entry.id === currentId;
          return (
            <li key={entry.id}>
              <button
                type="button"
                className="scenario-choice"
                title={isCurrent ? undefined : entry.summary}
                aria-current={isCurrent ? 'true' : undefined}
                aria-busy={isCurrent && isLoading ? true : undefined}
                onClick={() => {
                  if (!isCurrent) void controller.selectScenario(entry.id);
                }}
              >
                <span className="scenario-title">{entry.title}</span>
                {isCurrent ? <span className="scenario-summary">{entry.summary}</span> : null}
              </button>
              {isCurrent && fidelity !== undefined ? (
                <button
                  type="button"
                  className="scenario-fidelity"
                  onClick={() => {
                    setFidelityOpen(true);
                  }}
                >
                  How true is this?
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {isFidelityOpen && fidelity !== undefined ? (
        <FidelityDialog
          title={title}
          fidelity={fidelity}
          onClose={() => {
            setFidelityOpen(false);
          }}
        />
      ) : null}
    </section>
  );
}
