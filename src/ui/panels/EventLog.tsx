import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useThrottledStore } from '../charts/useThrottledStore.ts';
import { eventLogMax, type SimStore, useSimStore } from '../state/store.ts';
import {
  defaultEventKinds,
  type EventKind,
  eventKinds,
  eventTimeText,
  filterEvents,
} from './eventFilters.ts';
import { EventRows } from './EventRows.tsx';
import './panels.css';

/**
 * The table takes new events at most ten times a second while the run plays: rows that change
 * faster cannot be read, and each change re-filters the kept events and scrolls the table, which
 * lays the page out (measured in the browser as the largest single cost of a frame at 50×).
 */
const refreshIntervalMs = 100;
const selectEvents = (state: SimStore) => state.events;

/**
 * The trace as a table, newest at the bottom, filtered by node and by kind, and narrowed to a
 * stretch of time when something asks for one (the store's `eventWindow`, with Show all).
 * Metric samples are hidden by default (see `defaultEventKinds`).
 */
export function EventLog() {
  const titleId = useId();
  const events = useThrottledStore(selectEvents, refreshIntervalMs);
  const dropped = useSimStore((state) => state.eventsDropped);
  const nodeIds = useSimStore(
    useShallow((state) => state.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  const [node, setNode] = useState<number | null>(null);
  const [kinds, setKinds] = useState<ReadonlySet<EventKind>>(defaultEventKinds);
  const nodeFilter = node !== null && node < nodeIds.length ? node : null;
  const eventWindow = useSimStore((state) => state.eventWindow);
  const shown = useMemo(
    () =>
      filterEvents(events, {
        node: nodeFilter,
        kinds,
        ...(eventWindow === null ? {} : { window: eventWindow }),
      }),
    [events, nodeFilter, kinds, eventWindow],
  );

  return (
    <section className="panel event-log" aria-labelledby={titleId}>
      <h2 id={titleId}>Event log</h2>
      <EventFilters
        nodeIds={nodeIds}
        node={nodeFilter}
        onNode={setNode}
        kinds={kinds}
        onKinds={setKinds}
      />
      {eventWindow === null ? null : (
        <p className="event-window" data-testid="event-window">
          <span>
            Only {eventWindow.label}: {eventTimeText(eventWindow.fromUs)} to{' '}
            {eventTimeText(eventWindow.toUs)} ms.
          </span>{' '}
          <button
            type="button"
            className="small"
            onClick={() => {
              useSimStore.getState().setEventWindow(null);
            }}
          >
            Show all
          </button>
        </p>
      )}
      <p className="event-counts muted">
        {shown.length.toLocaleString('en')} of {events.length.toLocaleString('en')} kept events
        shown
        {dropped > 0
          ? ` · ${dropped.toLocaleString('en')} older events not kept (the log keeps the newest ${eventLogMax.toLocaleString('en')})`
          : ''}
      </p>
      {events.length === 0 ? (
        <p className="muted hint">No events yet: play or step the run.</p>
      ) : (
        <EventRows events={shown} nodeIds={nodeIds} label="Trace events" />
      )}
    </section>
  );
}

interface EventFiltersProps {
  readonly nodeIds: readonly string[];
  readonly node: number | null;
  readonly onNode: (node: number | null) => void;
  readonly kinds: ReadonlySet<EventKind>;
  readonly onKinds: (kinds: ReadonlySet<EventKind>) => void;
}

function EventFilters({ nodeIds, node, onNode, kinds, onKinds }: EventFiltersProps) {
  const selectId = useId();
  const toggle = (kind: EventKind, isOn: boolean): void => {
    const next = new Set(kinds);
    if (isOn) next.add(kind);
    else next.delete(kind);
    onKinds(next);
  };
  return (
    <div className="event-filters">
      <div className="field field-row">
        <label htmlFor={selectId}>Node</label>
        <select
          id={selectId}
          value={node === null ? '' : String(node)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            onNode(value === '' ? null : Number(value));
          }}
        >
          <option value="">All nodes</option>
          {nodeIds.map((id, index) => (
            <option key={id} value={String(index)}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="kind-picks">
        <legend>Kinds</legend>
        {eventKinds.map((entry) => (
          <label key={entry.kind} className="check">
            <input
              type="checkbox"
              checked={kinds.has(entry.kind)}
              onChange={(event) => {
                toggle(entry.kind, event.currentTarget.checked);
              }}
            />
            {entry.label}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
