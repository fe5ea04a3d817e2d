import type { Operation } from './history.ts';

/*
 * Seeded register histories for the tests and the benchmark: clients issue reads and writes one
 * after another against a register store that applies each op at one instant inside its
 * interval (so the history is linearizable), with unique written values. No Math.random: a
 * small integer generator (mulberry32), the same in every engine.
 */

/** Uniform integers from a 32-bit seed. */
export function integerSource(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % below) >>> 0;
  };
}

export interface GenerateOptions {
  readonly seed: number;
  readonly opCount: number;
  readonly clientCount: number;
  readonly keyCount: number;
  /** Longest op, in µs; ops last 1..maxDurationUs and start 0..maxGapUs after the client's last. */
  readonly maxDurationUs?: number;
  readonly maxGapUs?: number;
}

/** A linearizable history of `opCount` reads and writes (about half each), initial value null. */
export function generateRegisterHistory(options: GenerateOptions): Operation[] {
  const next = integerSource(options.seed);
  const maxDuration = options.maxDurationUs ?? 2_000;
  const maxGap = options.maxGapUs ?? 1_000;
  const clientFree = new Array<number>(options.clientCount).fill(0);
  interface Planned {
    op: Omit<Operation, 'result'>;
    atUs: number;
  }
  const planned: Planned[] = [];
  for (let id = 0; id < options.opCount; id++) {
    const client = next(options.clientCount);
    const invokeUs = (clientFree[client] as number) + next(maxGap + 1);
    const completeUs = invokeUs + 1 + next(maxDuration);
    clientFree[client] = completeUs;
    const isWrite = next(2) === 0;
    const op = {
      id,
      client: `c${client + 1}`,
      key: `k${next(options.keyCount) + 1}`,
      kind: isWrite ? ('write' as const) : ('read' as const),
      ...(isWrite ? { value: id + 1 } : {}),
      invokeUs,
      completeUs,
    };
    // The instant the store applies it: anywhere inside the op's interval.
    planned.push({ op, atUs: invokeUs + next(completeUs - invokeUs + 1) });
  }
  planned.sort((a, b) => a.atUs - b.atUs || a.op.id - b.op.id);
  const store = new Map<string, number | null>();
  const ops: Operation[] = [];
  for (const { op } of planned) {
    if (op.kind === 'write') {
      store.set(op.key, op.value as number);
      ops.push(op);
    } else ops.push({ ...op, result: store.get(op.key) ?? null });
  }
  return ops.sort((a, b) => a.invokeUs - b.invokeUs || a.id - b.id);
}

/**
 * The same history with one stale read: a read that began after two writes to its key had been
 * acknowledged one after the other now returns the older one. Null when there is no such read.
 */
export function injectStaleRead(
  ops: readonly Operation[],
): { ops: Operation[]; readId: number } | null {
  for (let i = ops.length - 1; i >= 0; i--) {
    const read = ops[i] as Operation;
    if (read.kind !== 'read') continue;
    const before = ops.filter(
      (op) =>
        op.kind === 'write' &&
        op.key === read.key &&
        op.completeUs !== null &&
        op.completeUs < read.invokeUs,
    );
    const older = before.find((a) =>
      before.some((b) => b !== a && a.completeUs !== null && a.completeUs < b.invokeUs),
    );
    if (older === undefined) continue;
    return {
      ops: ops.map((op) => (op === read ? { ...op, result: older.value ?? null } : op)),
      readId: read.id,
    };
  }
  return null;
}
