/**
 * An append-only log as a persistent value: entries in chunks of `chunkSize`, every chunk but
 * the last full and never changed again, so versions of the log share them. Appending copies
 * only the last chunk and the list of chunks (a few hundred references for a log of tens of
 * thousands), where copying the whole log on every write cost more and more as a run went on.
 * No version ever changes (checkpoints keep states by reference), and it is plain data: arrays
 * and a number.
 */
export interface AppendLog<T> {
  /** Full chunks of `chunkSize` entries, then the last one (1 to `chunkSize` entries). */
  readonly chunks: readonly (readonly T[])[];
  readonly length: number;
}

const chunkSize = 128;

export function emptyLog<T>(): AppendLog<T> {
  return { chunks: [], length: 0 };
}

/** The log with `entry` added at the end. */
export function append<T>(log: AppendLog<T>, entry: T): AppendLog<T> {
  const chunks = log.chunks.slice();
  const last = chunks[chunks.length - 1];
  if (last === undefined || last.length === chunkSize) {
    chunks.push([entry]);
  } else {
    const grown = last.slice();
    grown.push(entry);
    chunks[chunks.length - 1] = grown;
  }
  return { chunks, length: log.length + 1 };
}

/** Entry `index` (0-based), or undefined outside the log. */
export function entryAt<T>(log: AppendLog<T>, index: number): T | undefined {
  if (!(index >= 0 && index < log.length)) return undefined;
  return log.chunks[Math.floor(index / chunkSize)]?.[index % chunkSize];
}

/** The entries `Array.prototype.slice(from, to)` would give for the log as an array. */
export function sliceOf<T>(log: AppendLog<T>, from: number, to: number): T[] {
  const start = from < 0 ? Math.max(log.length + from, 0) : Math.min(from, log.length);
  const end = to < 0 ? Math.max(log.length + to, 0) : Math.min(to, log.length);
  const entries: T[] = [];
  for (let index = start; index < end; index++) entries.push(entryAt(log, index) as T);
  return entries;
}
