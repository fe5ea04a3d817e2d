import { describe, expect, it } from 'vitest';
import { hashString, RollingHash } from './hash.ts';

function hexOf(build: (hash: RollingHash) => void): string {
  const hash = new RollingHash();
  build(hash);
  return hash.hex();
}

function popCount32(value: number): number {
  let v = value >>> 0;
  let count = 0;
  while (v !== 0) {
    v &= v - 1;
    count++;
  }
  return count;
}

describe('RollingHash', () => {
  it('gives the pinned digests (a change here changes every run fingerprint)', () => {
    expect(hashString('')).toBe('0625cf06d8ad9f4f');
    expect(hashString('a')).toBe('2ab61f1f036c3f7e');
    expect(hashString('hello, world')).toBe('eec7adda8fe17144');
    const hex = hexOf((h) =>
      h
        .mixInt32(1)
        .mixNumber(1.5)
        .mixNumber(-7)
        .mixNumber(2 ** 40 + 3)
        .mixString('message.sent')
        .mixNumber(NaN),
    );
    expect(hex).toBe('faf0d8dda22904a6');
  });

  it('prints 16 lowercase, zero-padded hex digits', () => {
    for (let i = 0; i < 2000; i++) expect(hexOf((h) => h.mixInt32(i))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is sensitive to order', () => {
    expect(hexOf((h) => h.mixInt32(1).mixInt32(2))).not.toBe(
      hexOf((h) => h.mixInt32(2).mixInt32(1)),
    );
    expect(hexOf((h) => h.mixString('a').mixString('b'))).not.toBe(
      hexOf((h) => h.mixString('b').mixString('a')),
    );
  });

  it('changes with every input, including zeros', () => {
    const seen = new Set<string>([hexOf(() => undefined)]);
    const hash = new RollingHash();
    for (let i = 0; i < 100; i++) {
      hash.mixInt32(0);
      seen.add(hash.hex());
    }
    expect(seen.size).toBe(101);
  });

  it('gives different strings different digests', () => {
    const seen = new Set<string>();
    const strings = [
      '',
      '\0',
      '\0\0',
      'a',
      'b',
      'ab',
      'ba',
      'aa',
      'é',
      '\u{1F600}',
      'A'.repeat(1000),
    ];
    for (let i = 0; i < 20000; i++) strings.push(`node:n${i}`);
    for (const s of strings) seen.add(hashString(s));
    expect(seen.size).toBe(strings.length);
  });

  it('keeps string boundaries: ("ab", "c") differs from ("a", "bc")', () => {
    expect(hexOf((h) => h.mixString('ab').mixString('c'))).not.toBe(
      hexOf((h) => h.mixString('a').mixString('bc')),
    );
    expect(hexOf((h) => h.mixString('').mixString('x'))).not.toBe(
      hexOf((h) => h.mixString('x').mixString('')),
    );
  });

  it('hashes numbers canonically', () => {
    const of = (x: number): string => hexOf((h) => h.mixNumber(x));
    expect(of(-0)).toBe(of(0));
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff00001]).buffer)[0] as number;
    expect(Number.isNaN(otherNaN)).toBe(true);
    expect(of(otherNaN)).toBe(of(NaN));
    expect(of(0 / 0)).toBe(of(NaN));
    expect(of(0.1 + 0.2)).not.toBe(of(0.3));
    expect(of(1)).not.toBe(of(1 + Number.EPSILON));
    expect(of(-1)).not.toBe(of(2 ** 32 - 1));
    expect(of(2 ** 32)).not.toBe(of(5e-324));
    expect(of(Number.MAX_SAFE_INTEGER)).not.toBe(of(Number.MAX_SAFE_INTEGER - 1));
    expect(of(2 ** 53)).not.toBe(of(2 ** 53 + 2));
    expect(of(Infinity)).not.toBe(of(-Infinity));
  });

  it('gives each integer in a wide range its own digest', () => {
    const seen = new Set<string>();
    const values: number[] = [];
    for (let i = -5000; i < 5000; i++) values.push(i, i * 4294967296, i * 1_000_003_113);
    const distinct = new Set(values);
    for (const v of distinct) seen.add(hexOf((h) => h.mixNumber(v)));
    expect(seen.size).toBe(distinct.size);
  });

  it('avalanches: one flipped input bit changes about half the output bits', () => {
    let changed = 0;
    let trials = 0;
    for (let i = 0; i < 200; i++) {
      for (let bit = 0; bit < 32; bit += 3) {
        const [a0, b0] = new RollingHash().mixInt32(i * 7919).digest();
        const [a1, b1] = new RollingHash().mixInt32((i * 7919) ^ (1 << bit)).digest();
        changed += popCount32(a0 ^ a1) + popCount32(b0 ^ b1);
        trials++;
      }
    }
    const mean = changed / trials;
    expect(mean).toBeGreaterThan(30);
    expect(mean).toBeLessThan(34);
  });

  it('does not change its state when a digest is read', () => {
    const hash = new RollingHash().mixString('x');
    const first = hash.hex();
    expect(hash.hex()).toBe(first);
    expect(hash.mixInt32(5).hex()).toBe(hexOf((h) => h.mixString('x').mixInt32(5)));
  });

  it('continues identically after snapshot and restore', () => {
    const original = new RollingHash().mixString('before').mixNumber(12.5);
    const snapshot = original.snapshot();
    const copy = RollingHash.restore(snapshot);
    expect(copy.hex()).toBe(original.hex());
    original.mixString('after').mixNumber(99);
    copy.mixString('after').mixNumber(99);
    expect(copy.hex()).toBe(original.hex());
    expect(copy.snapshot()).toEqual(original.snapshot());
    // A snapshot is a copy: later mixing does not change it.
    expect(RollingHash.restore(snapshot).hex()).not.toBe(original.hex());
  });

  it('accepts unsigned lanes in restore and rejects anything else', () => {
    const [a, b] = new RollingHash().mixInt32(3).snapshot();
    expect(RollingHash.restore([a >>> 0, b >>> 0]).hex()).toBe(RollingHash.restore([a, b]).hex());
    expect(() => RollingHash.restore([1.5, 0])).toThrow(RangeError);
    expect(() => RollingHash.restore([0, 2 ** 32])).toThrow(/32-bit integer/);
    expect(() => RollingHash.restore([NaN, 0])).toThrow(RangeError);
  });

  it('hashString is mixString on a fresh hash', () => {
    expect(hashString('kv-store')).toBe(new RollingHash().mixString('kv-store').hex());
  });
});
