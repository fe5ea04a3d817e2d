import { describe, expect, it } from 'vitest';
import { deriveStreamSeed, Rng, RngStreams, rngStreamCountMax } from './rng.ts';

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextUint32());
}

/** sfc32 written out independently with plain numbers, to check the Int32Array version. */
function referenceSfc32(seedWords: readonly number[], count: number): number[] {
  let [a, b, c, d] = seedWords.map((w) => w >>> 0) as [number, number, number, number];
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = (a + b + d) % 4294967296;
    d = (d + 1) % 4294967296;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + c * 8) % 4294967296;
    c = ((((c << 21) | (c >>> 11)) >>> 0) + t) % 4294967296;
    out.push(t);
  }
  return out;
}

/** Pearson's chi-square statistic of bucket counts against a uniform expectation. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((sum, c) => sum + c, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + ((c - expected) * (c - expected)) / expected, 0);
}

describe('Rng', () => {
  it('produces the pinned first outputs for seed 42, stream "golden"', () => {
    expect(Array.from(deriveStreamSeed(42, 'golden'))).toEqual([
      1391711094, 887460628, 1332299751, -1469595160,
    ]);
    expect(draws(Rng.fromSeed(42, 'golden'), 6)).toEqual([
      3352865692, 4276407562, 2722734928, 3195173437, 3255402482, 2517599348,
    ]);
  });

  it('implements sfc32 exactly', () => {
    for (const seed of [
      [1, 2, 3, 4],
      [-1, -1, -1, -1],
      [0, 0, 0, 1],
      [0x12345678, -0x6789abcd, 0x7fffffff, -0x80000000],
    ]) {
      expect(draws(new Rng(seed), 1000)).toEqual(referenceSfc32(seed, 1000));
    }
  });

  it('reproduces a sequence from the same (seed, name) and differs otherwise', () => {
    const first = draws(Rng.fromSeed(7, 'link:a>b'), 50);
    expect(draws(Rng.fromSeed(7, 'link:a>b'), 50)).toEqual(first);
    expect(draws(Rng.fromSeed(7, 'link:b>a'), 50)).not.toEqual(first);
    expect(draws(Rng.fromSeed(8, 'link:a>b'), 50)).not.toEqual(first);
    expect(draws(Rng.fromSeed(-7, 'link:a>b'), 50)).not.toEqual(first);
  });

  it('gives floats in [0, 1) and open floats in (0, 1] with mean one half', () => {
    const rng = Rng.fromSeed(1, 'float');
    let sum = 0;
    let sumOpen = 0;
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.float();
      const y = rng.floatOpen();
      if (!(x >= 0 && x < 1 && y > 0 && y <= 1)) outOfRange++;
      sum += x;
      sumOpen += y;
    }
    expect(outOfRange).toBe(0);
    // The standard error of the mean is 0.29/sqrt(1e5) ≈ 0.0009.
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumOpen / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('uses all 53 bits of a float', () => {
    const rng = Rng.fromSeed(2, 'bits');
    let lowBitsSeen = 0;
    for (let i = 0; i < 1000; i++) lowBitsSeen |= (rng.float() * 2 ** 53) & 0xf;
    expect(lowBitsSeen).toBe(0xf);
  });

  it('draws integers without bias (chi-square over 10 buckets)', () => {
    const rng = Rng.fromSeed(3, 'int');
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const k = rng.int(10);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    // 9 degrees of freedom: the 0.1% critical value is 27.9.
    expect(chiSquare(counts)).toBeLessThan(27.9);
  });

  it('rejects instead of taking a biased modulo for a bound near 2^32', () => {
    // With a plain modulo, values below 2^30 would be twice as likely as the others.
    const rng = Rng.fromSeed(4, 'int-large');
    const maxExclusive = 3 * 2 ** 30;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const third = Math.floor(rng.int(maxExclusive) / 2 ** 30);
      counts[third] = (counts[third] ?? 0) + 1;
    }
    expect(counts.length).toBe(3); // nothing landed outside [0, maxExclusive)
    // 2 degrees of freedom: the 0.1% critical value is 13.8.
    expect(chiSquare(counts)).toBeLessThan(13.8);
  });

  it('covers bounds beyond 2^32 uniformly', () => {
    const rng = Rng.fromSeed(5, 'int-huge');
    const maxExclusive = 3 * 2 ** 40;
    const counts = [0, 0, 0];
    let nonIntegers = 0;
    for (let i = 0; i < 30_000; i++) {
      const x = rng.int(maxExclusive);
      if (!Number.isSafeInteger(x)) nonIntegers++;
      const third = Math.floor(x / 2 ** 40);
      counts[third] = (counts[third] ?? 0) + 1;
    }
    expect(nonIntegers).toBe(0);
    expect(counts.length).toBe(3); // nothing landed outside [0, maxExclusive)
    expect(chiSquare(counts)).toBeLessThan(13.8);
    expect(rng.int(1)).toBe(0);
    expect(rng.int(Number.MAX_SAFE_INTEGER)).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('validates integer bounds', () => {
    const rng = Rng.fromSeed(6);
    for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => rng.int(bad)).toThrow(RangeError);
    }
    expect(() => rng.intBetween(5, 4)).toThrow(RangeError);
    expect(() => rng.intBetween(0.5, 4)).toThrow(RangeError);
    expect(() => rng.intBetween(-(2 ** 52), 2 ** 52)).toThrow(/fewer than 2\^53/);
  });

  it('draws intBetween over the whole inclusive range', () => {
    const rng = Rng.fromSeed(7, 'between');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = rng.intBetween(-3, 3);
      expect(x >= -3 && x <= 3).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(rng.intBetween(9, 9)).toBe(9);
  });

  it('gives chance(p) the right frequency and always consumes two words', () => {
    const rng = Rng.fromSeed(8, 'chance');
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.3)) hits++;
    // Standard error sqrt(0.21/1e5) ≈ 0.00145.
    expect(Math.abs(hits / 100_000 - 0.3)).toBeLessThan(0.0075);
    for (let i = 0; i < 1000; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
    const a = Rng.fromSeed(9);
    const b = Rng.fromSeed(9);
    a.chance(0);
    b.float();
    expect(a.getState()).toEqual(b.getState());
    for (const bad of [-0.1, 1.1, NaN]) expect(() => rng.chance(bad)).toThrow(RangeError);
  });

  it('picks every element and refuses an empty array', () => {
    const rng = Rng.fromSeed(10, 'pick');
    const items = ['a', 'b', 'c', 'd'] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(rng.pick(items));
    expect(seen.size).toBe(4);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('shuffles into every permutation about equally often', () => {
    const rng = Rng.fromSeed(11, 'shuffle');
    const counts = new Map<string, number>();
    const items = [1, 2, 3];
    expect(rng.shuffleInPlace(items)).toBe(items);
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffleInPlace([1, 2, 3]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // 5 degrees of freedom: the 0.1% critical value is 20.5.
    expect(chiSquare([...counts.values()])).toBeLessThan(20.5);
    const big = Array.from({ length: 100 }, (_, i) => i);
    rng.shuffleInPlace(big);
    expect([...big].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('copies its state out and in', () => {
    const rng = Rng.fromSeed(12);
    const state = rng.getState();
    const expected = draws(rng, 10);
    state[0] = 0; // mutating the copy must not matter
    rng.setState(Rng.fromSeed(12).getState());
    expect(draws(rng, 10)).toEqual(expected);
    const unsigned = Array.from(Rng.fromSeed(12).getState(), (w) => w >>> 0);
    expect(draws(new Rng(unsigned), 10)).toEqual(expected);
  });

  it('rejects invalid states', () => {
    expect(() => new Rng([0, 0, 0, 0])).toThrow(/not all zero/);
    expect(() => new Rng([1, 2, 3])).toThrow(RangeError);
    expect(() => new Rng([1, 2, 3, 2 ** 32])).toThrow(RangeError);
    expect(() => new Rng([1, 2, 3, 0.5])).toThrow(RangeError);
  });
});

describe('deriveStreamSeed', () => {
  it('validates the seed with a clear message', () => {
    for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]) {
      expect(() => deriveStreamSeed(bad, 'x')).toThrow(/seed must be a safe integer/);
      expect(() => new RngStreams(bad)).toThrow(RangeError);
    }
    expect(() => deriveStreamSeed(Number.MAX_SAFE_INTEGER, 'x')).not.toThrow();
    expect(() => deriveStreamSeed(-Number.MAX_SAFE_INTEGER, 'x')).not.toThrow();
  });

  it('gives distinct, non-zero states to nearby seeds and names', () => {
    const seen = new Set<string>();
    for (let seed = -50; seed < 50; seed++) {
      for (const name of ['', 'a', 'b', 'node:n1', 'node:n10']) {
        const words = deriveStreamSeed(seed, name);
        expect(words.some((w) => w !== 0)).toBe(true);
        seen.add(Array.from(words).join(','));
      }
    }
    expect(seen.size).toBe(500);
  });
});

describe('RngStreams', () => {
  it('hands out one object per name', () => {
    const streams = new RngStreams(1);
    expect(streams.get('a')).toBe(streams.get('a'));
    expect(streams.get('a')).not.toBe(streams.get('b'));
    expect(streams.seed).toBe(1);
  });

  it('gives a stream draws that depend only on (seed, name)', () => {
    const alone = new RngStreams(99);
    const expected = draws(alone.get('workload'), 100);

    const busy = new RngStreams(99);
    draws(busy.get('faults'), 1000);
    busy.get('link:a>b').float();
    const interleaved: number[] = [];
    const workload = busy.get('workload');
    for (let i = 0; i < 100; i++) {
      interleaved.push(workload.nextUint32());
      busy.get(`node:n${i}`).int(7);
      busy.get('faults').nextUint32();
    }
    expect(interleaved).toEqual(expected);
    expect(draws(Rng.fromSeed(99, 'workload'), 100)).toEqual(expected);
  });

  it('restores every stream from a snapshot, keeping stream objects', () => {
    const streams = new RngStreams(5);
    const a = streams.get('a');
    draws(a, 3);
    draws(streams.get('b'), 4);
    const snapshot = streams.snapshot();
    expect(snapshot.names).toEqual(['a', 'b']);
    expect(snapshot.states).toHaveLength(8);

    const expectedA = draws(a, 10);
    const expectedB = draws(streams.get('b'), 10);
    const expectedC = draws(streams.get('c'), 10);

    streams.restore(snapshot);
    expect(streams.get('a')).toBe(a);
    expect(draws(a, 10)).toEqual(expectedA);
    expect(draws(streams.get('b'), 10)).toEqual(expectedB);
    // 'c' did not exist at the snapshot, so it starts again from its initial state.
    expect(draws(streams.get('c'), 10)).toEqual(expectedC);
  });

  it('restores a snapshot into a fresh instance', () => {
    const streams = new RngStreams(6);
    draws(streams.get('x'), 17);
    const snapshot = streams.snapshot();
    const expected = draws(streams.get('x'), 5);
    const fresh = new RngStreams(6);
    fresh.restore(snapshot);
    expect(draws(fresh.get('x'), 5)).toEqual(expected);
  });

  it('redraws every stream afresh, the same for the same salt, and a restore undoes it', () => {
    const draws = (streams: RngStreams, name: string) =>
      Array.from({ length: 4 }, () => streams.get(name).nextUint32());
    const original = new RngStreams(7);
    const held = original.get('link:a>b');
    draws(original, 'link:a>b');
    const before = original.snapshot();
    const untouched = draws(original, 'link:a>b');
    original.restore(before);
    original.redraw(1);
    const salt1 = draws(original, 'link:a>b');
    const newStream1 = draws(original, 'node:c');
    // The object nodes and links hold draws the new numbers.
    expect(original.get('link:a>b')).toBe(held);
    expect(salt1).not.toEqual(untouched);
    original.restore(before);
    original.redraw(1);
    expect(draws(original, 'link:a>b')).toEqual(salt1);
    expect(draws(original, 'node:c')).toEqual(newStream1);
    original.restore(before);
    original.redraw(2);
    expect(draws(original, 'link:a>b')).not.toEqual(salt1);
    // Restored, the run's own draws come back, for old and new streams alike.
    original.restore(before);
    expect(draws(original, 'link:a>b')).toEqual(untouched);
    expect(draws(original, 'node:c')).toEqual(draws(new RngStreams(7), 'node:c'));
    expect(() => {
      original.redraw(0.5);
    }).toThrow(RangeError);
  });

  it('snapshots copies, not live state', () => {
    const streams = new RngStreams(7);
    const snapshot = streams.snapshot();
    expect(snapshot.names).toEqual([]);
    draws(streams.get('x'), 1);
    const { states } = streams.snapshot();
    states.fill(0);
    expect(
      streams
        .get('x')
        .getState()
        .some((w) => w !== 0),
    ).toBe(true);
  });

  it(`refuses to create more than ${rngStreamCountMax} streams`, () => {
    const streams = new RngStreams(8);
    for (let i = 0; i < rngStreamCountMax; i++) streams.get(`s${i}`);
    expect(() => streams.get('one-too-many')).toThrow(/Too many random streams/);
    expect(() => streams.get('s0')).not.toThrow();
  });
});
