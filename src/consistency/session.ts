import {
  byInvocation,
  compareStrings,
  precedes,
  sameValue,
  type Operation,
  type Value,
} from './history.ts';
import {
  explainMonotonicReads,
  explainMonotonicWrites,
  explainReadYourWrites,
  explainWritesFollowReads,
} from './explain.ts';
import type { Verdict, Violation } from './verdict.ts';

/*
 * The four session guarantees (Terry et al., 1994) per client, for registers (read/write) whose
 * written values are unique per key, so a value read names the write that produced it. When a
 * key's written values repeat (or a write writes the initial value), the key is not checked and
 * the verdicts say so: guessing which write a read saw could blame the wrong one.
 *
 * What "older" means: the initial value is older than every write, and a write acknowledged
 * before another began is older than it. That is the order of any store that orders a key's
 * writes consistently with time when they do not overlap (a primary, last-writer-wins on one
 * clock, the simulator's stores); overlapping writes are left unordered and never blamed.
 *
 * - read your writes: a client's read returns a value older than its own acknowledged write;
 * - monotonic reads: a client reads a value older than one it read before;
 * - monotonic writes, as observed: a client reads two writes of one other session in the other
 *   order (first the later, then the earlier);
 * - writes follow reads: a client reads a write, then a value its writer had read before writing.
 *
 * The last two are also reads going backwards; such a pair counts once, under the guarantee that
 * names its cause (monotonic writes, then writes follow reads, then monotonic reads).
 */

export interface SessionOptions {
  /** The registers' value before any write. */
  readonly initial?: Value;
  /** Violations listed per guarantee at most (the count beyond is in the note). */
  readonly maxViolations?: number;
}

type Guarantee =
  'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';
const guarantees: readonly Guarantee[] = [
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
];

const ids = (ops: readonly (Operation | undefined)[]): number[] =>
  ops
    .filter((op): op is Operation => op !== undefined)
    .sort(byInvocation)
    .map((op) => op.id);

/** The four verdicts, in the order of `guarantees`. */
export function checkSessionGuarantees(
  history: readonly Operation[],
  options: SessionOptions = {},
): Verdict[] {
  const initial = options.initial ?? null;
  const maxViolations = options.maxViolations ?? 100;
  const found = new Map<Guarantee, Violation[]>(guarantees.map((name) => [name, []]));
  const report = (guarantee: Guarantee, violation: Violation): void => {
    found.get(guarantee)?.push(violation);
  };
  const byKey = new Map<string, Operation[]>();
  for (const op of history.slice().sort(byInvocation)) {
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  }
  const keys = [...byKey.keys()].sort(compareStrings);
  const showKey = keys.length > 1;
  const skipped: string[] = [];

  for (const key of keys) {
    const ops = byKey.get(key) ?? [];
    const writes = new Map<string, Operation>();
    let problem: string | null = null;
    for (const op of ops) {
      // Lists and accounts have no single value a read could name the write of (the first
      // such op names the reason).
      if (problem === null && op.kind === 'append')
        problem = `key ${key} is a list, not a register`;
      else if (problem === null && op.kind !== 'read' && op.kind !== 'write')
        problem = `key ${key} has ${op.kind} operations, not a register's reads and writes`;
      if (op.kind !== 'write' || problem !== null) continue;
      const value = JSON.stringify(op.value ?? null);
      if (writes.has(value) || sameValue(op.value, initial))
        problem = `${value} is written to ${key} more than once (counting the initial value)`;
      writes.set(value, op);
    }
    if (problem !== null) {
      skipped.push(problem);
      continue;
    }
    const writeOf = (value: Value | undefined): Operation | undefined =>
      writes.get(JSON.stringify(value ?? null));
    const isInitial = (value: Value | undefined): boolean => sameValue(value, initial);
    /** `older` is definitely older than `newer` (see above). */
    const isOlder = (older: Value | undefined, newer: Value | undefined): boolean => {
      if (isInitial(newer)) return false;
      if (isInitial(older)) return true;
      const olderWrite = writeOf(older);
      const newerWrite = writeOf(newer);
      return (
        olderWrite !== undefined && newerWrite !== undefined && precedes(olderWrite, newerWrite)
      );
    };
    const sessions = new Map<string, Operation[]>();
    for (const op of ops) {
      const list = sessions.get(op.client);
      if (list === undefined) sessions.set(op.client, [op]);
      else list.push(op);
    }
    for (const client of [...sessions.keys()].sort(compareStrings)) {
      const session = sessions.get(client) ?? [];
      let lastWrite: Operation | undefined;
      const reads: Operation[] = [];
      for (const op of session) {
        if (op.kind === 'write') {
          if (op.completeUs !== null) lastWrite = op;
          continue;
        }
        if (op.result === undefined) continue;
        if (
          lastWrite !== undefined &&
          !sameValue(op.result, lastWrite.value) &&
          isOlder(op.result, lastWrite.value)
        )
          report('read-your-writes', {
            key,
            ops: ids([writeOf(op.result), lastWrite, op]),
            sentence: explainReadYourWrites(op, lastWrite, showKey),
          });
        // The latest earlier read that this one goes back from.
        for (let i = reads.length - 1; i >= 0; i--) {
          const earlier = reads[i] as Operation;
          const violation = readingBack(earlier, op);
          if (violation !== null) {
            report(violation.guarantee, violation.violation);
            break;
          }
        }
        reads.push(op);
      }
    }

    function readingBack(
      first: Operation,
      second: Operation,
    ): { guarantee: Guarantee; violation: Violation } | null {
      if (sameValue(first.result, second.result)) return null;
      const newer = writeOf(first.result);
      const older = writeOf(second.result);
      if (newer !== undefined && older !== undefined && newer.client === older.client) {
        if (!precedes(older, newer)) return null;
        return {
          guarantee: 'monotonic-writes',
          violation: {
            key,
            ops: ids([older, newer, first, second]),
            sentence: explainMonotonicWrites(first, second, newer.client, showKey),
          },
        };
      }
      if (newer !== undefined) {
        const writerRead = (sessions.get(newer.client) ?? []).find(
          (op) => op.kind === 'read' && sameValue(op.result, second.result) && precedes(op, newer),
        );
        if (writerRead !== undefined)
          return {
            guarantee: 'writes-follow-reads',
            violation: {
              key,
              ops: ids([older, writerRead, newer, first, second]),
              sentence: explainWritesFollowReads(first, second, writerRead, showKey),
            },
          };
      }
      if (!isOlder(second.result, first.result)) return null;
      return {
        guarantee: 'monotonic-reads',
        violation: {
          key,
          ops: ids([older, newer, first, second]),
          sentence: explainMonotonicReads(first, second, older, newer, showKey),
        },
      };
    }
  }

  return guarantees.map((model) => {
    const all = found.get(model) ?? [];
    const notes: string[] = [];
    if (all.length > maxViolations)
      notes.push(`${all.length} violations; the first ${maxViolations} are listed.`);
    if (skipped.length > 0)
      notes.push(
        `Not checked: ${skipped.join('; ')}. The session checks need unique written values on registers.`,
      );
    const status = all.length > 0 ? 'violated' : skipped.length > 0 ? 'inapplicable' : 'ok';
    return {
      model,
      status,
      violations: all.slice(0, maxViolations),
      note: notes.length > 0 ? notes.join(' ') : null,
      steps: 0,
    };
  });
}
