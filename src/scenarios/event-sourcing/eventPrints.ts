import { prefixTotal } from './listFolds.ts';
import type { PersistentList } from './persistentList.ts';
import type { StoredEvent } from './storeProtocol.ts';

/**
 * What the contiguity invariant remembers of the events it has seen, instead of a copy of the
 * log (its memory is copied into every checkpoint, so a copy of the log there made every
 * checkpoint, and every check, cost the log's length).
 *
 * [1] An event's key: every field the invariant compares (`sameEvent`), as one string. Two
 *     events have the same key exactly when they are the same event.
 * [2] A stream's fingerprint: the sum, modulo 2^32, of one 32-bit hash per event, mixed with
 *     the event's index, so that changing, dropping or moving any event changes it (but for a
 *     1 in 2^32 coincidence). Sums of a prefix come from the list's tree in a few steps
 *     (listFolds.ts), so checking "the first v events are still those I saw" does not read them.
 */

const keys = new WeakMap<StoredEvent, string>();
const hashes = new WeakMap<StoredEvent, number>();

/** [1] The event's key (cached: stored events never change). */
export function keyOf(event: StoredEvent): string {
  let key = keys.get(event);
  if (key === undefined) {
    const { type, data, meta, position, stream, version, recordedUs } = event;
    key = JSON.stringify([
      type,
      data,
      meta.commandId,
      position,
      stream,
      version,
      recordedUs,
      meta.issuedBy,
      meta.handledBy,
    ]);
    keys.set(event, key);
  }
  return key;
}

/** The words the invariant's messages use for an event, from its key. */
export function describeKey(key: string): string {
  const [type, data, commandId, position] = JSON.parse(key) as [string, unknown, string, number];
  return `${type} ${JSON.stringify(data)} of ${commandId} at position ${position}`;
}

/** FNV-1a over the key: exact integer operations only. */
function hashOf(event: StoredEvent): number {
  let hash = hashes.get(event);
  if (hash === undefined) {
    const key = keyOf(event);
    hash = 0x811c9dc5;
    for (let index = 0; index < key.length; index++)
      hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
    hashes.set(event, hash);
  }
  return hash;
}

/** [2] The fingerprint of a stream's first `count` events. */
export const streamPrint: (stream: PersistentList<StoredEvent>, count: number) => number =
  prefixTotal<StoredEvent>(
    (event, index) => Math.imul(hashOf(event) ^ Math.imul(index + 1, 0x9e3779b1), 0x85ebca6b),
    (a, b) => (a + b) | 0,
  );
