import { type SyntheticEvent, useId, useState } from 'react';
import type { Variant } from '../../engine/types.ts';
import {
  type ExploreField,
  type ExploreForm,
  batchDurationSMax,
  batchSeedsMax,
  checkExploreForm,
} from '../../explore/plan.ts';
import { NumberField } from '../panels/NumberField.tsx';
import { useSimStore } from '../state/store.ts';
import { ExploreResults } from './ExploreResults.tsx';
import type { ExploreWorkerFactory } from './explorePool.ts';
import { createExploreWorker } from './exploreWorker.ts';
import { useExplorePool } from './useExplorePool.ts';
import './explore.css';

const initialForm: Omit<ExploreForm, 'variant'> = {
  seedFirst: '1',
  seedLast: '40',
  durationS: '10',
  isChaos: true,
};

/**
 * "Explore seeds": runs a batch of seeds of the loaded scenario (its parameters, the chosen
 * variant, optionally the CLI's random fault schedule) on background workers, then shows how a
 * metric's final value is spread over the seeds and lists the seeds that violated an invariant,
 * each one click from opening in the main view. Collapsible; closed at first.
 */
export function ExplorePanel({
  workerFactory = createExploreWorker,
}: {
  /** Tests pass a fake; the page uses real module workers. */
  readonly workerFactory?: ExploreWorkerFactory;
}) {
  const view = useSimStore((state) => state.view);
  const { progress, start, cancel } = useExplorePool(workerFactory);
  const [form, setForm] = useState(initialForm);
  const [variant, setVariant] = useState<Variant | null>(null);
  const [problems, setProblems] = useState<Partial<Record<ExploreField, string>>>({});
  const variantId = useId();
  const isRunning = progress.status === 'running';
  const chosenVariant = variant ?? view?.run.variant ?? 'pattern';

  const edit = (field: ExploreField, value: string) => {
    setForm((previous) => ({ ...previous, [field]: value }));
    setProblems((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (view === null) return;
    const checked = checkExploreForm(
      { ...form, variant: chosenVariant },
      { scenarioId: view.meta.id, params: view.run.params },
    );
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    start(checked.plan);
  };

  return (
    <details className="panel explore">
      <summary>Explore seeds</summary>
      {view === null ? (
        <p className="muted hint">Load a scenario to explore its seeds.</p>
      ) : (
        <form className="explore-form" aria-label="Explore seeds" noValidate onSubmit={submit}>
          <p className="muted hint">
            Runs each seed of {view.meta.title} with the current parameters in the background, then
            checks its invariants.
          </p>
          <div className="inline-form">
            <NumberField
              label="First seed"
              value={form.seedFirst}
              min={0}
              step={1}
              error={problems.seedFirst}
              onChange={(value) => {
                edit('seedFirst', value);
              }}
            />
            <NumberField
              label="Last seed"
              value={form.seedLast}
              min={0}
              step={1}
              error={problems.seedLast}
              help={`At most ${batchSeedsMax} seeds per batch.`}
              onChange={(value) => {
                edit('seedLast', value);
              }}
            />
            <NumberField
              label="Duration"
              unit="s"
              value={form.durationS}
              min={0}
              max={batchDurationSMax}
              error={problems.durationS}
              help="Simulated seconds each seed runs."
              onChange={(value) => {
                edit('durationS', value);
              }}
            />
          </div>
          <div className="inline-form explore-options">
            <div className="field">
              <label htmlFor={variantId}>Variant</label>
              <select
                id={variantId}
                value={chosenVariant}
                onChange={(event) => {
                  setVariant(event.currentTarget.value === 'baseline' ? 'baseline' : 'pattern');
                }}
              >
                <option value="pattern">Pattern</option>
                <option value="baseline">Baseline: {view.meta.baselineLabel}</option>
              </select>
            </div>
            <label className="check explore-chaos">
              <input
                type="checkbox"
                checked={form.isChaos}
                onChange={(event) => {
                  const isChaos = event.currentTarget.checked;
                  setForm((previous) => ({ ...previous, isChaos }));
                }}
              />
              Random faults (chaos)
            </label>
          </div>
          <div className="button-row">
            <button type="submit" disabled={isRunning}>
              Run
            </button>
            <button type="button" disabled={!isRunning} onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ExploreResults progress={progress} />
    </details>
  );
}
