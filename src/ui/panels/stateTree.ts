/**
 * How the inspector shows a node's state: a tree of plain values (whatever survived the
 * structured clone from the worker: objects, arrays, Maps, Sets, typed arrays). Branches list at
 * most `entriesMax` children and strings are cut at `stringCharsMax`, so a huge state cannot
 * flood the page.
 */
export const treeLimits = { entriesMax: 50, stringCharsMax: 160 } as const;

export type TreeItem =
  | { readonly kind: 'leaf'; readonly text: string }
  | {
      readonly kind: 'branch';
      /** One-line summary: "{3 keys}", "[12 items]", "Map (2 entries)". */
      readonly summary: string;
      readonly entries: readonly (readonly [string, unknown])[];
      /** Children not listed (over `entriesMax`). */
      readonly hiddenCount: number;
    };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function cut(text: string): string {
  return text.length > treeLimits.stringCharsMax
    ? `${text.slice(0, treeLimits.stringCharsMax)}… (${text.length} characters)`
    : text;
}

/** A value as a one-line text (used for leaves and for Map keys). */
export function leafText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return cut(JSON.stringify(value));
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (typeof value === 'function') return 'ƒ';
  if (typeof value === 'boolean' || typeof value === 'undefined') return String(value);
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} (${value.byteLength} bytes)`;
  if (Array.isArray(value)) return `[${plural(value.length, 'item')}]`;
  if (value instanceof Map) return `Map (${value.size} ${value.size === 1 ? 'entry' : 'entries'})`;
  if (value instanceof Set) return `Set (${plural(value.size, 'item')})`;
  return `{${plural(Object.keys(value).length, 'key')}}`;
}

/** A branch listing the first `entriesMax` of `shown` out of `total` children. */
function branch(
  summary: string,
  shown: readonly (readonly [string, unknown])[],
  total = shown.length,
): TreeItem {
  const entries = shown.slice(0, treeLimits.entriesMax);
  return { kind: 'branch', summary, entries, hiddenCount: Math.max(0, total - entries.length) };
}

/** Whether a value opens into children, and which. */
export function describeValue(value: unknown): TreeItem {
  if (value === null || typeof value !== 'object') return { kind: 'leaf', text: leafText(value) };
  if (value instanceof Date || ArrayBuffer.isView(value)) {
    return { kind: 'leaf', text: leafText(value) };
  }
  const summary = leafText(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'leaf', text: '[]' };
    const shown = value.slice(0, treeLimits.entriesMax) as unknown[];
    const entries = shown.map((item, index) => [String(index), item] as const);
    return branch(summary, entries, value.length);
  }
  if (value instanceof Map) {
    if (value.size === 0) return { kind: 'leaf', text: 'Map (empty)' };
    const entries = [...value.entries()].map(([key, item]) => [leafText(key), item] as const);
    return branch(summary, entries);
  }
  if (value instanceof Set) {
    if (value.size === 0) return { kind: 'leaf', text: 'Set (empty)' };
    return branch(
      summary,
      [...value].map((item, index) => [String(index), item] as const),
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return { kind: 'leaf', text: '{}' };
  return branch(summary, entries);
}
