import { select } from 'd3-selection';
import {
  type CqrsInstrumentData,
  lagSeconds,
  type ReaderReading,
} from '../../scenarios/cqrs/instrument.ts';
import { group, instrumentColours, type Parent, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

const labelWidth = 58;
const valueWidth = 78;
const logTop = 16;
const logHeight = 12;
const readersTop = 52;
const rowHeight = 16;
const footerHeight = 30;
/** Entries drawn one by one up to this many in the window; a solid bar beyond. */
const cellsMax = 60;

/** The stretch of the log shown: the newest positions, enough to see every reader's lag. */
export function windowOf(data: CqrsInstrumentData): { from: number; to: number } {
  const largestLag = data.readers.reduce((max, reader) => Math.max(max, reader.lag), 0);
  const span = Math.max(2 * data.laggingAt, Math.ceil(largestLag * 1.25), 10);
  return { from: Math.max(0, data.head - span), to: data.head };
}

function readersHeight(data: CqrsInstrumentData): number {
  return readersTop + data.readers.length * rowHeight;
}

function lagColour(reader: ReaderReading, data: CqrsInstrumentData): string {
  if (!reader.isUp) return instrumentColours.muted;
  if (reader.lag === 0) return instrumentColours.ok;
  return reader.lag >= data.laggingAt ? instrumentColours.warn : instrumentColours.info;
}

/**
 * The write log and its readers: the newest stretch of the log up to its head (and how far the
 * broker has acknowledged the feed), then the projector and each replica as a marker at its
 * applied position with its lag to the head drawn as a bar, in events and in time.
 */
export const cqrsDrawing: InstrumentDrawing = {
  heightPx: (raw) => {
    const data = raw as CqrsInstrumentData;
    return data.hasReadSide ? readersHeight(data) + footerHeight : readersTop - 8;
  },
  draw(svg, raw, widthPx) {
    const data = raw as CqrsInstrumentData;
    const root = rootOf(svg);
    const trackX = labelWidth;
    const trackWidth = Math.max(40, widthPx - labelWidth - valueWidth);
    const window = windowOf(data);
    const span = Math.max(1, window.to - window.from);
    const xOf = (position: number): number =>
      trackX +
      ((Math.min(Math.max(position, window.from), window.to) - window.from) / span) * trackWidth;

    // The log.
    const log = group(root, 'cq-log');
    textAt(log, 'cq-log-title', 0, 10, `Write log: head ${data.head}`, 'start', 11);
    log.select('text.cq-log-title').style('font-weight', '700');
    textAt(
      log,
      'cq-log-feed',
      widthPx,
      10,
      data.hasReadSide ? `feed acked: ${data.publishedUpTo}` : 'one store: no lag',
      'end',
      10,
      instrumentColours.muted,
    );
    textAt(
      log,
      'cq-log-label',
      0,
      logTop + logHeight - 2,
      'entries',
      'start',
      10,
      instrumentColours.muted,
    );
    const cells =
      span <= cellsMax
        ? Array.from({ length: window.to - window.from }, (_, i) => window.from + i + 1)
        : [];
    const cellWidth = trackWidth / span;
    log
      .selectAll('rect.cq-cell')
      .data(cells)
      .join('rect')
      .attr('class', 'cq-cell')
      .attr('x', (position) => xOf(position - 1) + 0.5)
      .attr('y', logTop)
      .attr('width', Math.max(0.5, cellWidth - 1))
      .attr('height', logHeight)
      .style('fill', (position) =>
        position <= data.publishedUpTo ? instrumentColours.info : instrumentColours.surface,
      )
      .style('stroke', instrumentColours.info);
    log
      .selectAll('rect.cq-solid')
      .data(cells.length === 0 ? [null] : [])
      .join('rect')
      .attr('class', 'cq-solid')
      .attr('x', trackX)
      .attr('y', logTop)
      .attr('width', trackWidth)
      .attr('height', logHeight)
      .style('fill', instrumentColours.info);
    textAt(
      log,
      'cq-axis-from',
      trackX,
      logTop + logHeight + 11,
      String(window.from),
      'start',
      9,
      instrumentColours.muted,
    );
    textAt(
      log,
      'cq-axis-to',
      trackX + trackWidth,
      logTop + logHeight + 11,
      String(window.to),
      'end',
      9,
      instrumentColours.muted,
    );
    textAt(
      log,
      'cq-axis-label',
      trackX + trackWidth / 2,
      logTop + logHeight + 11,
      data.hasReadSide ? 'position →' : '',
      'middle',
      9,
      instrumentColours.muted,
    );
    if (!data.hasReadSide) {
      root.selectAll('g.cq-readers, g.cq-footer').remove();
      return;
    }

    // The readers, each at its position, with its lag to the head.
    const readers = group(root, 'cq-readers');
    textAt(
      readers,
      'cq-readers-head',
      0,
      readersTop - 6,
      'read model',
      'start',
      9,
      instrumentColours.muted,
    );
    textAt(
      readers,
      'cq-readers-lag',
      widthPx,
      readersTop - 6,
      'behind',
      'end',
      9,
      instrumentColours.muted,
    );
    const rows = readers
      .selectAll<SVGGElement, ReaderReading>('g.cq-reader')
      .data(data.readers, (d) => d.id)
      .join('g')
      .attr('class', 'cq-reader')
      .attr('transform', (_, i) => `translate(0,${readersTop + i * rowHeight})`);
    rows.each(function (reader) {
      const row = select(this) as unknown as Parent;
      const colour = lagColour(reader, data);
      const notServing = reader.kind === 'replica' && reader.isUp && !reader.isServing;
      textAt(
        row,
        'cq-id',
        0,
        10,
        `${reader.id}${reader.isUp ? '' : ' ✕'}${notServing ? ' ⟳' : ''}`,
        'start',
        11,
      );
      row
        .selectAll('line.cq-track')
        .data([null])
        .join('line')
        .attr('class', 'cq-track')
        .attr('x1', trackX)
        .attr('x2', trackX + trackWidth)
        .attr('y1', 6)
        .attr('y2', 6)
        .style('stroke', instrumentColours.grid);
      const x = xOf(reader.position);
      row
        .selectAll('rect.cq-lag')
        .data([null])
        .join('rect')
        .attr('class', 'cq-lag')
        .attr('x', x)
        .attr('y', 2)
        .attr('width', Math.max(0, xOf(data.head) - x))
        .attr('height', 8)
        .style('fill', colour)
        .style('opacity', 0.55);
      row
        .selectAll('path.cq-marker')
        .data([null])
        .join('path')
        .attr('class', 'cq-marker')
        .attr('d', `M${x},0 L${x + 5},6 L${x},12 L${x - 5},6 Z`)
        .style('fill', colour)
        .style('stroke', instrumentColours.text)
        .style('stroke-width', 0.8);
      textAt(
        row,
        'cq-value',
        widthPx,
        10,
        !reader.isUp
          ? `down, ${reader.lag} behind`
          : reader.lag === 0
            ? 'caught up'
            : `${reader.lag}, ${lagSeconds(reader.lag, data.writesPerSecond)}`,
        'end',
        10,
        reader.lag >= data.laggingAt ? instrumentColours.warn : instrumentColours.text,
      );
    });

    const footer = group(root, 'cq-footer');
    const top = readersHeight(data) + 4;
    const anyReplaying = data.readers.some(
      (reader) => reader.kind === 'replica' && reader.isUp && !reader.isServing,
    );
    textAt(
      footer,
      'cq-footer-rate',
      0,
      top + 8,
      `Time ≈ events ÷ ${data.writesPerSecond} writes/s; lagging from ${data.laggingAt}.`,
      'start',
      9,
      instrumentColours.muted,
    );
    const spares = data.spares.length === 0 ? '' : `Spare: ${data.spares.join(', ')}`;
    const replaying = anyReplaying ? '⟳ replaying, not serving' : '';
    const down = data.readers.some((reader) => !reader.isUp) ? '✕ down' : '';
    textAt(
      footer,
      'cq-footer-spares',
      0,
      top + 21,
      [replaying, down, spares].filter((part) => part !== '').join(' · '),
      'start',
      9,
      instrumentColours.muted,
    );
  },
};
