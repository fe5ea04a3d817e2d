/**
 * The engine's event queue: a binary min-heap ordered by (time, insertion sequence), kept in
 * parallel typed arrays so that scheduling allocates nothing per event and ties are total.
 *
 * Each entry carries an integer `slot`: the simulation keeps the event's payload in its own
 * slot-indexed pool (also typed arrays), so the heap itself only moves numbers around.
 */
export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private slots: Int32Array;
  private count = 0;
  private nextSeq = 0;

  /** @param initialCapacity entries preallocated; the arrays double when full. */
  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity | 0);
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  /** Number of pending entries. */
  get size(): number {
    return this.count;
  }

  /** The sequence number the next push will get (checkpoints save it). */
  get sequence(): number {
    return this.nextSeq;
  }

  /** Adds an entry at `timeUs` and returns its sequence number. */
  push(timeUs: number, slot: number): number {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    // Sift up: move parents down until the new key's place is found.
    let index = this.count++;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < timeUs || (parentTime === timeUs && (seqs[parent] as number) < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      slots[index] = slots[parent] as number;
      index = parent;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    slots[index] = slot;
    return seq;
  }

  /** Time of the earliest entry, or Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Infinity : (this.times[0] as number);
  }

  /** Slot of the earliest entry, or -1 when empty. */
  peekSlot(): number {
    return this.count === 0 ? -1 : (this.slots[0] as number);
  }

  /**
   * Removes the earliest entry and returns its slot (-1 when empty). Read `peekTime()` first if
   * the time is needed.
   */
  pop(): number {
    if (this.count === 0) return -1;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const top = slots[0] as number;
    const last = --this.count;
    if (last === 0) return top;
    const time = times[last] as number;
    const seq = seqs[last] as number;
    const slot = slots[last] as number;
    // Sift down the former last entry from the root.
    let index = 0;
    const half = last >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      let childTime = times[child] as number;
      let childSeq = seqs[child] as number;
      const right = child + 1;
      if (right < last) {
        const rightTime = times[right] as number;
        const rightSeq = seqs[right] as number;
        if (rightTime < childTime || (rightTime === childTime && rightSeq < childSeq)) {
          child = right;
          childTime = rightTime;
          childSeq = rightSeq;
        }
      }
      if (time < childTime || (time === childTime && seq < childSeq)) break;
      times[index] = childTime;
      seqs[index] = childSeq;
      slots[index] = slots[child] as number;
      index = child;
    }
    times[index] = time;
    seqs[index] = seq;
    slots[index] = slot;
    return top;
  }

  /** Removes every entry (sequence numbering continues). */
  clear(): void {
    this.count = 0;
  }

  /** A copy of the queue's contents for a checkpoint. */
  snapshot(): QueueSnapshot {
    return {
      times: this.times.slice(0, this.count),
      seqs: this.seqs.slice(0, this.count),
      slots: this.slots.slice(0, this.count),
      nextSeq: this.nextSeq,
    };
  }

  /** Rebuilds a queue from a checkpoint; the heap layout is restored exactly. */
  static restore(snapshot: QueueSnapshot): EventQueue {
    const queue = new EventQueue(snapshot.times.length * 2);
    queue.times.set(snapshot.times);
    queue.seqs.set(snapshot.seqs);
    queue.slots.set(snapshot.slots);
    queue.count = snapshot.times.length;
    queue.nextSeq = snapshot.nextSeq;
    return queue;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const slots = new Int32Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    slots.set(this.slots);
    this.times = times;
    this.seqs = seqs;
    this.slots = slots;
  }
}

/** The queue's state inside a checkpoint. */
export interface QueueSnapshot {
  readonly times: Float64Array;
  readonly seqs: Float64Array;
  readonly slots: Int32Array;
  readonly nextSeq: number;
}
