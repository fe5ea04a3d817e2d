/** What a queued event is. */
export const EventKind = {
  free: 0,
  delivery: 1,
  timer: 2,
  resume: 3,
  tick: 4,
} as const;

/**
 * Payloads of queued events, in slot-indexed typed arrays with a free list, so scheduling an
 * event reuses memory instead of allocating a record (the queue holds only slot numbers).
 */
export class EventPool {
  kinds: Uint8Array;
  targets: Int32Array;
  sources: Int32Array;
  /** Message id of a delivery, token of a timer. */
  ids: Float64Array;
  sentUs: Float64Array;
  dueUs: Float64Array;
  /** Message object of a delivery, timer name of a timer. */
  objects: unknown[];
  /** Timer data. */
  data: unknown[];
  private free: number[] = [];
  private used = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity | 0);
    this.kinds = new Uint8Array(capacity);
    this.targets = new Int32Array(capacity);
    this.sources = new Int32Array(capacity);
    this.ids = new Float64Array(capacity);
    this.sentUs = new Float64Array(capacity);
    this.dueUs = new Float64Array(capacity);
    this.objects = new Array<unknown>(capacity).fill(undefined);
    this.data = new Array<unknown>(capacity).fill(undefined);
  }

  /** Slots in use. */
  get liveCount(): number {
    return this.used - this.free.length;
  }

  /** Highest slot number ever handed out, plus one. */
  get highWater(): number {
    return this.used;
  }

  alloc(kind: number, target: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.kinds.length) this.grow();
      slot = this.used++;
    }
    this.kinds[slot] = kind;
    this.targets[slot] = target;
    return slot;
  }

  release(slot: number): void {
    this.kinds[slot] = EventKind.free;
    this.objects[slot] = undefined;
    this.data[slot] = undefined;
    this.free.push(slot);
  }

  private grow(): void {
    const capacity = this.kinds.length * 2;
    const growTyped = <T extends Uint8Array | Int32Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.kinds = growTyped(this.kinds, (n) => new Uint8Array(n));
    this.targets = growTyped(this.targets, (n) => new Int32Array(n));
    this.sources = growTyped(this.sources, (n) => new Int32Array(n));
    this.ids = growTyped(this.ids, (n) => new Float64Array(n));
    this.sentUs = growTyped(this.sentUs, (n) => new Float64Array(n));
    this.dueUs = growTyped(this.dueUs, (n) => new Float64Array(n));
    this.objects.length = capacity;
    this.objects.fill(undefined, this.used);
    this.data.length = capacity;
    this.data.fill(undefined, this.used);
  }

  /** A copy for a checkpoint (message objects are immutable, so they are shared). */
  snapshot(): EventPoolSnapshot {
    return {
      kinds: this.kinds.slice(0, this.used),
      targets: this.targets.slice(0, this.used),
      sources: this.sources.slice(0, this.used),
      ids: this.ids.slice(0, this.used),
      sentUs: this.sentUs.slice(0, this.used),
      dueUs: this.dueUs.slice(0, this.used),
      objects: this.objects.slice(0, this.used),
      data: this.data.slice(0, this.used),
      free: this.free.slice(),
    };
  }

  static restore(snapshot: EventPoolSnapshot): EventPool {
    const pool = new EventPool(snapshot.kinds.length * 2);
    pool.kinds.set(snapshot.kinds);
    pool.targets.set(snapshot.targets);
    pool.sources.set(snapshot.sources);
    pool.ids.set(snapshot.ids);
    pool.sentUs.set(snapshot.sentUs);
    pool.dueUs.set(snapshot.dueUs);
    for (let i = 0; i < snapshot.objects.length; i++) {
      pool.objects[i] = snapshot.objects[i];
      pool.data[i] = snapshot.data[i];
    }
    pool.free = snapshot.free.slice();
    pool.used = snapshot.kinds.length;
    return pool;
  }
}

export interface EventPoolSnapshot {
  readonly kinds: Uint8Array;
  readonly targets: Int32Array;
  readonly sources: Int32Array;
  readonly ids: Float64Array;
  readonly sentUs: Float64Array;
  readonly dueUs: Float64Array;
  readonly objects: unknown[];
  readonly data: unknown[];
  readonly free: number[];
}
