import { RollingHash } from './hash.ts';

/**
 * The engine's only source of randomness: sfc32 (Chris Doty-Humphrey's small fast counting
 * generator), split into named streams derived from (seed, name).
 *
 * sfc32 passes PractRand to many terabytes, needs only 32-bit additions, shifts and xors (so it is
 * exact and identical in every engine), and its counter word guarantees a period of at least 2^32
 * from any state. The state lives in an Int32Array so a generator is one small object with no
 * closures, cheap to copy into a checkpoint.
 */

const TWO_26 = 67108864;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
/** 2^-53, exact: scales a 53-bit integer into [0, 1). */
const TWO_NEG_53 = 1 / TWO_53;
/** Outputs discarded after seeding, so nearby seeds have diverged before the first real draw. */
const WARM_UP_DRAWS = 12;
/** A stream-name domain tag, so these seeds differ from any other use of the same hash input. */
const STREAM_DOMAIN = 'distsim/rng-stream/v1';

/** The most named streams one `RngStreams` will create: a runaway name pattern fails loudly. */
export const rngStreamCountMax = 100_000;

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `The seed must be a safe integer (from -(2^53 - 1) to 2^53 - 1); got ${String(seed)}. ` +
        'Pass a whole number such as 42.',
    );
  }
}

/**
 * A seeded sfc32 generator with helpers for the draws the engine needs. Each method documents how
 * many 32-bit words it consumes, because replays depend on the exact sequence of draws.
 */
export class Rng {
  private readonly state = new Int32Array(4);

  /**
   * A generator starting from the given four-word state (copied).
   *
   * @throws RangeError unless the state holds four 32-bit integers that are not all zero.
   */
  constructor(state: ArrayLike<number>) {
    this.setState(state);
  }

  /** The generator for stream `name` of `seed`, after its warm-up: what `RngStreams` hands out. */
  static fromSeed(seed: number, name = ''): Rng {
    const rng = new Rng(deriveStreamSeed(seed, name));
    for (let i = 0; i < WARM_UP_DRAWS; i++) rng.nextUint32();
    return rng;
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). One word. */
  nextUint32(): number {
    const s = this.state;
    const a = s[0] as number;
    const b = s[1] as number;
    const c = s[2] as number;
    const d = s[3] as number;
    const t = (((a + b) | 0) + d) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    s[3] = (d + 1) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, 2^53) from the top 27 and 26 bits of two words. */
  private next53(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return high * TWO_26 + low;
  }

  /** A uniform float in [0, 1) on the grid of multiples of 2^-53. Two words. */
  float(): number {
    return this.next53() * TWO_NEG_53;
  }

  /** A uniform float in (0, 1] on the grid of multiples of 2^-53, safe to take a log of. Two words. */
  floatOpen(): number {
    return (this.next53() + 1) * TWO_NEG_53;
  }

  /**
   * A uniform integer in [0, maxExclusive), without modulo bias: draws beyond the largest multiple
   * of `maxExclusive` are rejected and redrawn. One word per attempt up to 2^32, two beyond; a
   * power of two never needs a retry and any bound needs fewer than two attempts on average.
   *
   * @throws RangeError unless maxExclusive is a safe integer ≥ 1.
   */
  int(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive < 1) {
      throw new RangeError(
        `Rng.int: maxExclusive must be a safe integer ≥ 1; got ${String(maxExclusive)}.`,
      );
    }
    if (maxExclusive <= TWO_32) {
      const limit = TWO_32 - (TWO_32 % maxExclusive);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % maxExclusive;
      }
    }
    const limit = TWO_53 - (TWO_53 % maxExclusive);
    for (;;) {
      const x = this.next53();
      if (x < limit) return x % maxExclusive;
    }
  }

  /**
   * A uniform integer in [min, maxInclusive] (see `int` for the words consumed).
   *
   * @throws RangeError unless both are safe integers, min ≤ maxInclusive, and the range holds
   * fewer than 2^53 values.
   */
  intBetween(min: number, maxInclusive: number): number {
    const span = maxInclusive - min + 1;
    if (
      !Number.isSafeInteger(min) ||
      !Number.isSafeInteger(maxInclusive) ||
      min > maxInclusive ||
      !Number.isSafeInteger(span)
    ) {
      throw new RangeError(
        `Rng.intBetween: need safe integers min ≤ maxInclusive spanning fewer than 2^53 values; ` +
          `got ${String(min)} and ${String(maxInclusive)}.`,
      );
    }
    return min + this.int(span);
  }

  /**
   * True with probability p. Always two words, whatever p is, so changing a probability does not
   * shift the later draws of the stream.
   *
   * @throws RangeError unless 0 ≤ p ≤ 1.
   */
  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`Rng.chance: p must be a probability in [0, 1]; got ${String(p)}.`);
    }
    return this.float() < p;
  }

  /**
   * A uniformly chosen element (see `int` for the words consumed).
   *
   * @throws RangeError when the array is empty.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: cannot pick from an empty array.');
    return items[this.int(items.length)] as T;
  }

  /** Shuffles in place by Fisher–Yates (every order equally likely) and returns the array. */
  shuffleInPlace<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }

  /** A copy of the four-word state, for a checkpoint. */
  getState(): Int32Array {
    return this.state.slice();
  }

  /**
   * Continues from a state returned by `getState()` (copied; unsigned words are accepted too).
   *
   * @throws RangeError unless the state holds four 32-bit integers that are not all zero.
   */
  setState(state: ArrayLike<number>): void {
    let isAllZero = true;
    let isValid = state.length === 4;
    for (let i = 0; isValid && i < 4; i++) {
      const word = state[i] as number;
      isValid = Number.isInteger(word) && word >= -0x80000000 && word <= 0xffffffff;
      if (word !== 0) isAllZero = false;
    }
    if (!isValid || isAllZero) {
      throw new RangeError(
        'Rng state must be four 32-bit integers, not all zero: pass a value from getState().',
      );
    }
    for (let i = 0; i < 4; i++) this.state[i] = state[i] as number;
  }
}

