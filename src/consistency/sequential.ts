import { byInvocation, compareStrings, endUs, type Operation } from './history.ts';
import { impossible, type Model } from './models.ts';
import { ConfigurationCache, hashInts } from './search.ts';
import { defaultBudget, type SearchOptions, type SearchResult } from './linearizability.ts';

/** Earliest answered first, unanswered last: close to real time. */
function byCompletion(a: Operation, b: Operation): number {
  const a1 = endUs(a);
  const b1 = endUs(b);
  return a1 === b1 ? byInvocation(a, b) : a1 < b1 ? -1 : 1;
}

/**
 * Sequential consistency: some single order of all the operations, keeping each client's own
 * order (not real time), in which every operation is legal for the model. Unlike
 * linearizability it is not compositional (each key sequentially consistent does not make the
 * whole so), so the search covers the whole history at once: depth-first over "which client's
 * next operation goes next", trying the earliest answered first, skipping configurations
 * already explored (how far each client is, which unanswered ops took effect, every key's
 * state), within a step budget. A wrong early choice found out late costs a lot of
 * backtracking: on thousands of ops from many clients it can give up even on a linearizable
 * history, which is why `checkConsistency` asks linearizability first.
 *
 * An unanswered op (outcome unknown) may take effect at any point after its client's earlier
 * ops, or never; it does not hold up its client's later ops, which the client sent after giving
 * up on it.
 */
export function searchSequential<S>(
  history: readonly Operation[],
  model: Model<S>,
  options: SearchOptions = {},
): SearchResult {
  const budget = options.budget ?? defaultBudget;
  const ops = history.slice().sort(byInvocation);
  const partitions = model.partition(ops);
  const partOf = new Map<Operation, number>();
  partitions.forEach((part, index) => {
    for (const op of part) partOf.set(op, index);
  });
  const clients = [...new Set(ops.map((op) => op.client))].sort(compareStrings);
  const clientIndex = new Map(clients.map((client, index) => [client, index]));
  const queues: Operation[][] = clients.map(() => []);
  const pending: { op: Operation; client: number; after: number }[] = [];
  for (const op of ops) {
    const client = clientIndex.get(op.client) ?? 0;
    const queue = queues[client] as Operation[];
    if (op.completeUs === null) pending.push({ op, client, after: queue.length });
    else queue.push(op);
  }
  const total = ops.length - pending.length;
  if (total === 0) return { status: 'ok', steps: 0, order: [] };

  // The configuration, as integers: how far each client is, which unanswered ops took effect,
  // and each key's state as a number (states interned per key). Positions and pending flags
  // are views into it, so it is always current.
  const configuration = new Int32Array(clients.length + pending.length + partitions.length);
  const positions = configuration.subarray(0, clients.length);
  const placedPending = configuration.subarray(clients.length, clients.length + pending.length);
  const stateIds = configuration.subarray(clients.length + pending.length);
  const states: S[] = partitions.map(() => model.init());
  const interned = partitions.map(() => new Map<string, number>());
  const intern = (part: number, state: S): number => {
    const table = interned[part] as Map<string, number>;
    const key = model.stateKey(state);
    let id = table.get(key);
    if (id === undefined) {
      id = table.size;
      table.set(key, id);
    }
    return id;
  };
  states.forEach((state, part) => {
    stateIds[part] = intern(part, state);
  });
  const seen = new ConfigurationCache(configuration.length);
  let placedCount = 0;

  /** A candidate: a client's next answered op (index ≥ 0) or pending op -1 - i. */
  const candidates = (): number[] => {
    const list: number[] = [];
    for (let c = 0; c < clients.length; c++)
      if ((positions[c] as number) < (queues[c] as Operation[]).length) list.push(c);
    pending.forEach((entry, i) => {
      if (placedPending[i] === 0 && (positions[entry.client] as number) >= entry.after)
        list.push(-1 - i);
    });
    return list.sort((a, b) => byCompletion(opOf(a), opOf(b)));
  };
  const opOf = (candidate: number): Operation =>
    candidate >= 0
      ? ((queues[candidate] as Operation[])[positions[candidate] as number] as Operation)
      : (pending[-1 - candidate] as { op: Operation }).op;

  interface Frame {
    readonly options: number[];
    next: number;
    applied: { candidate: number; op: Operation; part: number; state: S; stateId: number } | null;
  }
  const frames: Frame[] = [{ options: candidates(), next: 0, applied: null }];
  let longest: number[] = [];
  let steps = 0;
  const pathOrder = (): number[] =>
    frames.flatMap((frame) => (frame.applied === null ? [] : [frame.applied.op.id]));

  while (frames.length > 0) {
    if (++steps > budget) return { status: 'gave-up', steps: budget, order: longest };
    const frame = frames[frames.length - 1] as Frame;
    if (frame.applied !== null) {
      const { candidate, part, state, stateId } = frame.applied;
      states[part] = state;
      stateIds[part] = stateId;
      if (candidate >= 0) positions[candidate] = (positions[candidate] as number) - 1;
      else placedPending[-1 - candidate] = 0;
      if (candidate >= 0) placedCount--;
      frame.applied = null;
    }
    if (frame.next >= frame.options.length) {
      // Frames below this one each hold one placed op.
      if (frames.length - 1 > longest.length) longest = pathOrder();
      frames.pop();
      continue;
    }
    const candidate = frame.options[frame.next++] as number;
    const op = opOf(candidate);
    const part = partOf.get(op) ?? 0;
    const nextState = model.step(states[part] as S, op);
    if (nextState === impossible) continue;
    frame.applied = { candidate, op, part, state: states[part] as S, stateId: stateIds[part] ?? 0 };
    states[part] = nextState;
    stateIds[part] = intern(part, nextState);
    if (candidate >= 0) {
      positions[candidate] = (positions[candidate] as number) + 1;
      if (++placedCount === total) return { status: 'ok', steps, order: pathOrder() };
    } else placedPending[-1 - candidate] = 1;
    if (!seen.add(hashInts(configuration), configuration)) continue;
    frames.push({ options: candidates(), next: 0, applied: null });
  }
  return { status: 'violated', steps, order: longest };
}
