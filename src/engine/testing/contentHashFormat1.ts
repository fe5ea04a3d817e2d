/**
 * The message content hash of trace format 1 (before the compositional hash of contentHash.ts),
 * kept only so a test can show that the pins taken in format 1 still hold: with this hash in
 * place of the current one, every pinned run replays to its format 1 trace hash, so the change
 * of hash changed fingerprints and nothing else.
 */
export function contentHash(value: unknown): number {
  return mix(0x811c9dc5, value, 0) >>> 0;
}

const depthMax = 8;

function mix(hash: number, value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return mixString(Math.imul(hash ^ 0x73, 0x01000193), value);
    case 'number':
      return mixNumber(hash, value);
    case 'boolean':
      return Math.imul(hash ^ (value ? 0x31 : 0x30), 0x01000193);
    case 'undefined':
      return Math.imul(hash ^ 0x75, 0x01000193);
    case 'object': {
      if (value === null) return Math.imul(hash ^ 0x6e, 0x01000193);
      if (depth >= depthMax) return Math.imul(hash ^ 0x2e, 0x01000193);
      if (Array.isArray(value)) {
        let h = Math.imul(hash ^ 0x5b, 0x01000193);
        for (const item of value) h = mix(h, item, depth + 1);
        return Math.imul(h ^ value.length, 0x01000193);
      }
      let h = Math.imul(hash ^ 0x7b, 0x01000193);
      const record = value as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        h = mixString(h, key);
        h = mix(h, record[key], depth + 1);
      }
      return h;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
      // Not plain data; messages should not carry these. Count them without their content.
      return Math.imul(hash ^ 0x3f, 0x01000193);
  }
}

function mixString(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ text.length, 0x01000193);
}

function mixNumber(hash: number, value: number): number {
  if (Number.isInteger(value) && Math.abs(value) <= 0xffffffff) {
    return (
      Math.imul(Math.imul(hash ^ 0x69, 0x01000193) ^ (value | 0), 0x01000193) ^ (value < 0 ? 1 : 0)
    );
  }
  // Non-integers: hash the decimal text, which is exact and identical in every engine.
  return mixString(Math.imul(hash ^ 0x66, 0x01000193), String(value));
}
