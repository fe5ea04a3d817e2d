import { dropReasons, type DropReason, type TraceEvent } from '../../engine/trace.ts';
import { inFlightStride } from '../../worker/protocol.ts';

/**
 * The space-time diagram's reading of the trace: every message the kept events mention, as one
 * record from its send to its delivery, drop or the present (a drop is drawn at its trip's end),
 * and the marks that belong on a node's lane (crashes, restarts, pauses, faults, held messages)
 * or across every lane (partitions, heals).
 * Pure: events in, plain data out, so it can be tested without a canvas.
 */

/** How a message's trip ended, as of the time shown. */
export type MessageOutcome = 'delivered' | 'dropped' | 'in-flight';

/** One message from send to its end. Times are simulated microseconds. */
export interface MessageTrip {
  readonly id: number;
  readonly type: string;
  readonly from: number;
  readonly to: number;
  /** When it was sent; for a trip whose send is older than the kept events, `historyStartUs`. */
  readonly sentUs: number;
  /** False when the send fell out of the kept events, so `sentUs` is only the history's edge. */
  readonly isSendKnown: boolean;
  /** When it was due at the receiver (-1 when lost at the sender or unknown). */
  readonly dueUs: number;
  /** Delivery or drop time; for a message in flight, the time shown. */
  readonly endUs: number;
  readonly outcome: MessageOutcome;
  readonly dropReason: DropReason | null;
  /** A copy made by a duplicating link (it has its own id). */
  readonly isDuplicate: boolean;
  /** Held at a held link before it was delivered, dropped or released. */
  readonly wasHeld: boolean;
}

/** A point on one lane (`node` ≥ 0) or across every lane (`node` = -1). */
export interface LaneMark {
  readonly kind:
    'crashed' | 'restarted' | 'paused' | 'resumed' | 'held' | 'fault' | 'partitioned' | 'healed';
  readonly node: number;
  readonly timeUs: number;
  /** What a tooltip or summary says beyond the kind (fault name, partition groups). */
  readonly label: string;
}

/** A stretch of time in which a node was down or paused, drawn as a shaded lane. */
export interface LaneSpan {
  readonly kind: 'down' | 'paused';
  readonly node: number;
  readonly startUs: number;
  readonly endUs: number;
}

/** Everything the diagram draws, over the whole kept history (not yet windowed). */
export interface Chronicle {
  /** Messages ordered by send time (then id). */
  readonly trips: readonly MessageTrip[];
  /** Marks in time order. */
  readonly marks: readonly LaneMark[];
  readonly spans: readonly LaneSpan[];
  /** Time of the oldest kept event: nothing older is known. */
  readonly historyStartUs: number;
  readonly nowUs: number;
}

/** What the chronicle is built from besides the events. */
export interface ChronicleInput {
  readonly events: readonly TraceEvent[];
  /** The time shown: later events are ignored, unfinished trips end here. */
  readonly nowUs: number;
  /** Lanes: events naming a node outside 0…nodeCount-1 are ignored. */
  readonly nodeCount: number;
  /** A frame's in-flight records ([id, from, to, sentUs, dueUs] each) and their types. */
  readonly inFlight?: Float64Array;
  readonly inFlightTypes?: readonly string[];
}

interface OpenTrip {
  id: number;
  type: string;
  from: number;
  to: number;
  sentUs: number;
  isSendKnown: boolean;
  dueUs: number;
  endUs: number;
  outcome: MessageOutcome;
  dropReason: DropReason | null;
  isDuplicate: boolean;
  wasHeld: boolean;
}

/** Builds the chronicle in one pass over the events (oldest first, as the store keeps them). */
export function buildChronicle(input: ChronicleInput): Chronicle {
  const { events, nowUs, nodeCount } = input;
  const historyStartUs = Math.min(events[0]?.timeUs ?? nowUs, nowUs);
  const trips = new Map<number, OpenTrip>();
  const marks: LaneMark[] = [];
  const spans = new SpanTracker(historyStartUs);
  const isLane = (node: number): boolean => node >= 0 && node < nodeCount;
  for (const event of events) {
    if (event.timeUs > nowUs) break;
    switch (event.type) {
      case 'message.sent':
      case 'message.duplicated':
        if (isLane(event.node) && isLane(event.peer)) trips.set(event.messageId, sentTrip(event));
        break;
      case 'message.delivered':
      case 'message.dropped':
      case 'message.held':
        if (isLane(event.node) && isLane(event.peer)) {
          endTrip(trips, event, historyStartUs, marks);
        }
        break;
      case 'node.crashed':
      case 'node.restarted':
      case 'node.paused':
      case 'node.resumed':
        if (isLane(event.node)) {
          marks.push(nodeMark(event));
          spans.note(event);
        }
        break;
      case 'fault.injected':
        if (isLane(event.node)) {
          marks.push({ kind: 'fault', node: event.node, timeUs: event.timeUs, label: event.label });
        }
        break;
      case 'net.partitioned':
      case 'net.healed':
        marks.push({
          kind: event.type === 'net.healed' ? 'healed' : 'partitioned',
          node: -1,
          timeUs: event.timeUs,
          label: event.label,
        });
        break;
      case 'timer.fired':
      case 'node.state':
      case 'node.skewed':
      case 'link.changed':
      case 'link.held':
      case 'link.released':
      case 'metric.sampled':
      case 'invariant.violated':
      case 'invariant.passed':
      case 'command.applied':
      case 'note.added':
      case 'param.changed':
        // Not drawn: they happen inside a node or to the run, not between nodes over time.
        break;
      default:
        event.type satisfies never;
    }
  }
  addInFlight(trips, input, historyStartUs);
  const list = [...trips.values()].map((trip) => finishTrip(trip, nowUs));
  list.sort((a, b) => a.sentUs - b.sentUs || a.id - b.id);
  return { trips: list, marks, spans: spans.finish(nowUs), historyStartUs, nowUs };
}

