import type { DropReason } from '../../engine/trace.ts';
import { formatSimTime } from '../controls/format.ts';
import type { WindowContent } from './content.ts';
import type { DiagramHit } from './geometry.ts';

/**
 * The diagram in words: the caption under it (also its accessible description) and the tooltip
 * of the arrow under the pointer. Pure, so the wording is tested without a canvas.
 */

const drop: Readonly<Record<DropReason, string>> = {
  loss: 'lost on the link',
  partition: 'cut off by a partition',
  'node-down': 'the receiver was down',
  'link-held-reset': 'held link reset',
};

function count(value: number, one: string, many = `${one}s`): string {
  return `${value.toLocaleString('en')} ${value === 1 ? one : many}`;
}

/** The caption: what the window holds, and when it is aggregated, how to see each message. */
export function captionFor(content: WindowContent): string {
  const { counts, window } = content;
  const range = `${formatSimTime(window.startUs)} to ${formatSimTime(window.endUs)}`;
  const outcomes = [
    `${counts.delivered.toLocaleString('en')} delivered`,
    `${counts.dropped.toLocaleString('en')} dropped`,
    `${counts.inFlight.toLocaleString('en')} in flight`,
  ].join(', ');
  const parts = [`${count(counts.messages, 'message')} (${outcomes}) from ${range}`];
  if (counts.crashes > 0) parts.push(count(counts.crashes, 'crash', 'crashes'));
  let text = `${parts.join('; ')}.`;
  if (counts.bundled > 0) {
    text += ` ${count(counts.bundled, 'message')} shown as ${count(content.bundles.length, 'bundle')}; zoom in for each.`;
  }
  if (counts.omitted > 0) text += ` ${count(counts.omitted, 'message')} not drawn.`;
  if (counts.marksOmitted > 0) text += ` ${count(counts.marksOmitted, 'older mark')} not drawn.`;
  return text;
}

/** The tooltip's lines for what the pointer is over; `nodeIds` name the lanes. */
export function tooltipLines(hit: DiagramHit, nodeIds: readonly string[]): string[] {
  const name = (lane: number): string => nodeIds[lane] ?? `node ${String(lane)}`;
  if (hit.kind === 'bundle') {
    const { bundle } = hit;
    const lines = [
      `${count(bundle.count, 'message')}${bundle.type === '' ? '' : ` (${bundle.type})`}`,
      `${name(bundle.from)} → ${name(bundle.to)}`,
      `sent around ${formatSimTime(bundle.sentUs)}`,
    ];
    if (bundle.droppedCount > 0) lines.push(`${bundle.droppedCount.toLocaleString('en')} dropped`);
    return lines;
  }
  const { trip } = hit;
  const title = `${trip.type === '' ? 'message' : trip.type}${trip.isDuplicate ? ' (duplicate)' : ''}`;
  const sent = trip.isSendKnown
    ? `sent ${formatSimTime(trip.sentUs)}`
    : `sent before ${formatSimTime(trip.sentUs)} (older events not kept)`;
  const lines = [title, `${name(trip.from)} → ${name(trip.to)}`, sent];
  if (trip.outcome === 'delivered') {
    const latency = trip.isSendKnown ? ` (${formatMs(trip.endUs - trip.sentUs)})` : '';
    lines.push(`delivered ${formatSimTime(trip.endUs)}${latency}`);
  } else if (trip.outcome === 'dropped') {
    lines.push(`dropped ${formatSimTime(trip.endUs)}: ${drop[trip.dropReason ?? 'loss']}`);
  } else {
    const due = trip.dueUs >= 0 ? `, due ${formatSimTime(trip.dueUs)}` : '';
    lines.push(`in flight${due}`);
  }
  if (trip.wasHeld) lines.push('held at a held link on the way');
  return lines;
}

function formatMs(durationUs: number): string {
  return `${String(Math.round(durationUs / 100) / 10)} ms`;
}
