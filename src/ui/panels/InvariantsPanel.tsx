import { lazy, Suspense, useId } from 'react';
import type { FirstViolation } from '../../engine/invariants.ts';
import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { secondsText } from '../../worker/commandText.ts';
import {
  type InvariantRow as Row,
  invariantRows,
  invariantStatusLine,
  invariantStatusText,
  nodeIndexes,
} from './invariantRows.ts';
import './panels.css';

// Consistency checking is loaded only for scenarios that record histories.
const ConsistencyPanel = lazy(() =>
  import('../consistency/ConsistencyPanel.tsx').then((module) => ({
    default: module.ConsistencyPanel,
  })),
);

// Shrinking is loaded on first need, so the main bundle does not carry it.
const InevitableControl = lazy(() =>
  import('../shrink/InevitableControl.tsx').then((module) => ({
    default: module.InevitableControl,
  })),
);
const ShrinkControl = lazy(() =>
  import('../shrink/ShrinkControl.tsx').then((module) => ({ default: module.ShrinkControl })),
);

/** The scenario's invariants with their standing in the run, and pause on violation. */
export function InvariantsPanel() {
  const controller = useController();
  const titleId = useId();
  const declared = useSimStore((state) => state.view?.meta.invariants);
  const results = useSimStore((state) => state.frame?.invariants);
  const pauseOnViolation = useSimStore((state) => state.pauseOnViolation);
  const rows = invariantRows(declared ?? [], results);
  const scenarioId = useSimStore((state) => state.view?.meta.id);
  const consistency =
    scenarioId === undefined ? undefined : getScenarioView(scenarioId)?.consistency;
  return (
    <>
      <section className="panel invariants" aria-labelledby={titleId}>
        <h2 id={titleId}>Invariants</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={pauseOnViolation}
            onChange={(event) => {
              controller.setPauseOnViolation(event.currentTarget.checked);
            }}
          />
          Pause on violation
        </label>
        {rows.length === 0 ? (
          <p className="muted hint">This scenario checks no invariants.</p>
        ) : (
          <ul className="invariant-list">
            {rows.map((row) => (
              <InvariantRow key={row.id} row={row} />
            ))}
          </ul>
        )}
      </section>
      {/* A section of its own beside the invariants: its verdicts are not invariant outcomes. */}
      {consistency === undefined ? null : (
        <Suspense fallback={null}>
          <ConsistencyPanel table={consistency} />
        </Suspense>
      )}
    </>
  );
}

function InvariantRow({ row }: { readonly row: Row }) {
  return (
    <li className={`invariant invariant-${row.status}`}>
      <div className="invariant-head">
        <span className="invariant-status">
          <span aria-hidden="true">{invariantStatusText[row.status].icon}</span>{' '}
          {invariantStatusLine(row)}
        </span>
        <span className="invariant-kind">{row.kind}</span>
      </div>
      <p className="invariant-description">{row.description}</p>
      {row.firstViolation === null ? null : (
        <ViolationDetail id={row.id} violation={row.firstViolation} />
      )}
      {row.kind === 'safety' && row.firstViolation !== null ? (
        <Suspense fallback={null}>
          <ShrinkControl
            invariantId={row.id}
            description={row.description}
            violationUs={row.firstViolation.timeUs}
          />
          <InevitableControl
            invariantId={row.id}
            description={row.description}
            violationUs={row.firstViolation.timeUs}
          />
        </Suspense>
      ) : null}
    </li>
  );
}

function ViolationDetail({
  id,
  violation,
}: {
  readonly id: string;
  readonly violation: FirstViolation;
}) {
  const topology = useSimStore((state) => state.view?.topology);
  const indexes = topology === undefined ? [] : nodeIndexes(topology, violation.nodes);
  return (
    <div className="violation">
      <p>
        First at <span className="mono">{secondsText(violation.timeUs)}</span>: {violation.message}
        {violation.nodes.length === 0 ? null : (
          <span className="muted"> (nodes: {violation.nodes.join(', ')})</span>
        )}
      </p>
      {indexes.length === 0 ? null : (
        <button
          type="button"
          className="small"
          aria-label={`Show nodes involved in ${id}`}
          title="Highlight these nodes in the topology."
          onClick={() => {
            useSimStore.getState().setHighlighted(indexes);
          }}
        >
          Show nodes
        </button>
      )}
    </div>
  );
}