/**
 * The four-word generator state for stream `name` of `seed`: both are hashed together, so every
 * (seed, name) pair gets its own unrelated sequence. Never all zero.
 *
 * @throws RangeError unless seed is a safe integer.
 */
export function deriveStreamSeed(seed: number, name: string): Int32Array {
  checkSeed(seed);
  const hash = new RollingHash().mixString(STREAM_DOMAIN).mixNumber(seed).mixString(name);
  const [w0, w1] = hash.digest();
  const [w2, w3] = hash.mixInt32(1).digest();
  const words = Int32Array.of(w0, w1, w2, w3);
  // All zero has probability 2^-128, but the guarantee should not depend on luck.
  if ((w0 | w1 | w2 | w3) === 0) words[0] = 0x9e3779b9 | 0;
  return words;
}

/** The streams at one moment: names in creation order and their states, four words each. */
export interface RngStreamsSnapshot {
  readonly names: readonly string[];
  readonly states: Int32Array;
}

/**
 * The run's named random streams: one per link, per node, for the workload, for faults
 * (ARCHITECTURE.md). A stream's draws depend only on (seed, name), never on which other streams
 * exist, in what order they were created, or how much they were drawn from; so a fault added in
 * one place does not shift every other random draw.
 */
export class RngStreams {
  /** The run's seed. */
  readonly seed: number;
  private readonly streams = new Map<string, Rng>();
  /** The stream names in creation order as the last snapshot listed them. */
  private names: readonly string[] | null = null;
  /** '' for the run's own draws; after `redraw(salt)`, what tells the new draws apart. */
  private redrawn = '';

  /** @throws RangeError unless seed is a safe integer. */
  constructor(seed: number) {
    checkSeed(seed);
    this.seed = seed;
  }

  /**
   * The stream called `name`, created on first use and the same object afterwards.
   *
   * @throws RangeError when more than `rngStreamCountMax` streams would exist.
   */
  get(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      if (this.streams.size >= rngStreamCountMax) {
        throw new RangeError(
          `Too many random streams (more than ${rngStreamCountMax}) while creating "${name}": ` +
            'name streams per link, node or role, not per message.',
        );
      }
      rng = Rng.fromSeed(this.seed, name + this.redrawn);
      this.streams.set(name, rng);
    }
    return rng;
  }

  /**
   * Draws everything from here on afresh: every stream, existing and future, continues from the
   * state stream `name` would have under the salt instead of where it was. Same salt, same new
   * draws. Stream objects are kept, so nodes and links holding them draw afresh too. This is
   * for forks that ask "what if the dice had fallen otherwise from now on" (inevitable.ts); a
   * run description cannot say it, so a checkpoint does not keep it and `restore` undoes it.
   *
   * @throws RangeError unless salt is a safe integer.
   */
  redraw(salt: number): void {
    checkSeed(salt);
    this.redrawn = `#redraw:${String(salt)}`;
    for (const [name, rng] of this.streams) {
      rng.setState(Rng.fromSeed(this.seed, name + this.redrawn).getState());
    }
  }

  /**
   * Every created stream's name and state, in creation order, for a checkpoint: the names (the
   * same array object from one snapshot to the next while no stream is created, so checkpoints
   * share it) and every state packed in one Int32Array, four words per stream. A run with
   * thousands of links has thousands of streams; one small typed array each cost checkpoints
   * megabytes.
   */
  snapshot(): RngStreamsSnapshot {
    if (this.names === null || this.names.length !== this.streams.size) {
      this.names = [...this.streams.keys()];
    }
    const states = new Int32Array(this.streams.size * 4);
    let offset = 0;
    for (const rng of this.streams.values()) {
      states.set(rng.getState(), offset);
      offset += 4;
    }
    return { names: this.names, states };
  }

  /**
   * Returns every stream to the state recorded by `snapshot()` (of a `RngStreams` with the same
   * seed). Stream objects are kept, so references held by nodes and links stay live; a stream
   * the snapshot does not list did not exist then, so it goes back to its initial state.
   *
   * @throws RangeError when an entry's state is invalid (see `Rng.setState`).
   */
  restore(snapshot: RngStreamsSnapshot): void {
    const previous = new Map(this.streams);
    this.streams.clear();
    this.names = null;
    this.redrawn = '';
    snapshot.names.forEach((name, index) => {
      const state = snapshot.states.subarray(index * 4, index * 4 + 4);
      const rng = previous.get(name) ?? new Rng(state);
      rng.setState(state);
      this.streams.set(name, rng);
      previous.delete(name);
    });
    for (const [name, rng] of previous) {
      rng.setState(Rng.fromSeed(this.seed, name).getState());
      this.streams.set(name, rng);
    }
  }
}
