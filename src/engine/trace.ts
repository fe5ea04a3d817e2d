import { RollingHash } from './hash.ts';

/**
 * Trace event types, dotted `domain.verb`. The numeric code is the index in this list; it is
 * part of the canonical encoding, so append new types at the end and never reorder.
 */
export const traceEventTypes = [
  'message.sent',
  'message.delivered',
  'message.dropped',
  'message.duplicated',
  'timer.fired',
  'node.crashed',
  'node.restarted',
  'node.paused',
  'node.resumed',
  'node.state',
  'node.skewed',
  'net.partitioned',
  'net.healed',
  'link.changed',
  'link.held',
  'link.released',
  'metric.sampled',
  'invariant.violated',
  'invariant.passed',
  'command.applied',
  'note.added',
  'fault.injected',
  'param.changed',
  'message.held',
] as const;

export type TraceEventType = (typeof traceEventTypes)[number];

/** Numeric codes by name, for the hot path. */
export const TraceCode = Object.fromEntries(traceEventTypes.map((name, code) => [name, code])) as {
  readonly [K in TraceEventType]: number;
};

/** Why a message did not arrive (the `value` of a `message.dropped` event). */
export const dropReasons = ['loss', 'partition', 'node-down', 'link-held-reset'] as const;
export type DropReason = (typeof dropReasons)[number];

/** Drop reason codes by name (the index in `dropReasons`). */
export const DropCode = { loss: 0, partition: 1, nodeDown: 2 } as const;

/**
 * One trace event as plain data. Field meaning by type: `node` is where it happened, `peer` the
 * other end (receiver of a send, sender of a delivery), `messageId` ties sends to deliveries,
 * `label` is the message type, timer name, metric name, invariant id or state text, and `value`
 * carries the delivery time of a send, a drop reason code, a metric value and so on.
 */
export interface TraceEvent {
  readonly index: number;
  readonly timeUs: number;
  readonly type: TraceEventType;
  readonly node: number;
  readonly peer: number;
  readonly messageId: number;
  readonly label: string;
  readonly value: number;
}

/**
 * The run's trace: a rolling hash over the canonical encoding of every event ever recorded, and
 * a capped window of the most recent events (kept as parallel typed arrays, so recording
 * allocates nothing but the label reference).
 */
export class Trace {
  private readonly hash: RollingHash;
  private readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private readonly codes: Uint8Array;
  private readonly nodes: Int32Array;
  private readonly peers: Int32Array;
  private readonly messageIds: Float64Array;
  private readonly labels: string[];
  private total = 0;

  /** @param windowMax events kept for inspection; older ones remain only in the hash. */
  constructor(windowMax: number, hash: RollingHash = new RollingHash()) {
    this.capacity = Math.max(1, windowMax | 0);
    this.hash = hash;
    this.times = new Float64Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.codes = new Uint8Array(this.capacity);
    this.nodes = new Int32Array(this.capacity);
    this.peers = new Int32Array(this.capacity);
    this.messageIds = new Float64Array(this.capacity);
    this.labels = new Array<string>(this.capacity).fill('');
  }

  /** Events recorded since the run began (the hash covers all of them). */
  get count(): number {
    return this.total;
  }

  /** Size of the kept window. */
  get windowMax(): number {
    return this.capacity;
  }

  /** The run's fingerprint: 16 hex digits over every event so far. */
  get hashHex(): string {
    return this.hash.hex();
  }

  /** Records one event into the window and the hash. */
  record(
    timeUs: number,
    code: number,
    node: number,
    peer: number,
    messageId: number,
    label: string,
    value: number,
  ): void {
    // Canonical encoding, kept to a few words per event because this runs for every event:
    // (code, node, peer, value-is-int flag) in one word, time as two exact 32-bit halves, the
    // message id, a content hash of the label, and the value (one word when it is an int32).
    const hash = this.hash;
    const isIntValue = (value | 0) === value && !Object.is(value, -0);
    hash.mixInt32(
      code |
        (((node + 1) & 0x3ff) << 8) |
        (((peer + 1) & 0x3ff) << 18) |
        (isIntValue ? 1 << 28 : 0),
    );
    const timeHigh = Math.floor(timeUs / 4294967296);
    hash.mixInt32(timeHigh);
    hash.mixInt32(timeUs - timeHigh * 4294967296);
    hash.mixInt32(messageId);
    hash.mixInt32(labelHash(label));
    if (isIntValue) hash.mixInt32(value);
    else hash.mixNumber(value);
    const at = this.total % this.capacity;
    this.times[at] = timeUs;
    this.codes[at] = code;
    this.nodes[at] = node;
    this.peers[at] = peer;
    this.messageIds[at] = messageId;
    this.labels[at] = label;
    this.values[at] = value;
    this.total++;
  }

