import { useCallback, useEffect, useId, useMemo } from 'react';
import type { Operation } from '../../consistency/history.ts';
import type { ModelName, Verdict } from '../../consistency/verdict.ts';
import type { ConsistencyTable } from '../../scenarios/viewHints.ts';
import { commandText } from '../../worker/commandText.ts';
import type { RunHistory } from '../../worker/protocol.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import {
  checkingText,
  modelNames,
  opName,
  promiseText,
  statusText,
  verdictDetail,
} from './consistencyText.ts';
import { createConsistencyWorker, type ConsistencyWorkerFactory } from './consistencyWorker.ts';
import { HistoryView } from './HistoryView.tsx';
import { type CheckState, useConsistencyCheck } from './useConsistencyCheck.ts';
import './consistency.css';

/**
 * "Consistency" for scenarios that record their clients' histories: what the pattern guarantees
 * (the measured table), and on demand a check of the run on screen: one row per model, and for
 * a violation its sentence and the history around it, each operation a button to its moment.
 * Loaded lazily by the Invariants panel.
 */
export function ConsistencyPanel({
  table,
  factory = createConsistencyWorker,
}: {
  readonly table: ConsistencyTable;
  readonly factory?: ConsistencyWorkerFactory;
}) {
  const controller = useController();
  const view = useSimStore((store) => store.view);
  const fetchHistory = useCallback(
    (): Promise<RunHistory | null> => controller.simClient.history(),
    [controller],
  );
  const { state, check, reset } = useConsistencyCheck(factory, fetchHistory);
  const tableId = useId();
  const titleId = useId();

  // Another run on screen: a verdict belongs to the run it checked.
  useEffect(() => {
    reset();
  }, [view, reset]);

  const isBusy = state.status === 'fetching' || state.status === 'checking';
  return (
    <section className="panel consistency" aria-labelledby={titleId}>
      <h2 id={titleId}>Consistency</h2>
      <div className="consistency-actions">
        <button
          type="button"
          className="small"
          disabled={isBusy}
          title="Check the operations the clients recorded so far against each consistency model."
          onClick={check}
        >
          Check consistency
        </button>
        <p className="consistency-status" role="status">
          {statusLine(state)}
        </p>
      </div>
      {state.status === 'done' ? (
        <Verdicts history={state.history} verdicts={state.verdicts} />
      ) : null}
      <details className="consistency-table">
        <summary id={tableId}>What this pattern guarantees</summary>
        <GuaranteeTable table={table} labelledBy={tableId} />
      </details>
    </section>
  );
}