function sentTrip(event: TraceEvent): OpenTrip {
  const isLostAtSender = event.value < 0;
  return {
    id: event.messageId,
    type: event.label,
    from: event.node,
    to: event.peer,
    sentUs: event.timeUs,
    isSendKnown: true,
    dueUs: isLostAtSender ? -1 : event.value,
    endUs: event.timeUs,
    outcome: 'in-flight',
    dropReason: null,
    isDuplicate: event.type === 'message.duplicated',
    wasHeld: false,
  };
}

/**
 * Applies a delivery, drop or hold to its trip. A trip whose send is older than the kept events
 * is started at the history's edge: the receiving side names both ends (`node` is where it
 * happened, `peer` the sender), except for a drop at the sender, which always directly follows
 * its send and so always finds it.
 */
function endTrip(
  trips: Map<number, OpenTrip>,
  event: TraceEvent,
  historyStartUs: number,
  marks: LaneMark[],
): void {
  let trip = trips.get(event.messageId);
  if (trip === undefined) {
    trip = {
      ...sentTrip({ ...event, node: event.peer, peer: event.node, timeUs: historyStartUs }),
      isSendKnown: false,
      dueUs: -1,
    };
    trips.set(event.messageId, trip);
  }
  if (event.type === 'message.held') {
    trip.wasHeld = true;
    marks.push({ kind: 'held', node: event.node, timeUs: event.timeUs, label: event.label });
    return;
  }
  trip.endUs = event.timeUs;
  if (event.type === 'message.delivered') {
    trip.outcome = 'delivered';
    return;
  }
  trip.outcome = 'dropped';
  trip.dropReason = dropReasons[event.value] ?? 'loss';
}

/** Messages the frame says are in flight but whose send is older than the kept events. */
function addInFlight(
  trips: Map<number, OpenTrip>,
  input: ChronicleInput,
  historyStartUs: number,
): void {
  const flight = input.inFlight;
  if (flight === undefined) return;
  for (let at = 0, i = 0; at + inFlightStride <= flight.length; at += inFlightStride, i++) {
    const id = flight[at] as number;
    const from = flight[at + 1] as number;
    const to = flight[at + 2] as number;
    if (trips.has(id) || from < 0 || to < 0 || from >= input.nodeCount || to >= input.nodeCount) {
      continue;
    }
    const sentUs = flight[at + 3] as number;
    trips.set(id, {
      id,
      type: input.inFlightTypes?.[i] ?? '',
      from,
      to,
      sentUs: Math.max(sentUs, historyStartUs),
      isSendKnown: sentUs >= historyStartUs,
      dueUs: flight[at + 4] as number,
      endUs: input.nowUs,
      outcome: 'in-flight',
      dropReason: null,
      isDuplicate: false,
      wasHeld: false,
    });
  }
}

function finishTrip(trip: OpenTrip, nowUs: number): MessageTrip {
  return trip.outcome === 'in-flight' ? { ...trip, endUs: nowUs } : { ...trip };
}

function nodeMark(event: TraceEvent): LaneMark {
  const kind =
    event.type === 'node.crashed'
      ? 'crashed'
      : event.type === 'node.restarted'
        ? 'restarted'
        : event.type === 'node.paused'
          ? 'paused'
          : 'resumed';
  return { kind, node: event.node, timeUs: event.timeUs, label: '' };
}

/**
 * Turns crash/restart and pause/resume pairs into spans. A restart or resume with no kept start
 * opens its span at the history's edge; a span still open at the end runs to the time shown.
 */
class SpanTracker {
  private readonly historyStartUs: number;
  private readonly open = new Map<string, LaneSpan>();
  private readonly closed: LaneSpan[] = [];

  constructor(historyStartUs: number) {
    this.historyStartUs = historyStartUs;
  }

  note(event: TraceEvent): void {
    const isDown = event.type === 'node.crashed' || event.type === 'node.restarted';
    const kind = isDown ? 'down' : 'paused';
    // A crash ends a pause: the paused node's buffered messages are lost with it.
    if (event.type === 'node.crashed') this.close('paused', event.node, event.timeUs, false);
    if (event.type === 'node.crashed' || event.type === 'node.paused') {
      const key = `${kind}:${String(event.node)}`;
      if (!this.open.has(key)) {
        this.open.set(key, { kind, node: event.node, startUs: event.timeUs, endUs: event.timeUs });
      }
      return;
    }
    this.close(kind, event.node, event.timeUs, true);
  }

  /** Closes the node's open span of `kind`; `isEnd` opens one at the edge when none is open. */
  private close(kind: LaneSpan['kind'], node: number, endUs: number, isEnd: boolean): void {
    const key = `${kind}:${String(node)}`;
    const open = this.open.get(key);
    if (open === undefined && !isEnd) return;
    this.open.delete(key);
    this.closed.push({ kind, node, startUs: open?.startUs ?? this.historyStartUs, endUs });
  }

  finish(nowUs: number): LaneSpan[] {
    const spans = [...this.closed];
    for (const span of this.open.values()) spans.push({ ...span, endUs: nowUs });
    return spans.sort((a, b) => a.startUs - b.startUs || a.node - b.node);
  }
}
