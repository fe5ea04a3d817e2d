import { dropReasons, type TraceEvent, type TraceEventType } from '../../engine/trace.ts';
import { percentText, trimmedNumber } from '../../worker/commandText.ts';

/**
 * The event log's filters and row wording, as pure functions. Trace event types are grouped by
 * domain; the table below must name every type, so a new type fails the type check until it is
 * given a group.
 */
export type EventKind =
  'message' | 'timer' | 'node' | 'network' | 'metric' | 'invariant' | 'command' | 'note';

export const eventKindOfType: Readonly<Record<TraceEventType, EventKind>> = {
  'message.sent': 'message',
  'message.delivered': 'message',
  'message.dropped': 'message',
  'message.duplicated': 'message',
  'message.held': 'message',
  'timer.fired': 'timer',
  'node.crashed': 'node',
  'node.restarted': 'node',
  'node.paused': 'node',
  'node.resumed': 'node',
  'node.state': 'node',
  'node.skewed': 'node',
  'net.partitioned': 'network',
  'net.healed': 'network',
  'link.changed': 'network',
  'link.held': 'network',
  'link.released': 'network',
  'metric.sampled': 'metric',
  'invariant.violated': 'invariant',
  'invariant.passed': 'invariant',
  'command.applied': 'command',
  'fault.injected': 'command',
  'param.changed': 'command',
  'note.added': 'note',
};

/** The kinds in display order, with their checkbox labels. */
export const eventKinds: readonly { readonly kind: EventKind; readonly label: string }[] = [
  { kind: 'message', label: 'Messages' },
  { kind: 'timer', label: 'Timers' },
  { kind: 'node', label: 'Nodes' },
  { kind: 'network', label: 'Network and links' },
  { kind: 'metric', label: 'Metric samples' },
  { kind: 'invariant', label: 'Invariants' },
  { kind: 'command', label: 'Commands, faults, params' },
  { kind: 'note', label: 'Notes' },
];

/**
 * Shown unless the person asks for them: everything but metric samples. Samples arrive on a fixed
 * clock whatever happens, are already drawn in the metric charts, and would otherwise take a
 * large share of the rows between the events that tell the story (sends, timeouts, crashes).
 */
export const defaultEventKinds: ReadonlySet<EventKind> = new Set(
  eventKinds.map((entry) => entry.kind).filter((kind) => kind !== 'metric'),
);

export interface EventFilter {
  /** Only events at or with this node (by index); null for every node. */
  readonly node: number | null;
  readonly kinds: ReadonlySet<EventKind>;
  /** Only events after `fromUs` up to and including `toUs` (simulated µs); absent: any time. */
  readonly window?: { readonly fromUs: number; readonly toUs: number };
}

export function matchesFilter(event: TraceEvent, filter: EventFilter): boolean {
  if (!filter.kinds.has(eventKindOfType[event.type])) return false;
  const { window } = filter;
  if (window !== undefined && (event.timeUs <= window.fromUs || event.timeUs > window.toUs))
    return false;
  return filter.node === null || event.node === filter.node || event.peer === filter.node;
}

/** The events that pass `filter`, oldest first (the same array when nothing is filtered out). */
export function filterEvents(
  events: readonly TraceEvent[],
  filter: EventFilter,
): readonly TraceEvent[] {
  const isAllKinds = eventKinds.every((entry) => filter.kinds.has(entry.kind));
  if (isAllKinds && filter.node === null && filter.window === undefined) return events;
  return events.filter((event) => matchesFilter(event, filter));
}

/** Simulated time in milliseconds with microseconds: "1234.567". */
export function eventTimeText(timeUs: number): string {
  return (timeUs / 1000).toFixed(3);
}

function idOf(index: number, nodeIds: readonly string[]): string {
  return nodeIds[index] ?? `#${index}`;
}

/**
 * Who an event involves, reading in the message's direction: the sender's events show
 * "n1 → n2", the receiver's "n2 ← n1". A drop can be either side's, so it shows "n1 · n2".
 */
export function eventPartiesText(event: TraceEvent, nodeIds: readonly string[]): string {
  if (event.node < 0) return '';
  const node = idOf(event.node, nodeIds);
  if (event.peer < 0) return node;
  const peer = idOf(event.peer, nodeIds);
  if (event.type === 'message.delivered' || event.type === 'message.held') {
    return `${node} ← ${peer}`;
  }
  if (event.type === 'message.dropped') return `${node} · ${peer}`;
  return `${node} → ${peer}`;
}

type DetailFormatter = (event: TraceEvent) => string;

/** Types whose `value` means something worth showing; the others show their label. */
const detailFormatters: Partial<Record<TraceEventType, DetailFormatter>> = {
  'message.dropped': ({ label, value }) => `${label} (${dropReasons[value] ?? 'dropped'})`,
  'metric.sampled': ({ label, value }) => `${label} = ${trimmedNumber(value)}`,
  'node.paused': ({ value }) => (value >= 0 ? `for ${trimmedNumber(value)} ms` : 'until resumed'),
  'node.skewed': ({ value }) => `clock offset ${trimmedNumber(value / 1000)} ms`,
  'link.changed': ({ value }) => `loss ${percentText(value)}`,
  'link.held': ({ value }) => waitingText(value),
  'link.released': ({ value }) => waitingText(value),
  'param.changed': ({ label, value }) => `${label} = ${trimmedNumber(value)}`,
  'node.state': ({ label }) => nodeStateText(label),
};

/** A node summary as traced ("leader|term 4|ok") in words: "leader, term 4 (health ok)". */
function nodeStateText(label: string): string {
  const [role = '', badge = '', health = ''] = label.split('|');
  const head = [role, badge].filter((part) => part !== '').join(', ');
  return health === '' ? head : `${head} (health ${health})`;
}

function waitingText(count: number): string {
  return count > 0 ? `${count} message${count === 1 ? '' : 's'} waiting` : '';
}

/** The row's text after the type: the label plus what `value` means for this type. */
export function eventDetailText(event: TraceEvent): string {
  const format = detailFormatters[event.type];
  return format === undefined ? event.label : format(event);
}
