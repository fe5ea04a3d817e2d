import { describe, expect, it } from 'vitest';
import { contentHash } from './contentHash.ts';

/** A plain deep copy (new objects, same content). */
function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A value nested `levels` deep: { level, next: { level, next: … } }. */
function chain(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { level: 0 };
  for (let level = 1; level < levels; level++) value = { level, next: value };
  return value;
}

/** `value` wrapped in `levels` one-item arrays. */
function wrapped(value: unknown, levels: number): unknown {
  let out = value;
  for (let i = 0; i < levels; i++) out = [out];
  return out;
}

/** An event like the ones a store sends again and again, big enough to be remembered. */
function storedEvent(version: number): Record<string, unknown> {
  return {
    type: 'Deposited',
    stream: 'acct-1',
    version,
    position: version * 3,
    recordedUs: version * 1_000,
    data: { amount: version % 97, by: 'client-1', note: 'salary' },
  };
}

describe('contentHash', () => {
  it('depends on content, not on which objects hold it', () => {
    const message = { type: 'Loaded', events: [storedEvent(1), storedEvent(2)], version: 2 };
    expect(contentHash(copyOf(message))).toBe(contentHash(message));
    expect(contentHash({ ...message, version: 3 })).not.toBe(contentHash(message));
  });

  it('tells apart values that print alike or hold the same leaves in another shape', () => {
    const distinct: unknown[] = [
      1,
      -1,
      '1',
      1.5,
      true,
      null,
      undefined,
      [],
      {},
      [1, 2],
      [2, 1],
      [[1], [2]],
      [[1, 2]],
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { a: [1], b: 2 },
      { ab: 1 },
      4294967295,
      2 ** 40,
    ];
    const hashes = distinct.map((value) => contentHash(value));
    expect(new Set(hashes).size).toBe(distinct.length);
  });

  it('walks a shared part once: the next message that carries it reads none of its fields', () => {
    const events = Array.from({ length: 50 }, (_, i) => storedEvent(i + 1));
    let reads = 0;
    // The same events, behind proxies that count every field read.
    const watched = events.map(
      (event) =>
        new Proxy(event, {
          get(target, key, receiver) {
            reads++;
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
    );
    const first = contentHash({ type: 'Loaded', events: watched });
    expect(reads).toBeGreaterThan(0);
    reads = 0;
    const second = contentHash({ type: 'Loaded', events: watched.slice() });
    expect(reads).toBe(0);
    expect(second).toBe(first);
    expect(first).toBe(contentHash({ type: 'Loaded', events: copyOf(events) }));
  });

  it('cuts a value deeper than it reads (a cycle) and never remembers a part it cut', () => {
    const cyclic: Record<string, unknown> = { type: 'Loop' };
    cyclic.self = cyclic;
    expect(Number.isInteger(contentHash(cyclic))).toBe(true);

    // A part 20 levels deep is cut when it sits 20 levels down, and whole at the top.
    const part = chain(20);
    const deep = contentHash({ type: 'Deep', body: wrapped(part, 20) });
    expect(contentHash({ type: 'Deep', body: wrapped(copyOf(part), 20) })).toBe(deep);
    const shallow = contentHash({ type: 'Shallow', body: part });
    expect(shallow).toBe(contentHash({ type: 'Shallow', body: copyOf(part) }));
    // Different lower levels change the shallow hash: the whole part was read.
    const changed = copyOf(part);
    let inner = changed;
    for (let i = 0; i < 18; i++) inner = inner.next as Record<string, unknown>;
    inner.level = -1;
    expect(contentHash({ type: 'Shallow', body: changed })).not.toBe(shallow);
  });
});
