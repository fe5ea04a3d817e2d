import { select } from 'd3-selection';
import {
  type EventSourcingInstrumentData,
  eventsPerStream,
  type ProjectionCursor,
  type StreamEventReading,
  type StreamReading,
} from '../../scenarios/event-sourcing/instrument.ts';
import { group, instrumentColours, type Parent, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

const labelWidth = 48;
const snapWidth = 54;
const cursorLabelWidth = 56;
const streamsTop = 22;
const rowHeight = 16;
const cellHeight = 12;
const cursorRowHeight = 14;

/** Event types by kind (account.ts): money in, money out, moved between accounts. */
const typeColour: Readonly<Record<string, string>> = {
  Deposited: instrumentColours.ok,
  Withdrawn: instrumentColours.warn,
  TransferredOut: instrumentColours.violet,
  TransferredIn: instrumentColours.violet,
};
const legend = [
  { label: 'deposit', colour: instrumentColours.ok },
  { label: 'withdrawal', colour: instrumentColours.warn },
  { label: 'transfer', colour: instrumentColours.violet },
  { label: 'snapshot', colour: instrumentColours.info },
] as const;

interface Layout {
  readonly moreTop: number;
  readonly legendTop: number;
  readonly cursorsTop: number;
  readonly conflictTop: number;
  readonly height: number;
}

function layoutOf(data: EventSourcingInstrumentData): Layout {
  const rowsEnd = streamsTop + data.streams.length * rowHeight;
  const moreTop = rowsEnd + 9;
  const legendTop = data.streamCount > data.streams.length ? moreTop + 13 : moreTop;
  const cursorsTop = legendTop + (data.hasLog ? 22 : 6);
  const conflictTop = cursorsTop + (data.hasLog ? data.projections.length * cursorRowHeight : 0);
  return { moreTop, legendTop, cursorsTop, conflictTop, height: conflictTop + 30 };
}

/** The stretch of the log the cursors are drawn on: the newest positions, enough for every lag. */
export function cursorWindowOf(data: EventSourcingInstrumentData): { from: number; to: number } {
  const largestLag = data.projections.reduce((max, cursor) => Math.max(max, cursor.lag), 0);
  const span = Math.max(20, Math.ceil(largestLag * 1.25));
  return { from: Math.max(0, data.head - span), to: data.head };
}

function cursorColour(cursor: ProjectionCursor): string {
  if (!cursor.isUp) return instrumentColours.muted;
  if (cursor.isRebuilding) return instrumentColours.violet;
  return cursor.lag === 0 ? instrumentColours.ok : instrumentColours.info;
}

function cursorValue(cursor: ProjectionCursor): string {
  const behind = `${cursor.position}, ${cursor.lag} behind`;
  if (!cursor.isUp) return `✕ ${behind}`;
  if (cursor.isRebuilding) return `⟳ ${behind}`;
  return cursor.lag === 0 ? `${cursor.position}, caught up` : behind;
}

function snapText(stream: StreamReading, data: EventSourcingInstrumentData): string {
  if (!data.hasLog) return 'no history';
  if (data.snapshotEvery === 0) return '';
  return stream.snapshotVersion === null ? 'no snap' : `snap v${stream.snapshotVersion}`;
}

/** One stream: its label and version, its newest events as cells, its snapshot mark. */
function drawStream(
  row: Parent,
  stream: StreamReading,
  data: EventSourcingInstrumentData,
  widthPx: number,
): void {
  const isConflicted = data.lastConflict?.stream === stream.stream;
  textAt(
    row,
    'es-name',
    0,
    10,
    stream.stream,
    'start',
    10,
    isConflicted ? instrumentColours.warn : instrumentColours.text,
  );
  const cellsX = labelWidth;
  // The snapshot column only when there is something to say in it.
  const rightWidth = data.hasLog && data.snapshotEvery === 0 ? 0 : snapWidth;
  const cellsWidth = Math.max(60, widthPx - labelWidth - rightWidth);
  const cellWidth = cellsWidth / eventsPerStream;
  // The newest events sit at the right, against the stream's end; older ones continue left.
  const firstSlot = eventsPerStream - stream.events.length;
  const xOfSlot = (slot: number): number => cellsX + slot * cellWidth;
  const cells = row
    .selectAll<SVGGElement, StreamEventReading>('g.es-cell')
    .data(stream.events, (event) => String(event.version))
    .join('g')
    .attr('class', 'es-cell')
    .attr('transform', (_, i) => `translate(${xOfSlot(firstSlot + i)},0)`);
  cells.each(function (event) {
    const cell = select(this) as unknown as Parent;
    const colour = typeColour[event.type] ?? instrumentColours.muted;
    cell
      .selectAll('rect.es-box')
      .data([null])
      .join('rect')
      .attr('class', 'es-box')
      .attr('x', 1)
      .attr('y', 1)
      .attr('width', Math.max(2, cellWidth - 2))
      .attr('height', cellHeight)
      .attr('rx', 2)
      .style('fill', colour)
      .style('fill-opacity', 0.28)
      .style('stroke', colour);
    textAt(cell, 'es-version', cellWidth / 2, 10, `v${event.version}`, 'middle', 9);
    // The latest conflict: the events that got in after the version the refused append expected.
    const last = data.lastConflict;
    const isWinner =
      isConflicted &&
      last !== null &&
      event.version > last.expectedVersion &&
      event.version <= last.actualVersion;
    cell
      .selectAll('line.es-won')
      .data(isWinner ? [null] : [])
      .join('line')
      .attr('class', 'es-won')
      .attr('x1', 2)
      .attr('x2', Math.max(2, cellWidth - 2))
      .attr('y1', cellHeight + 2.5)
      .attr('y2', cellHeight + 2.5)
      .style('stroke', instrumentColours.bad)
      .style('stroke-width', 2);
    cell
      .selectAll('title')
      .data([null])
      .join('title')
      .text(
        `${stream.stream} v${event.version}: ${event.type} ${event.amount}, log position ${event.position}`,
      );
  });
  // Older events than the ones drawn: an ellipsis before the first cell.
  const first = stream.events[0]?.version ?? 1;
  textAt(
    row,
    'es-older',
    xOfSlot(firstSlot) - 2,
    10,
    data.hasLog && first > 1 ? '…' : '',
    'end',
    9,
    instrumentColours.muted,
  );
  // Baseline: one row, overwritten in place.
  const rowCell = data.hasLog ? [] : [stream];
  row
    .selectAll('rect.es-row')
    .data(rowCell)
    .join('rect')
    .attr('class', 'es-row')
    .attr('x', cellsX + 1)
    .attr('y', 1)
    .attr('width', cellsWidth - 2)
    .attr('height', cellHeight)
    .attr('rx', 2)
    .style('fill', instrumentColours.surface)
    .style('stroke', instrumentColours.muted);
  textAt(
    row,
    'es-row-text',
    cellsX + cellsWidth / 2,
    11,
    data.hasLog ? '' : `v${stream.version}: balance ${stream.balance ?? 0}`,
    'middle',
    9,
  );
  // The snapshot: a mark after the version it folds up to, when that is among the cells drawn.
  const snapSlot =
    stream.snapshotVersion === null
      ? -1
      : stream.events.findIndex((event) => event.version === stream.snapshotVersion);
  const mark = snapSlot < 0 ? [] : [xOfSlot(firstSlot + snapSlot + 1)];
  row
    .selectAll('path.es-snap')
    .data(mark)
    .join('path')
    .attr('class', 'es-snap')
    .attr('d', (x) => `M${x},-1 L${x},${cellHeight + 3} M${x - 3},-1 L${x + 3},-1`)
    .style('stroke', instrumentColours.info)
    .style('stroke-width', 2)
    .style('fill', 'none');
  textAt(
    row,
    'es-snap-text',
    widthPx,
    10,
    snapText(stream, data),
    'end',
    9,
    stream.snapshotVersion === null ? instrumentColours.muted : instrumentColours.info,
  );
}

/**
 * The event store's streams and the readers of its log: each stream's newest events as cells
 * numbered by version (coloured by type, hover for the log position) with its latest snapshot
 * as a mark after the version it folds; each projection's cursor on the newest stretch of the
 * global log with its lag; and the optimistic-concurrency conflicts retried, with the latest
 * one's expected and actual versions. The baseline draws one overwritten row per account.
 */
export const eventSourcingDrawing: InstrumentDrawing = {
  heightPx: (raw) => layoutOf(raw as EventSourcingInstrumentData).height,
  draw(svg, raw, widthPx) {
    const data = raw as EventSourcingInstrumentData;
    const root = rootOf(svg);
    const layout = layoutOf(data);

    const head = group(root, 'es-head');
    textAt(
      head,
      'es-title',
      0,
      10,
      data.hasLog ? `Log: ${data.head} events` : 'CRUD store: rows',
      'start',
      11,
    );
    head.select('text.es-title').style('font-weight', '700');
    textAt(
      head,
      'es-snapshots',
      widthPx,
      10,
      !data.hasLog
        ? 'no log'
        : data.snapshotEvery > 0
          ? `snapshot every ${data.snapshotEvery}`
          : 'snapshots off',
      'end',
      9,
      instrumentColours.muted,
    );

    const streams = group(root, 'es-streams');
    const rows = streams
      .selectAll<SVGGElement, StreamReading>('g.es-stream')
      .data(data.streams, (stream) => stream.stream)
      .join('g')
      .attr('class', 'es-stream')
      .attr('transform', (_, i) => `translate(0,${streamsTop + i * rowHeight})`);
    rows.each(function (stream) {
      drawStream(select(this) as unknown as Parent, stream, data, widthPx);
    });
    const hidden = data.streamCount - data.streams.length;
    textAt(
      streams,
      'es-more',
      0,
      layout.moreTop,
      hidden > 0
        ? `+${hidden} more ${data.hasLog ? 'streams (the latest written are shown)' : 'rows'}`
        : '',
      'start',
      9,
      instrumentColours.muted,
    );

    // Legend (the pattern only: the baseline's rows have no events).
    const key = group(root, 'es-legend');
    const entries = !data.hasLog
      ? []
      : data.snapshotEvery > 0
        ? legend
        : legend.filter((entry) => entry.label !== 'snapshot');
    const slot = widthPx / legend.length;
    const items = key
      .selectAll<SVGGElement, (typeof legend)[number]>('g.es-key')
      .data(entries, (entry) => entry.label)
      .join('g')
      .attr('class', 'es-key')
      .attr('transform', (_, i) => `translate(${i * slot},${layout.legendTop})`);
    items.each(function (entry) {
      const item = select(this) as unknown as Parent;
      item
        .selectAll('rect.es-chip')
        .data([null])
        .join('rect')
        .attr('class', 'es-chip')
        .attr('x', 0)
        .attr('y', -7)
        .attr('width', 8)
        .attr('height', 8)
        .style('fill', entry.colour)
        .style('fill-opacity', entry.label === 'snapshot' ? 1 : 0.5)
        .style('stroke', entry.colour);
      textAt(item, 'es-key-text', 11, 0, entry.label, 'start', 9, instrumentColours.muted);
    });

    // Projections: each cursor on the newest stretch of the log.
    const cursors = group(root, 'es-cursors');
    const window = cursorWindowOf(data);
    const span = Math.max(1, window.to - window.from);
    const trackX = cursorLabelWidth;
    const trackWidth = Math.max(40, widthPx - cursorLabelWidth - 92);
    const xOf = (position: number): number =>
      trackX +
      ((Math.min(Math.max(position, window.from), window.to) - window.from) / span) * trackWidth;
    textAt(
      cursors,
      'es-cursors-head',
      0,
      layout.cursorsTop - 6,
      data.hasLog ? `projection cursors, log positions ${window.from}–${window.to}` : '',
      'start',
      9,
      instrumentColours.muted,
    );
    const cursorRows = cursors
      .selectAll<SVGGElement, ProjectionCursor>('g.es-cursor')
      .data(data.projections, (cursor) => cursor.id)
      .join('g')
      .attr('class', 'es-cursor')
      .attr('transform', (_, i) => `translate(0,${layout.cursorsTop + i * cursorRowHeight})`);
    cursorRows.each(function (cursor) {
      const row = select(this) as unknown as Parent;
      const colour = cursorColour(cursor);
      textAt(row, 'es-cursor-id', 0, 10, cursor.id, 'start', 10);
      row
        .selectAll('line.es-track')
        .data([null])
        .join('line')
        .attr('class', 'es-track')
        .attr('x1', trackX)
        .attr('x2', trackX + trackWidth)
        .attr('y1', 6)
        .attr('y2', 6)
        .style('stroke', instrumentColours.grid);
      const x = xOf(cursor.position);
      row
        .selectAll('rect.es-lag')
        .data([null])
        .join('rect')
        .attr('class', 'es-lag')
        .attr('x', x)
        .attr('y', 2)
        .attr('width', Math.max(0, xOf(data.head) - x))
        .attr('height', 8)
        .style('fill', colour)
        .style('opacity', 0.5);
      row
        .selectAll('path.es-marker')
        .data([null])
        .join('path')
        .attr('class', 'es-marker')
        .attr('d', `M${x},0 L${x + 5},6 L${x},12 L${x - 5},6 Z`)
        .style('fill', colour)
        .style('stroke', instrumentColours.text)
        .style('stroke-width', 0.8);
      textAt(
        row,
        'es-cursor-value',
        widthPx,
        10,
        cursorValue(cursor),
        'end',
        9,
        cursor.lag === 0 ? instrumentColours.text : instrumentColours.warn,
      );
    });

    // Optimistic concurrency: the conflicts retried and the latest one.
    const conflict = group(root, 'es-conflict');
    const last = data.lastConflict;
    const gaveUp = data.gaveUp > 0 ? ` · ${data.gaveUp} gave up` : '';
    textAt(
      conflict,
      'es-conflict-count',
      0,
      layout.conflictTop + 10,
      `Conflicts retried: ${data.retried}${gaveUp}` +
        (last === null ? '' : ` · last: ${last.handler}, retry ${last.retry}`),
      'start',
      10,
      data.retried > 0 ? instrumentColours.warn : instrumentColours.text,
    );
    textAt(
      conflict,
      'es-conflict-last',
      0,
      layout.conflictTop + 23,
      last === null
        ? 'none yet: no two writers have raced for a stream'
        : last.stream === null
          ? 'it reloaded the streams that moved on and decided again'
          : `${last.stream}: expected v${last.expectedVersion}, was v${last.actualVersion} → reload, retry`,
      'start',
      9,
      instrumentColours.muted,
    );
  },
};
