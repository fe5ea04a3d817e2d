/**
 * An exact text for a value (plain objects, arrays, Map, Set, typed arrays, primitives): two
 * values get the same text only if they hold the same data, so a state key built from it never
 * merges two different states. A 32-bit content hash would be faster to compare but, at a
 * hundred thousand states, two different states would share a hash with a real chance [1]; a
 * merged state is a part of the space never explored, so the search keys by text instead.
 *
 * Node states are immutable values (the engine's behaviour contract), so the text of an object
 * is remembered by identity: a transition changes one node, and the other nodes' states are the
 * very objects the parent state had.
 *
 * [1] The birthday bound: n values in 2^32 buckets collide with probability about
 *     n² / 2^33, which is already above 1 at n = 100,000.
 */

/** Objects smaller than this are encoded again rather than remembered (a lookup costs more). */
const rememberedFieldsMin = 4;
/** Deeper parts are a cycle (a scenario bug): the text says so instead of recursing forever. */
const depthMax = 64;

const remembered = new WeakMap<object, string>();

/** The exact text of `value`. */
export function canonicalText(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'number':
      // -0 and 0 behave differently under division: keep them apart.
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `${value.toString()}n`;
    case 'object':
      return value === null ? 'n' : encodeObject(value, depth);
    case 'function':
    case 'symbol':
      // Not data (the behaviour contract); their presence is all a key can say.
      return `?${typeof value}`;
  }
}

function encodeObject(value: object, depth: number): string {
  if (depth > depthMax) return '…';
  const known = remembered.get(value);
  if (known !== undefined) return known;
  let size = 0;
  let text: string;
  if (Array.isArray(value)) {
    size = value.length;
    text = `[${value.map((item: unknown) => encode(item, depth + 1)).join(',')}]`;
  } else if (value instanceof Map) {
    size = value.size;
    const parts: string[] = [];
    for (const [key, item] of value)
      parts.push(`${encode(key, depth + 1)}:${encode(item, depth + 1)}`);
    text = `M{${parts.join(',')}}`;
  } else if (value instanceof Set) {
    size = value.size;
    const parts: string[] = [];
    for (const item of value) parts.push(encode(item, depth + 1));
    text = `S{${parts.join(',')}}`;
  } else if (ArrayBuffer.isView(value)) {
    text = `T[${Array.from(value as unknown as ArrayLike<number>).join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    size = keys.length;
    text = `{${keys.map((key) => `${JSON.stringify(key)}:${encode(record[key], depth + 1)}`).join(',')}}`;
  }
  // Maps and Sets are mutable containers (an invariant's memory is one): never remembered.
  const isImmutableKind = !(value instanceof Map) && !(value instanceof Set);
  if (isImmutableKind && size >= rememberedFieldsMin) remembered.set(value, text);
  return text;
}
