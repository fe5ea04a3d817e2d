import { type BaseType, select, type Selection } from 'd3-selection';

/** Any selection an instrument draws into: the svg or one of its groups. */
export type Parent = Selection<BaseType, unknown, BaseType, unknown>;

/** The svg as a parent for the helpers below. */
export function rootOf(svg: SVGSVGElement): Parent {
  return select<BaseType, unknown>(svg);
}

/**
 * Colours the instruments share: theme variables where the theme has them (so text and lines
 * read on light and dark), mid-tone state colours that read on both otherwise. Set with
 * `.style(...)`, which resolves `var(...)`; an SVG presentation attribute would not.
 */
export const instrumentColours = {
  text: 'var(--text)',
  muted: 'var(--text-muted)',
  grid: 'var(--border)',
  surface: 'var(--surface-2)',
  accent: 'var(--accent)',
  ok: '#16a34a',
  warn: '#d97706',
  bad: '#dc2626',
  info: '#2563eb',
  violet: '#9333ea',
} as const;

/** The child `<tag class=className>` of `parent`, created on first use (one per class). */
export function group(parent: Parent, className: string, tag: 'g' | 'defs' = 'g'): Parent {
  return parent
    .selectAll<SVGGElement, null>(`${tag}.${className}`)
    .data([null])
    .join(tag)
    .attr('class', className) as unknown as Parent;
}

/** One text element with `className` under `parent`, placed and filled in (created on first use). */
export function textAt(
  parent: Parent,
  className: string,
  x: number,
  y: number,
  text: string,
  anchor: 'start' | 'middle' | 'end' = 'start',
  sizePx = 11,
  colour: string = instrumentColours.text,
): void {
  parent
    .selectAll<SVGTextElement, null>(`text.${className}`)
    .data([null])
    .join('text')
    .attr('class', className)
    .attr('x', x)
    .attr('y', y)
    .attr('text-anchor', anchor)
    .style('font-size', `${sizePx}px`)
    .style('fill', colour)
    .text(text);
}

/** A segment of a bar: its share of the bar's width (clamped to 0–1) and colour. */
export interface BarSegment {
  readonly fraction: number;
  readonly colour: string;
}

/** A horizontal bar: an outlined track with its segments laid end to end from the left. */
export function barRow(
  parent: Parent,
  className: string,
  x: number,
  y: number,
  widthPx: number,
  heightPx: number,
  segments: readonly BarSegment[],
): void {
  const bar = group(parent, className);
  bar
    .selectAll('rect.track')
    .data([null])
    .join('rect')
    .attr('class', 'track')
    .attr('x', x)
    .attr('y', y)
    .attr('width', Math.max(0, widthPx))
    .attr('height', heightPx)
    .style('fill', instrumentColours.surface)
    .style('stroke', instrumentColours.grid);
  let offset = 0;
  const placed = segments.map((segment) => {
    const share = Math.min(Math.max(segment.fraction, 0), 1 - offset);
    const start = offset;
    offset += share;
    return { start, share, colour: segment.colour };
  });
  bar
    .selectAll('rect.segment')
    .data(placed)
    .join('rect')
    .attr('class', 'segment')
    .attr('x', (d) => x + d.start * widthPx)
    .attr('y', y)
    .attr('width', (d) => d.share * widthPx)
    .attr('height', heightPx)
    .style('fill', (d) => d.colour);
}
