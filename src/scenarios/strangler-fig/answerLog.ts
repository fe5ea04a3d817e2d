/**
 * The one-answer invariant's record of a client's answers: the answer id each of its last
 * `capacity` answered requests was first answered with.
 *
 * The record lives in the invariant's memory, which the engine copies into every checkpoint, so
 * it is text: a string is copied by reference, where an array of thousands of answer ids (or a
 * Map of them) is copied entry by entry, which cost milliseconds per checkpoint. Entries are
 * appended to an open chunk, sealed every `chunkEntries` entries; a sealed chunk is dropped once
 * all of its entries have left the window. Lookups go through an index kept beside the memory
 * and never copied (a ring and a Map), built from the text the first time a record is used: a
 * record restored from a checkpoint is a new object without one.
 */

export interface AnswerLog {
  /** Sealed chunks of entries (`<request id> <length>:<answer id>` each), oldest first. */
  readonly sealed: string[];
  /** The chunk being filled, and its entries. */
  open: string;
  openCount: number;
  /** Entries ever logged, and those that went with dropped chunks. */
  count: number;
  dropped: number;
}

const chunkEntries = 256;

export function newAnswerLog(): AnswerLog {
  return { sealed: [], open: '', openCount: 0, count: 0, dropped: 0 };
}

/** The answer id `requestId` was first answered with, if it is still in the window. */
export function firstAnswer(
  log: AnswerLog,
  capacity: number,
  requestId: number,
): string | undefined {
  const index = indexOf(log, capacity);
  const slot = index.slots.get(requestId);
  return slot === undefined ? undefined : index.answerIds[slot];
}

/** Logs the first answer to a request not in the window; past the capacity the oldest leaves. */
export function logAnswer(
  log: AnswerLog,
  capacity: number,
  requestId: number,
  answerId: string,
): void {
  remember(indexOf(log, capacity), requestId, answerId);
  log.open += `${requestId} ${answerId.length}:${answerId}`;
  log.openCount++;
  log.count++;
  if (log.openCount === chunkEntries) {
    log.sealed.push(log.open);
    log.open = '';
    log.openCount = 0;
  }
  while (log.sealed.length > 0 && log.dropped + chunkEntries <= log.count - capacity) {
    log.sealed.shift();
    log.dropped += chunkEntries;
  }
}

/** The window as a ring of entries, with the slot of each request id. */
interface Index {
  readonly requestIds: Float64Array;
  readonly answerIds: string[];
  readonly slots: Map<number, number>;
  /** Ring position of the oldest entry, and how many are held. */
  start: number;
  size: number;
}

const indexes = new WeakMap<AnswerLog, Index>();

function indexOf(log: AnswerLog, capacity: number): Index {
  let index = indexes.get(log);
  if (index === undefined) {
    index = {
      requestIds: new Float64Array(capacity),
      answerIds: [],
      slots: new Map(),
      start: 0,
      size: 0,
    };
    // Replaying every entry still held leaves exactly the last `capacity` in the ring.
    for (const chunk of log.sealed) replay(chunk, index);
    replay(log.open, index);
    indexes.set(log, index);
  }
  return index;
}

function replay(chunk: string, index: Index): void {
  let at = 0;
  while (at < chunk.length) {
    const space = chunk.indexOf(' ', at);
    const colon = chunk.indexOf(':', space);
    const length = Number(chunk.slice(space + 1, colon));
    remember(index, Number(chunk.slice(at, space)), chunk.slice(colon + 1, colon + 1 + length));
    at = colon + 1 + length;
  }
}

function remember(index: Index, requestId: number, answerId: string): void {
  const capacity = index.requestIds.length;
  const slot = (index.start + index.size) % capacity;
  if (index.size < capacity) {
    index.size++;
  } else {
    index.slots.delete(index.requestIds[slot] ?? 0);
    index.start = (index.start + 1) % capacity;
  }
  index.requestIds[slot] = requestId;
  index.answerIds[slot] = answerId;
  index.slots.set(requestId, slot);
}