  /** Mixes extra content into the hash (e.g. a message payload) without a window entry. */
  mixContent(contentHash: number): void {
    this.hash.mixInt32(contentHash);
  }

  /** Index of the oldest event still in the window. */
  get firstKept(): number {
    return Math.max(0, this.total - this.capacity);
  }

  /** The kept event with absolute index `index`, or undefined when outside the window. */
  get(index: number): TraceEvent | undefined {
    if (index < this.firstKept || index >= this.total) return undefined;
    const at = index % this.capacity;
    return {
      index,
      timeUs: this.times[at] as number,
      type: traceEventTypes[this.codes[at] as number] as TraceEventType,
      node: this.nodes[at] as number,
      peer: this.peers[at] as number,
      messageId: this.messageIds[at] as number,
      label: this.labels[at] as string,
      value: this.values[at] as number,
    };
  }

  /** Kept events with absolute index ≥ `from`, oldest first. */
  since(from: number): TraceEvent[] {
    const events: TraceEvent[] = [];
    for (let index = Math.max(from, this.firstKept); index < this.total; index++) {
      const event = this.get(index);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  /**
   * Packs kept events with index ≥ `from` (at most `limit`) into typed arrays that can be
   * transferred to another thread without copying, plus a label table.
   */
  pack(from: number, limit: number): PackedTrace {
    // Label ids share an int with the type code, so one pack holds at most 65,535 events.
    const start = Math.max(from, this.firstKept, this.total - Math.min(limit, 0xffff));
    const length = Math.max(0, this.total - start);
    const packed: PackedTrace = {
      firstIndex: start,
      times: new Float64Array(length),
      values: new Float64Array(length),
      messageIds: new Float64Array(length),
      ints: new Int32Array(length * 3),
      labels: [],
    };
    const labelIds = new Map<string, number>();
    for (let i = 0; i < length; i++) {
      const at = (start + i) % this.capacity;
      packed.times[i] = this.times[at] as number;
      packed.values[i] = this.values[at] as number;
      packed.messageIds[i] = this.messageIds[at] as number;
      const label = this.labels[at] as string;
      let labelId = labelIds.get(label);
      if (labelId === undefined) {
        labelId = packed.labels.length;
        labelIds.set(label, labelId);
        packed.labels.push(label);
      }
      packed.ints[i * 3] = ((this.codes[at] as number) << 16) | labelId;
      packed.ints[i * 3 + 1] = this.nodes[at] as number;
      packed.ints[i * 3 + 2] = this.peers[at] as number;
    }
    return packed;
  }

  /** The hash state and event count, for a checkpoint (the window is not kept). */
  snapshot(): TraceSnapshot {
    return { hash: this.hash.snapshot(), total: this.total };
  }

  /** A trace continuing from a checkpoint, with an empty window. */
  static restore(snapshot: TraceSnapshot, windowMax: number): Trace {
    const trace = new Trace(windowMax, RollingHash.restore(snapshot.hash));
    trace.total = snapshot.total;
    return trace;
  }
}

/**
 * FNV-1a over a label's UTF-16 code units and length. Labels are short (message types, timer
 * names, state texts), so hashing them directly is cheaper than a memo lookup, which misses on
 * every fresh string (state badges with counters are new strings each time).
 */
function labelHash(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ label.length, 0x01000193);
}

/** Trace events packed for transfer: `ints` holds (code << 16 | label id, node, peer) triples. */
export interface PackedTrace {
  readonly firstIndex: number;
  readonly times: Float64Array;
  readonly values: Float64Array;
  readonly messageIds: Float64Array;
  readonly ints: Int32Array;
  readonly labels: string[];
}

/** Unpacks events packed by `Trace.pack` (the receiving side of a frame). */
export function unpackTrace(packed: PackedTrace): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let i = 0; i < packed.times.length; i++) {
    const head = packed.ints[i * 3] as number;
    events.push({
      index: packed.firstIndex + i,
      timeUs: packed.times[i] as number,
      type: traceEventTypes[head >>> 16] as TraceEventType,
      node: packed.ints[i * 3 + 1] as number,
      peer: packed.ints[i * 3 + 2] as number,
      messageId: packed.messageIds[i] as number,
      label: packed.labels[head & 0xffff] as string,
      value: packed.values[i] as number,
    });
  }
  return events;
}

export interface TraceSnapshot {
  readonly hash: readonly [number, number];
  readonly total: number;
}
