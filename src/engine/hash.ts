/**
 * A 64-bit rolling hash built from 32-bit integer operations only (`Math.imul`, shifts, xor), so
 * it gives the same digest in every engine. The trace hash, the run's fingerprint, is one of
 * these fed with the canonical encoding of every trace event (ARCHITECTURE.md).
 *
 * It is a fingerprint against accidental divergence, not a cryptographic hash: anyone who wants
 * to can construct collisions.
 */

// Two lanes of 32 bits; each input word is absorbed into both with different multipliers and
// rotations, and the lanes feed each other so that the 64 bits do not behave as two independent
// 32-bit hashes that could be collided one at a time.
const LANE_A_START = 0x6a09e667;
const LANE_B_START = 0xbb67ae85 | 0;
const WORD_MULTIPLIER_A1 = 0xcc9e2d51 | 0;
const WORD_MULTIPLIER_A2 = 0x1b873593;
const WORD_MULTIPLIER_B1 = 0x85ebca6b | 0;
const WORD_MULTIPLIER_B2 = 0xc2b2ae35 | 0;
const LANE_ADD_A = 0x561ccd1b;
const LANE_ADD_B = 0x0bcaa747;

// Tags in front of a number's words keep the integer and float encodings apart: without them
// the integer 2^32 (words 1, 0) and the float 2^-1074 (words 1, 0) would hash alike.
const TAG_INTEGER = 0x1d;
const TAG_FLOAT = 0x2e;
const TWO_32 = 4294967296;

// A float64's bits through a shared view; the word order is detected once.
const bitsFloat = new Float64Array(1);
const bitsWords = new Int32Array(bitsFloat.buffer);
bitsFloat[0] = 1;
const HI = bitsWords[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** The murmur3-style avalanche: every input bit affects every output bit. */
function avalanche(value: number): number {
  let h = value ^ (value >>> 16);
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b | 0);
  return h ^ (h >>> 16);
}

function toHex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * An incremental, order-sensitive 64-bit hash over 32-bit words, numbers and strings.
 *
 * Its whole state is two 32-bit lanes, so `snapshot()` and `restore()` continue a hash exactly
 * (checkpoints keep the trace hash this way).
 */
export class RollingHash {
  private laneA: number;
  private laneB: number;

  /** A fresh hash; every fresh hash starts from the same state. */
  constructor() {
    this.laneA = LANE_A_START;
    this.laneB = LANE_B_START;
  }

  /** Absorbs one 32-bit word (`n` is taken modulo 2^32, as `n | 0` does). */
  mixInt32(n: number): this {
    const word = n | 0;
    let a = this.laneA;
    let b = this.laneB;
    a ^= Math.imul(rotateLeft(Math.imul(word, WORD_MULTIPLIER_A1), 15), WORD_MULTIPLIER_A2);
    a = (Math.imul(rotateLeft(a, 13), 5) + LANE_ADD_A) | 0;
    b ^= Math.imul(rotateLeft(Math.imul(word, WORD_MULTIPLIER_B1), 17), WORD_MULTIPLIER_B2);
    b = (rotateLeft(b, 11) + a) | 0;
    b = (Math.imul(b, 5) + LANE_ADD_B) | 0;
    a = (a + b) | 0;
    this.laneA = a;
    this.laneB = b;
    return this;
  }

  /**
   * Absorbs a number canonically: integers in the safe range by their exact high and low 32-bit
   * halves (so 3 hashes the same however it was computed), everything else by its float64 bits,
   * with −0 hashed as 0 and every NaN as the one canonical NaN.
   */
  mixNumber(x: number): this {
    if (Number.isSafeInteger(x)) {
      const high = Math.floor(x / TWO_32);
      // x − high·2^32 is exact and lies in [0, 2^32); `+ 0` turns −0 into 0 before the `| 0`.
      const low = x - high * TWO_32 + 0;
      return this.mixInt32(TAG_INTEGER).mixInt32(high).mixInt32(low);
    }
    if (x === x) {
      bitsFloat[0] = x;
    } else {
      // NaN payloads may differ between engines and operations; hash the canonical quiet NaN.
      bitsWords[HI] = 0x7ff80000;
      bitsWords[LO] = 0;
    }
    const high = bitsWords[HI] as number;
    const low = bitsWords[LO] as number;
    return this.mixInt32(TAG_FLOAT).mixInt32(high).mixInt32(low);
  }

  /**
   * Absorbs a string as its length and then its UTF-16 code units, two to a word. The length
   * first makes the encoding prefix-free, so ('ab', 'c') and ('a', 'bc') hash differently.
   */
  mixString(s: string): this {
    const length = s.length;
    this.mixInt32(length);
    let i = 0;
    for (; i + 1 < length; i += 2) {
      this.mixInt32(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    }
    if (i < length) this.mixInt32(s.charCodeAt(i));
    return this;
  }

  /**
   * The finalised 64-bit digest as two unsigned 32-bit words, without changing the state (more
   * input may follow).
   */
  digest(): [number, number] {
    let a = (this.laneA + this.laneB) | 0;
    let b = (this.laneB ^ rotateLeft(a, 16)) | 0;
    a = avalanche(a);
    b = avalanche(b);
    a = (a + b) | 0;
    b = (b + a) | 0;
    return [a >>> 0, b >>> 0];
  }

  /** The digest as 16 lowercase hex digits. */
  hex(): string {
    const [a, b] = this.digest();
    return toHex8(a) + toHex8(b);
  }

  /** The raw state (two signed 32-bit lanes), for a checkpoint. */
  snapshot(): [number, number] {
    return [this.laneA, this.laneB];
  }

  /**
   * A hash continuing exactly from a `snapshot()`.
   *
   * @throws RangeError when a lane is not an integer in the signed or unsigned 32-bit range.
   */
  static restore(snapshot: readonly [number, number]): RollingHash {
    const [a, b] = snapshot;
    for (const lane of [a, b]) {
      if (!Number.isInteger(lane) || lane < -0x80000000 || lane > 0xffffffff) {
        throw new RangeError(
          `RollingHash.restore: each lane must be a 32-bit integer; got ${String(lane)}. ` +
            'Pass an array returned by snapshot().',
        );
      }
    }
    const hash = new RollingHash();
    hash.laneA = a | 0;
    hash.laneB = b | 0;
    return hash;
  }
}

/** The 16-hex-digit digest of one string (its `RollingHash.mixString` encoding). */
export function hashString(s: string): string {
  return new RollingHash().mixString(s).hex();
}
