/**
 * A 32-bit hash of a message's content (its own enumerable fields, in insertion order, recursing
 * into arrays and plain objects), so the trace hash notices a change in what was said, not only
 * in who spoke when. Only exact operations (Math.imul, shifts, charCodeAt) are used.
 *
 * The hash is compositional: an array's or an object's hash is made from its children's hashes,
 * never from the hash of what came before it in the message. So the hash of a part that is
 * itself a value shared between messages (an event in a stream that every load sends again, a
 * snapshot, a node of a persistent list) is worked out once and remembered by identity [1],
 * and a message that carries a thousand such parts costs a thousand lookups, not a walk over
 * every field of every part [2].
 *
 * [1] Messages and the node state they are built from are immutable values (the engine's
 *     contract: checkpoints keep them by reference), so a part's content cannot change after it
 *     was first hashed. A scenario that mutated a sent value would already break replay from
 *     checkpoints; the scenario contract test resumes every scenario under chaos and compares.
 * [2] Trace format 2. Format 1 folded every value into one running FNV chain, which cannot be
 *     composed, so Event Sourcing's loads (whole streams, no snapshots by default) cost more the
 *     longer the run: 64% of a 300 s run went to hashing them.
 */
export function contentHash(value: unknown): number {
  isCut = false;
  return hashOf(value, 0);
}

/** Deeper parts are counted, not read (a guard against a cyclic value, which is a bug). */
const depthMax = 32;
/**
 * Parts smaller than this are not remembered: walking a few fields costs less than a lookup
 * table entry (each one is work for the garbage collector too).
 */
const rememberedSizeMin = 8;

const remembered = new WeakMap<object, number>();

/** Set when a walk reached `depthMax`; a part whose walk was cut is not remembered. */
let isCut = false;
/** Fields and items visited by the current walk, to decide whether a part is worth remembering. */
let visited = 0;

const TAG_STRING = 0x73;
const TAG_INTEGER = 0x69;
const TAG_NEGATIVE = 0x6d;
const TAG_FLOAT = 0x66;
const TAG_TRUE = 0x31;
const TAG_FALSE = 0x30;
const TAG_UNDEFINED = 0x75;
const TAG_NULL = 0x6e;
const TAG_ARRAY = 0x5b;
const TAG_OBJECT = 0x7b;
const TAG_CUT = 0x2e;
const TAG_OTHER = 0x3f;

function hashOf(value: unknown, depth: number): number {
  visited++;
  switch (typeof value) {
    case 'string':
      return stringHash(TAG_STRING, value);
    case 'number':
      return numberHash(value);
    case 'boolean':
      return value ? TAG_TRUE : TAG_FALSE;
    case 'undefined':
      return TAG_UNDEFINED;
    case 'object': {
      if (value === null) return TAG_NULL;
      if (depth >= depthMax) {
        isCut = true;
        return TAG_CUT;
      }
      if (depth > 0) {
        const known = remembered.get(value);
        if (known !== undefined) return known;
      }
      const outerCut = isCut;
      const outerVisited = visited;
      isCut = false;
      const hash = Array.isArray(value)
        ? arrayHash(value, depth)
        : objectHash(value as Record<string, unknown>, depth);
      if (depth > 0 && !wasCut() && visited - outerVisited >= rememberedSizeMin) {
        remembered.set(value, hash);
      }
      if (outerCut) isCut = true;
      return hash;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
      // Not plain data; messages should not carry these. Count them without their content.
      return TAG_OTHER;
  }
}

/** Read through a call: the walk below sets the flag, which a plain read here cannot see. */
function wasCut(): boolean {
  return isCut;
}

function arrayHash(items: readonly unknown[], depth: number): number {
  let h = TAG_ARRAY;
  for (let i = 0; i < items.length; i++) h = combine(h, hashOf(items[i], depth + 1));
  return combine(h, items.length);
}

function objectHash(record: Record<string, unknown>, depth: number): number {
  let h = TAG_OBJECT;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    h = combine(h, stringHash(TAG_STRING, key));
    h = combine(h, hashOf(record[key], depth + 1));
  }
  return h;
}

/** FNV-1a over the UTF-16 code units, then the length. */
function stringHash(seed: number, text: string): number {
  let h = Math.imul(0x811c9dc5 ^ seed, 0x01000193);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ text.length, 0x01000193);
}

function numberHash(value: number): number {
  if (Number.isInteger(value) && Math.abs(value) <= 0xffffffff) {
    return combine(value < 0 ? TAG_NEGATIVE : TAG_INTEGER, value | 0);
  }
  // Other numbers: the decimal text, which is exact and identical in every engine.
  return stringHash(TAG_FLOAT, String(value));
}

/** Murmur3's block step: order-sensitive, and every bit of `word` reaches the result. */
function combine(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