function statusLine(state: CheckState): string {
  switch (state.status) {
    case 'idle':
      return '';
    case 'fetching':
      return 'Reading the run’s history…';
    case 'checking':
      return checkingText(state.operations);
    case 'done': {
      const violated = state.verdicts.filter((verdict) => verdict.status === 'violated').length;
      const checked = `Checked ${state.history.ops.length.toLocaleString('en-US')} operations`;
      return violated === 0
        ? `${checked}: no model violated.`
        : `${checked}: ${violated} ${violated === 1 ? 'model' : 'models'} violated.`;
    }
    case 'none':
      return 'This run records no history to check.';
    case 'failed':
      return state.message;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

function Verdicts({
  history,
  verdicts,
}: {
  readonly history: RunHistory;
  readonly verdicts: readonly Verdict[];
}) {
  const promised = new Set<ModelName>(history.promises);
  return (
    <ul className="consistency-verdicts">
      {verdicts.map((verdict, index) => {
        // The same reason for the next row (the four session guarantees of an account history,
        // say) is said once: the rows after it say "as above".
        const previous = verdicts[index - 1];
        const detail = verdictDetail(verdict);
        const isRepeated =
          detail !== null && previous !== undefined && verdictDetail(previous) === detail;
        return (
          <VerdictRow
            key={verdict.model}
            verdict={verdict}
            detail={isRepeated ? 'As above.' : detail}
            isPromised={promised.has(verdict.model)}
            history={history}
          />
        );
      })}
    </ul>
  );
}

function VerdictRow({
  verdict,
  detail,
  isPromised,
  history,
}: {
  readonly verdict: Verdict;
  /** Why it gave up or does not apply, in words (null: nothing to say). */
  readonly detail: string | null;
  readonly isPromised: boolean;
  readonly history: RunHistory;
}) {
  const violation = verdict.violations[0];
  // A promised model that is violated is a failure of the run; otherwise it is the pattern.
  const isFailure = verdict.status === 'violated' && isPromised;
  return (
    <li className={`consistency-verdict is-${verdict.status}${isFailure ? ' is-failure' : ''}`}>
      <div className="consistency-verdict-head">
        <span className="consistency-model">{modelNames[verdict.model]}</span>
        <span className="consistency-verdict-status">{statusText[verdict.status]}</span>
        <span className="muted">{promiseText(isPromised)}</span>
      </div>
      {detail === null ? null : <p className="muted">{detail}</p>}
      {violation === undefined ? null : (
        <ViolationDetail
          model={modelNames[verdict.model]}
          violation={violation}
          history={history}
          others={verdict.violations.length - 1}
        />
      )}
    </li>
  );
}

function ViolationDetail({
  model,
  violation,
  history,
  others,
}: {
  readonly model: string;
  readonly violation: Verdict['violations'][number];
  readonly history: RunHistory;
  readonly others: number;
}) {
  const controller = useController();
  const commands = useSimStore((store) => store.commands);
  const view = useSimStore((store) => store.view);
  const { ops } = history;
  const faults = useMemo(
    () =>
      commands
        // Parameter changes are settings, not faults.
        .filter((entry) => entry.command.type !== 'param.set')
        .map((entry) => ({
          atUs: entry.atUs,
          label: commandText(entry.command, view === null ? {} : { meta: view.meta }),
        })),
    [commands, view],
  );
  const byId = useMemo(() => new Map(ops.map((op) => [op.id, op])), [ops]);
  const trails = useMemo(
    () => new Map(ops.map((op, index) => [op.id, history.trails[index] ?? null])),
    [ops, history.trails],
  );
  const onOpen = (op: Operation) => {
    const trail = trails.get(op.id) ?? null;
    const store = useSimStore.getState();
    if (trail === null) {
      // Its messages are older than the kept trace: its moment and its client are what is left.
      // Sessions ("c1.2") belong to their client node ("c1").
      const nodeId = op.client.split('.')[0];
      const node = view?.topology.nodes.findIndex((candidate) => candidate.id === nodeId) ?? -1;
      if (node >= 0) store.select({ kind: 'node', node });
      store.setTrail(null);
      void controller.seek(op.invokeUs);
      return;
    }
    // The trail lights its client among its nodes; the inspector (a sheet over the diagram on a
    // phone) stays closed.
    store.select(null);
    // At its answer (or its last message, unanswered) the whole exchange is in the diagram.
    const toUs = op.completeUs ?? trail.lastUs;
    store.setTrail({
      name: opName(op),
      messages: trail.messages,
      nodes: trail.nodes,
      fromUs: op.invokeUs,
      toUs,
    });
    void controller.seek(toUs);
  };
  const unplaced = (violation.unplaced ?? []).flatMap((id) => byId.get(id) ?? []);
  return (
    <div className="consistency-violation">
      <p>{violation.sentence}</p>
      {others > 0 ? (
        <p className="muted">
          {others} more {others === 1 ? 'violation' : 'violations'} of this model in the run; the
          first is drawn.
        </p>
      ) : null}
      {violation.longestOrder === undefined ? null : (
        <p className="muted">
          The longest order found places {violation.longestOrder.length}{' '}
          {violation.longestOrder.length === 1 ? 'operation' : 'operations'}
          {unplaced.length === 0 ? '.' : `; it cannot place ${unplacedText(unplaced)}.`}
        </p>
      )}
      <HistoryView ops={ops} violation={violation} model={model} faults={faults} onOpen={onOpen} />
    </div>
  );
}

/** The operations no order could place, the first few by name: there may be dozens. */
const unplacedNamed = 3;

function unplacedText(ops: readonly Operation[]): string {
  const named = ops.slice(0, unplacedNamed).map((op) => opName(op));
  const more = ops.length - named.length;
  return more > 0 ? `${named.join('; ')} and ${more} more` : named.join('; ');
}

const tableModels: readonly ModelName[] = [
  'linearizable',
  'sequential',
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
];

function GuaranteeTable({
  table,
  labelledBy,
}: {
  readonly table: ConsistencyTable;
  readonly labelledBy: string;
}) {
  return (
    // Wider than the column: it scrolls, so it takes focus to scroll from the keyboard.
    <div
      className="consistency-table-scroll"
      tabIndex={0}
      role="region"
      aria-labelledby={labelledBy}
    >
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            {tableModels.map((model) => (
              <th key={model} scope="col">
                {modelNames[model]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">
                {row.label}
                <span className="muted"> (seeds {row.seeds.join(', ')})</span>
              </th>
              {tableModels.map((model) => (
                <td key={model} className={`cell-${row.cells[model].split(/[ ,]/)[0] ?? ''}`}>
                  {row.cells[model]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Measured by the pattern&apos;s consistency test on fixed seeds; “undecided”: the search ran
        out of its budget.
      </p>
    </div>
  );
}
