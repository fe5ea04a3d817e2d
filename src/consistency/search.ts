/*
 * Small deterministic helpers the searches share: a seen-set keyed by (placed ops, model state)
 * with integer hashing, the same in every JavaScript engine.
 */

/** A 32-bit mix of an integer (murmur3's finaliser): per-op hashes for Zobrist hashing. */
export function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over a string's code units. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A hash of a whole integer array (for configurations hashed at once, not incrementally). */
export function hashInts(values: Int32Array | Uint32Array): number {
  let h = 0x9747b28c;
  for (let i = 0; i < values.length; i++)
    h = Math.imul(h ^ mix32((values[i] as number) + i), 0x01000193);
  return h >>> 0;
}

/**
 * Configurations already explored: integers of a fixed width (which ops are placed, as a bitset
 * hashed incrementally by the caller, or a whole configuration) and the model's state as a
 * string (empty when the integers hold it). A configuration seen once never needs exploring
 * again. Entries live in one growing arena, chained per hash: no allocation per entry beyond
 * the state string, which matters at a million steps.
 */
export class ConfigurationCache {
  private words: Int32Array;
  private chain: Int32Array;
  private readonly states: string[] = [];
  private readonly heads = new Map<number, number>();
  size = 0;

  /** `width` integers per configuration; room for `capacity` of them before growing. */
  constructor(
    private readonly width: number,
    capacity = 256,
  ) {
    this.words = new Int32Array(Math.max(1, width) * Math.max(16, capacity));
    this.chain = new Int32Array(Math.max(16, capacity));
  }

  /** Adds the configuration; false when it was already there. */
  add(bitsHash: number, bits: Int32Array | Uint32Array, state = ''): boolean {
    const key = (bitsHash ^ Math.imul(hashString(state), 0x9e3779b1)) >>> 0;
    const head = this.heads.get(key) ?? -1;
    for (let entry = head; entry !== -1; entry = this.chain[entry] as number)
      if (this.states[entry] === state && this.holds(entry, bits)) return false;
    if (this.size === this.chain.length) this.grow();
    const offset = this.size * this.width;
    for (let i = 0; i < this.width; i++) this.words[offset + i] = bits[i] as number;
    this.chain[this.size] = head;
    this.heads.set(key, this.size);
    this.states.push(state);
    this.size++;
    return true;
  }

  private holds(entry: number, bits: Int32Array | Uint32Array): boolean {
    const offset = entry * this.width;
    for (let i = 0; i < this.width; i++)
      if (this.words[offset + i] !== ((bits[i] as number) | 0)) return false;
    return true;
  }

  private grow(): void {
    const words = new Int32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    const chain = new Int32Array(this.chain.length * 2);
    chain.set(this.chain);
    this.chain = chain;
  }
}
