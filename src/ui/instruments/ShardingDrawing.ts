import { arc } from 'd3-shape';
import type { ShardMapData, ShardRow } from '../../scenarios/sharding/instrument.ts';
import { barRow, group, instrumentColours, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

/** One mid-tone colour per pool shard (s1…s8), readable on light and dark. */
export const shardColours: readonly string[] = [
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#9333ea',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#64748b',
];

export function shardColour(number: number): string {
  return shardColours[(number - 1 + shardColours.length) % shardColours.length] ?? '#64748b';
}

const ringThickness = 14;
const captionY = 10;

function radiusFor(widthPx: number): number {
  return Math.max(40, Math.min(60, Math.floor(widthPx * 0.19)));
}

function ringTop(): number {
  return captionY + 14;
}

function belowRing(widthPx: number): number {
  return ringTop() + 2 * radiusFor(widthPx) + 24;
}

const placementCaption = (data: ShardMapData): string =>
  data.placement === 'consistent'
    ? `Hash ring, ${data.virtualNodes} point${data.virtualNodes === 1 ? '' : 's'} per shard`
    : data.isSingleNode
      ? 'One node: every key on s1'
      : data.placement === 'range'
        ? `Key ranges, keys 0–${data.keyCount - 1} clockwise`
        : `hash mod ${data.shards.filter((row) => row.share > 0).length}: one slot per shard`;

const pathOf = arc<{ from: number; to: number; inner: number; outer: number }>()
  .innerRadius((d) => d.inner)
  .outerRadius((d) => d.outer)
  .startAngle((d) => d.from * 2 * Math.PI)
  .endAngle((d) => d.to * 2 * Math.PI);

/**
 * The shard map: the key space as a ring coloured by the shard the router's table names (the
 * hash ring for consistent hashing), with the hot key marked outside it and keys in flight
 * inside it; beside it each shard's share, keys held and queue; below it the hand-off of the
 * running rebalance and the hot key's shard.
 */
export const shardingDrawing: InstrumentDrawing = {
  heightPx: (_data, widthPx) => belowRing(widthPx) + 66,
  draw(svg, raw, widthPx) {
    const data = raw as ShardMapData;
    const root = rootOf(svg);
    const radius = radiusFor(widthPx);
    const cx = radius + 10;
    const cy = ringTop() + radius;
    const angleOf = (at: number): number => at * 2 * Math.PI - Math.PI / 2;

    // The ring.
    const ring = group(root, 'sh-ring');
    textAt(
      ring,
      'sh-caption',
      0,
      captionY,
      placementCaption(data),
      'start',
      10,
      instrumentColours.muted,
    );
    ring
      .selectAll('path.sh-arc')
      .data(data.arcs)
      .join('path')
      .attr('class', 'sh-arc')
      .attr('transform', `translate(${cx},${cy})`)
      .attr('d', (d) =>
        pathOf({ from: d.from, to: d.to, inner: radius - ringThickness, outer: radius }),
      )
      .style('fill', (d) => shardColour(d.shard))
      .style('stroke', 'none');
    textAt(ring, 'sh-version', cx, cy + 2, `v${data.version}`, 'middle', 16);
    textAt(
      ring,
      'sh-version-label',
      cx,
      cy + 15,
      data.rebalance === null ? 'table' : 'new table',
      'middle',
      10,
      instrumentColours.muted,
    );

    // Keys in flight: a dot inside the ring at the key's place, in the receiving shard's colour.
    const inner = radius - ringThickness - 6;
    ring
      .selectAll('circle.sh-moving')
      .data(data.moving)
      .join('circle')
      .attr('class', 'sh-moving')
      .attr('cx', (d) => cx + inner * Math.cos(angleOf(d.at)))
      .attr('cy', (d) => cy + inner * Math.sin(angleOf(d.at)))
      .attr('r', 3)
      .style('fill', (d) => shardColour(d.to))
      .style('stroke', instrumentColours.text)
      .style('stroke-width', 0.8);

    // The hot key: a marker pointing at its place on the ring, outside it.
    const hot = data.hot === null ? [] : [data.hot];
    ring
      .selectAll('path.sh-hot')
      .data(hot)
      .join('path')
      .attr('class', 'sh-hot')
      .attr('transform', (d) => {
        const angle = angleOf(d.at);
        const x = cx + (radius + 6) * Math.cos(angle);
        const y = cy + (radius + 6) * Math.sin(angle);
        return `translate(${x},${y}) rotate(${(angle * 180) / Math.PI + 90})`;
      })
      .attr('d', 'M-5,-4 L5,-4 L0,5 z')
      .style('fill', instrumentColours.bad);

    // The table of shards, beside the ring.
    const tableX = 2 * radius + 24;
    const room = Math.max(110, widthPx - tableX);
    const columns = { id: 12, shareEnd: 61, keysEnd: 92, bar: 97 };
    const headY = ringTop() + 4;
    const barWidth = Math.max(14, room - columns.bar);
    const table = group(root, 'sh-table');
    const header = [
      { id: 'shard', x: 0, text: 'shard', anchor: 'start' as const },
      { id: 'share', x: columns.shareEnd, text: 'share', anchor: 'end' as const },
      { id: 'keys', x: columns.keysEnd, text: 'keys', anchor: 'end' as const },
      {
        id: 'queue',
        x: columns.bar,
        text: barWidth >= 30 ? 'queue' : 'q',
        anchor: 'start' as const,
      },
    ];
    for (const column of header) {
      textAt(
        table,
        `sh-head-${column.id}`,
        tableX + column.x,
        headY,
        column.text,
        column.anchor,
        10,
        instrumentColours.muted,
      );
    }
    const rowStep = Math.min(16, (2 * radius - 6) / Math.max(1, data.shards.length));
    const rows = table
      .selectAll<SVGGElement, ShardRow>('g.sh-row')
      .data(data.shards, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'sh-row');
        g.append('rect').attr('class', 'sh-swatch');
        g.append('text').attr('class', 'sh-id');
        g.append('text').attr('class', 'sh-share').attr('text-anchor', 'end');
        g.append('text').attr('class', 'sh-keys').attr('text-anchor', 'end');
        g.append('rect').attr('class', 'sh-queue-track');
        g.append('rect').attr('class', 'sh-queue-fill');
        g.append('text').attr('class', 'sh-queue-text');
        return g;
      })
      .attr('transform', (_d, i) => `translate(${tableX},${headY + 16 + i * rowStep})`);
    const isMuted = (d: ShardRow): boolean => d.role === 'spare' || !d.isUp;
    const rowText = (d: ShardRow): string =>
      isMuted(d) ? instrumentColours.muted : instrumentColours.text;
    rows
      .select('rect.sh-swatch')
      .attr('x', 0)
      .attr('y', -8)
      .attr('width', 9)
      .attr('height', 9)
      .style('fill', (d) => (d.role === 'spare' ? 'none' : shardColour(d.number)))
      .style('stroke', (d) => shardColour(d.number));
    rows
      .select('text.sh-id')
      .attr('x', columns.id)
      .style('font-size', '11px')
      .style('font-weight', (d) => (d.role === 'joining' || d.role === 'leaving' ? '700' : '400'))
      .style('fill', rowText)
      .text((d) => d.id);
    rows
      .select('text.sh-share')
      .attr('x', columns.shareEnd)
      .style('font-size', '11px')
      .style('fill', rowText)
      .text((d) =>
        d.role === 'spare' && d.share === 0 ? 'spare' : `${Math.round(d.share * 100)}%`,
      );
    rows
      .select('text.sh-keys')
      .attr('x', columns.keysEnd)
      .style('font-size', '11px')
      .style('fill', rowText)
      .text((d) => (d.role === 'spare' && d.keys === 0 ? '' : String(d.keys)));
    const fill = (d: ShardRow): number => (d.capacity > 0 ? Math.min(1, d.held / d.capacity) : 0);
    rows
      .select('rect.sh-queue-track')
      .attr('x', columns.bar)
      .attr('y', -8)
      .attr('width', (d) => (d.isUp && d.role !== 'spare' ? barWidth : 0))
      .attr('height', 8)
      .style('fill', instrumentColours.surface)
      .style('stroke', instrumentColours.grid);
    rows
      .select('rect.sh-queue-fill')
      .attr('x', columns.bar)
      .attr('y', -8)
      .attr('width', (d) => (d.isUp && d.role !== 'spare' ? barWidth * fill(d) : 0))
      .attr('height', 8)
      .style('fill', (d) => (fill(d) >= 1 ? instrumentColours.bad : instrumentColours.accent));
    rows
      .select('text.sh-queue-text')
      .attr('x', columns.bar)
      .style('font-size', '10px')
      .style('fill', (d) => (d.isUp ? instrumentColours.muted : instrumentColours.bad))
      .text((d) => (!d.isUp && d.role !== 'spare' ? 'down' : ''));

    // The hand-off, below the ring.
    const handoff = group(root, 'sh-handoff');
    const top = belowRing(widthPx);
    const move = data.rebalance;
    const title =
      move === null
        ? data.isSingleNode
          ? 'One node: nothing to hand off'
          : `No hand-off: every key rests on its shard${data.queued > 0 ? ` (${data.queued} queued)` : ''}`
        : move.kind === 'add'
          ? `Hand-off to table v${move.version}: ${move.shard} joins`
          : `Hand-off to table v${move.version}: ${move.shard} leaves`;
    textAt(handoff, 'sh-handoff-title', 0, top, title, 'start', 11);
    const planned = move?.plannedMoves ?? 0;
    const moved = move === null || planned === 0 ? 0 : (planned - move.remaining) / planned;
    const bandColour =
      move === null ? instrumentColours.muted : shardColour(Number(move.shard.slice(1)));
    barRow(handoff, 'sh-handoff-bar', 0, top + 6, widthPx, 8, [
      { fraction: moved, colour: bandColour },
    ]);
    const sources = data.shards.filter((row) => row.leaving > 0);
    const detail =
      move === null
        ? data.isSingleNode
          ? ''
          : 'Keys in hand-off show as dots inside the ring'
        : `${planned - move.remaining} of ${planned} keys moved · ${move.inFlight} in flight`;
    textAt(
      handoff,
      'sh-handoff-detail',
      0,
      top + 27,
      detail,
      'start',
      10,
      move === null ? instrumentColours.muted : instrumentColours.text,
    );
    textAt(
      handoff,
      'sh-handoff-from',
      0,
      top + 41,
      sources.length === 0
        ? ''
        : `still to leave ${sources.map((row) => `${row.id} ${row.leaving}`).join(' · ')}`,
      'start',
      10,
      instrumentColours.muted,
    );

    // The hot key and its shard.
    const hotRow =
      data.hot === null ? undefined : data.shards.find((row) => row.id === data.hot?.shard);
    const isFull = hotRow !== undefined && hotRow.capacity > 0 && hotRow.held >= hotRow.capacity;
    textAt(
      handoff,
      'sh-hot-text',
      0,
      top + 58,
      data.hot === null
        ? 'No hot key'
        : `▼ Hot key ${data.hot.key}: ${Math.round(data.hot.share * 100)}% of requests → ${data.hot.shard}${isFull ? ', full' : ''}`,
      'start',
      11,
      data.hot === null
        ? instrumentColours.muted
        : isFull
          ? instrumentColours.bad
          : instrumentColours.text,
    );
  },
};
