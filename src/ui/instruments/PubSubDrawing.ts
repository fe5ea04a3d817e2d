import {
  isBehind,
  type PubSubInstrumentData,
  type PublisherReading,
  type SubscriptionReading,
} from '../../scenarios/pub-sub/instrument.ts';
import { select } from 'd3-selection';
import { barRow, group, instrumentColours, type Parent, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

const headerHeight = 18;
const tableTop = 30;
const rowHeight = 18;
const barHeight = 10;
const footerHeight = 30;
const publisherRowHeight = 30;
const subscriberLineHeight = 13;
/** Right edges of the number columns, measured from the right of the drawing. */
const numberColumns = [
  { id: 'queued', label: 'queued', fromRight: 74 },
  { id: 'unacked', label: 'unack', fromRight: 38 },
  { id: 'redelivered', label: 'redel.', fromRight: 0 },
] as const;
const idWidth = 24;

function subscriptionHeight(data: PubSubInstrumentData): number {
  return tableTop + data.subscriptions.length * rowHeight + footerHeight;
}

function directHeight(data: PubSubInstrumentData): number {
  return (
    headerHeight +
    data.publishers.length * publisherRowHeight +
    8 +
    data.subscriptions.length * subscriberLineHeight
  );
}

/** A vertical tick across a bar, for a threshold. */
function tick(parent: Parent, className: string, x: number, y: number): void {
  parent
    .selectAll(`line.${className}`)
    .data([x])
    .join('line')
    .attr('class', className)
    .attr('x1', (d) => d)
    .attr('x2', (d) => d)
    .attr('y1', y - 3)
    .attr('y2', y + barHeight + 3)
    .style('stroke', instrumentColours.text)
    .style('stroke-width', 1.5);
}

function drawSubscriptions(svg: SVGSVGElement, data: PubSubInstrumentData, widthPx: number): void {
  const root = rootOf(svg);
  root.selectAll('g.ps-direct').remove();
  const layer = group(root, 'ps-broker');
  const full = data.policy === 'block-publisher' ? 'refuse publishes' : 'drop the oldest';
  textAt(
    layer,
    'ps-header',
    0,
    10,
    `Bound ${data.capacity}; full → ${full}`,
    'start',
    10,
    instrumentColours.muted,
  );
  const barX = idWidth;
  const barWidth = Math.max(40, widthPx - idWidth - numberColumns[0].fromRight - 30);
  textAt(layer, 'ps-head-bar', barX, tableTop - 6, 'queue', 'start', 9, instrumentColours.muted);
  for (const column of numberColumns) {
    textAt(
      layer,
      `ps-head-${column.id}`,
      widthPx - column.fromRight,
      tableTop - 6,
      column.label,
      'end',
      9,
      instrumentColours.muted,
    );
  }
  const rows = layer
    .selectAll<SVGGElement, SubscriptionReading>('g.ps-sub')
    .data(data.subscriptions, (d) => d.id)
    .join('g')
    .attr('class', 'ps-sub')
    .attr('transform', (_, i) => `translate(0,${tableTop + i * rowHeight})`);
  const capacity = Math.max(1, data.capacity);
  const behindX = barX + Math.min(1, data.behindAt / capacity) * barWidth;
  rows.each(function (sub) {
    const row = select<SVGGElement, unknown>(this) as unknown as Parent;
    const behind = isBehind(data, sub);
    textAt(
      row,
      'ps-id',
      0,
      barHeight,
      `${sub.id}${sub.isDurable ? '' : '*'}`,
      'start',
      11,
      behind ? instrumentColours.warn : instrumentColours.text,
    );
    row.select('text.ps-id').style('font-weight', behind ? '700' : '400');
    const waitingColour =
      sub.queued >= data.capacity
        ? instrumentColours.bad
        : behind
          ? instrumentColours.warn
          : instrumentColours.ok;
    barRow(row, 'ps-queue', barX, 1, barWidth, barHeight, [
      { fraction: sub.unacked / capacity, colour: instrumentColours.violet },
      { fraction: (sub.queued - sub.unacked) / capacity, colour: waitingColour },
    ]);
    tick(row, 'ps-behind-tick', behindX, 1);
    const values = { queued: sub.queued, unacked: sub.unacked, redelivered: sub.redelivered };
    for (const column of numberColumns) {
      textAt(
        row,
        `ps-${column.id}`,
        widthPx - column.fromRight,
        barHeight,
        String(values[column.id]),
        'end',
        11,
        column.id === 'redelivered' && sub.redelivered > 0
          ? instrumentColours.bad
          : instrumentColours.text,
      );
    }
  });
  const footerY = tableTop + data.subscriptions.length * rowHeight + 6;
  const footer = group(layer, 'ps-footer');
  const behind = data.subscriptions.filter((sub) => isBehind(data, sub));
  const behindText =
    behind.length === 0
      ? 'Nobody behind (tick: behind at ' + String(data.behindAt) + ').'
      : `Behind: ${behind
          .map((sub) => {
            const since =
              sub.behindSinceUs === null
                ? ''
                : ` ${((data.nowUs - sub.behindSinceUs) / 1_000_000).toFixed(1)} s`;
            return `${sub.id}${since}${sub.slowFactor > 1 ? `, slowed ×${sub.slowFactor}` : ''}`;
          })
          .join('; ')}.`;
  textAt(
    footer,
    'ps-behind',
    0,
    footerY + 4,
    behindText,
    'start',
    10,
    behind.length === 0 ? instrumentColours.muted : instrumentColours.warn,
  );
  const notes = [
    'violet: delivered, unacked',
    ...(data.subscriptions.some((sub) => !sub.isDurable) ? ['* in-memory'] : []),
    ...(data.isBrokerUp ? [] : ['broker down']),
  ];
  textAt(
    footer,
    'ps-notes',
    0,
    footerY + 18,
    notes.join(' · '),
    'start',
    10,
    instrumentColours.muted,
  );
}

function drawDirect(svg: SVGSVGElement, data: PubSubInstrumentData, widthPx: number): void {
  const root = rootOf(svg);
  root.selectAll('g.ps-broker').remove();
  const layer = group(root, 'ps-direct');
  textAt(
    layer,
    'ps-header',
    0,
    11,
    'No broker: messages wait in outboxes',
    'start',
    10,
    instrumentColours.muted,
  );
  const heldUpAt = data.outboxMax / 10;
  const publishers = layer
    .selectAll<SVGGElement, PublisherReading>('g.ps-pub')
    .data(data.publishers, (d) => d.id)
    .join('g')
    .attr('class', 'ps-pub')
    .attr('transform', (_, i) => `translate(0,${headerHeight + i * publisherRowHeight})`);
  publishers.each(function (pub) {
    const row = select<SVGGElement, unknown>(this) as unknown as Parent;
    const waiting = pub.outbox ?? 0;
    const isHeldUp = waiting >= heldUpAt;
    textAt(
      row,
      'ps-pub-label',
      0,
      10,
      pub.outbox === null ? `${pub.id}: down` : `${pub.id} outbox: ${waiting}/${data.outboxMax}`,
      'start',
      11,
    );
    textAt(
      row,
      'ps-pub-state',
      widthPx,
      10,
      isHeldUp ? 'held up' : 'keeps up',
      'end',
      10,
      isHeldUp ? instrumentColours.warn : instrumentColours.ok,
    );
    barRow(row, 'ps-outbox', 0, 15, widthPx, barHeight, [
      {
        fraction: waiting / data.outboxMax,
        colour: isHeldUp ? instrumentColours.warn : instrumentColours.ok,
      },
    ]);
    tick(row, 'ps-held-tick', (heldUpAt / data.outboxMax) * widthPx, 15);
  });
  const top = headerHeight + data.publishers.length * publisherRowHeight + 8;
  layer
    .selectAll<SVGTextElement, SubscriptionReading>('text.ps-sub-line')
    .data(data.subscriptions, (d) => d.id)
    .join('text')
    .attr('class', 'ps-sub-line')
    .attr('x', 0)
    .attr('y', (_, i) => top + i * subscriberLineHeight + 10)
    .style('font-size', '10px')
    .style('fill', (d) => (d.slowFactor > 1 ? instrumentColours.warn : instrumentColours.text))
    .text(
      (d) =>
        `${d.id}: ${d.queued} call${d.queued === 1 ? '' : 's'} waiting${d.slowFactor > 1 ? ` · slowed ×${d.slowFactor}` : ''}${d.isUp ? '' : ' · down'}`,
    );
}

/**
 * The subscriptions: one bar per subscription's queue against the bound (delivered-but-unacked
 * messages first, then those waiting), a tick where a subscriber counts as fallen behind, and the
 * counts in words. Without a broker: the publishers' outboxes, where the waiting happens instead.
 */
export const pubSubDrawing: InstrumentDrawing = {
  heightPx: (raw) => {
    const data = raw as PubSubInstrumentData;
    return data.hasBroker ? subscriptionHeight(data) : directHeight(data);
  },
  draw(svg, raw, widthPx) {
    const data = raw as PubSubInstrumentData;
    if (data.hasBroker) drawSubscriptions(svg, data, widthPx);
    else drawDirect(svg, data, widthPx);
  },
};
