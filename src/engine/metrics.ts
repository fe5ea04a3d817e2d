import { SimError } from './errors.ts';
import type { MetricSpec } from './types.ts';

/** Samples kept per metric for percentiles: the most recent ones (a bounded buffer). */
export const metricSamplesMax = 20_000;
/** Samples queued for the next frame before the oldest are dropped. */
export const pendingSamplesMax = 50_000;

interface MetricState {
  count: number;
  sum: number;
  max: number;
  last: number;
  /**
   * The most recent samples (up to `metricSamplesMax`) in chunks of `chunkSize`, filled in
   * order and then overwritten in place as a ring. Checkpoints share the chunks: a chunk that a
   * checkpoint also holds is copied before its first write (`owned` says which are this
   * store's own), so a checkpoint costs a few pointers per metric instead of 20,000 numbers.
   */
  chunks: Float64Array[];
  owned: boolean[];
  /** Samples held (the used length across the chunks). */
  recentLength: number;
}

const chunkBits = 10;
const chunkSize = 1 << chunkBits;

function newMetricState(): MetricState {
  return { count: 0, sum: 0, max: -Infinity, last: 0, chunks: [], owned: [], recentLength: 0 };
}

/** A copy that shares every chunk (neither side may write one without copying it first). */
function shareMetricState(state: MetricState): MetricState {
  state.owned.fill(false);
  return { ...state, chunks: state.chunks.slice(), owned: state.owned.slice() };
}

/** Writes one sample at `position` of the ring, copying a shared chunk first. */
function writeSample(state: MetricState, position: number, value: number): void {
  const index = position >> chunkBits;
  let chunk = state.chunks[index];
  if (chunk === undefined) {
    chunk = new Float64Array(chunkSize);
    state.chunks[index] = chunk;
    state.owned[index] = true;
  } else if (state.owned[index] !== true) {
    chunk = chunk.slice();
    state.chunks[index] = chunk;
    state.owned[index] = true;
  }
  chunk[position & (chunkSize - 1)] = value;
}

/** The samples held, in one array (order does not matter to percentiles). */
function recentSamples(state: MetricState): Float64Array {
  const out = new Float64Array(state.recentLength);
  for (let i = 0; i < state.chunks.length; i++) {
    const chunk = state.chunks[i] as Float64Array;
    const start = i * chunkSize;
    const length = Math.min(chunkSize, state.recentLength - start);
    if (length > 0) out.set(length === chunkSize ? chunk : chunk.subarray(0, length), start);
  }
  return out;
}

/** A metric's values as the CLI prints them. */
export interface MetricFinal {
  readonly name: string;
  readonly unit: string;
  readonly aggregate: MetricSpec['aggregate'];
  /** Null when the metric was never recorded. */
  readonly value: number | null;
  readonly count: number;
}

/** One recorded sample, for frames and charts. */
export interface MetricSample {
  readonly metric: number;
  readonly timeUs: number;
  readonly value: number;
}

/** Aggregates metric samples; every buffer in it is capped. */
export class MetricStore {
  readonly specs: readonly MetricSpec[];
  private readonly indexByName: Map<string, number>;
  private states: MetricState[];
  /**
   * Samples recorded since the last drain, as parallel typed arrays: a headless run never
   * drains, and one object per sample was most of its garbage.
   */
  private pendingMetrics = new Int32Array(256);
  private pendingTimes = new Float64Array(256);
  private pendingValues = new Float64Array(256);
  private pendingLength = 0;

  constructor(specs: readonly MetricSpec[]) {
    this.specs = specs;
    this.indexByName = new Map(specs.map((spec, index) => [spec.name, index]));
    this.states = specs.map(newMetricState);
  }

  /** Index of a metric by name; throws for a name the scenario did not declare. */
  indexOf(name: string): number {
    const index = this.indexByName.get(name);
    if (index === undefined) {
      throw new SimError('scenario-bug', `Metric "${name}" is recorded but not declared.`);
    }
    return index;
  }

  /** Adds one sample. */
  record(index: number, timeUs: number, value: number): void {
    const state = this.states[index];
    if (state === undefined) throw new SimError('scenario-bug', `No metric #${index}.`);
    state.count++;
    state.sum += value;
    if (value > state.max) state.max = value;
    state.last = value;
    if (state.recentLength < metricSamplesMax) writeSample(state, state.recentLength++, value);
    else writeSample(state, state.count % metricSamplesMax, value);
    this.queuePending(index, timeUs, value);
  }

  private queuePending(index: number, timeUs: number, value: number): void {
    let at = this.pendingLength;
    if (at >= pendingSamplesMax) {
      // Nobody may drain (a headless run): past the cap, keep only the newest half rather than
      // shifting on every sample.
      const half = pendingSamplesMax / 2;
      this.pendingMetrics.copyWithin(0, half, at);
      this.pendingTimes.copyWithin(0, half, at);
      this.pendingValues.copyWithin(0, half, at);
      at -= half;
    } else if (at === this.pendingMetrics.length) {
      const capacity = Math.min(pendingSamplesMax, at * 2);
      this.pendingMetrics = grow(this.pendingMetrics, new Int32Array(capacity));
      this.pendingTimes = grow(this.pendingTimes, new Float64Array(capacity));
      this.pendingValues = grow(this.pendingValues, new Float64Array(capacity));
    }
    this.pendingMetrics[at] = index;
    this.pendingTimes[at] = timeUs;
    this.pendingValues[at] = value;
    this.pendingLength = at + 1;
  }

  /** Samples waiting for the next frame. */
  get pendingCount(): number {
    return this.pendingLength;
  }

  /** Samples recorded since the last call (for the next frame). */
  drain(): MetricSample[] {
    const drained: MetricSample[] = [];
    for (let i = 0; i < this.pendingLength; i++) {
      drained.push({
        metric: this.pendingMetrics[i] as number,
        timeUs: this.pendingTimes[i] as number,
        value: this.pendingValues[i] as number,
      });
    }
    this.pendingLength = 0;
    return drained;
  }

  /** Every metric's summary value by its aggregate. */
  finals(): MetricFinal[] {
    return this.specs.map((spec, index) => {
      const state = this.states[index] as MetricState;
      return {
        name: spec.name,
        unit: spec.unit,
        aggregate: spec.aggregate,
        value: state.count === 0 ? null : aggregateValue(spec.aggregate, state),
        count: state.count,
      };
    });
  }

  snapshot(): readonly MetricState[] {
    return this.states.map(shareMetricState);
  }

  restore(snapshot: readonly MetricState[]): void {
    // The snapshot stays untouched: this store copies each chunk before writing to it.
    this.states = snapshot.map((state) => ({
      ...state,
      chunks: state.chunks.slice(),
      owned: state.chunks.map(() => false),
    }));
    this.pendingLength = 0;
  }
}

function aggregateValue(aggregate: MetricSpec['aggregate'], state: MetricState): number {
  switch (aggregate) {
    case 'last':
      return state.last;
    case 'sum':
      return state.sum;
    case 'mean':
      return state.sum / state.count;
    case 'max':
      return state.max;
    case 'count':
      return state.count;
    case 'p50':
      return percentile(recentSamples(state), 0.5);
    case 'p99':
      return percentile(recentSamples(state), 0.99);
    default: {
      const unknownAggregate: never = aggregate;
      throw new Error(`unknown aggregate ${String(unknownAggregate)}`);
    }
  }
}

/** Nearest-rank percentile of `values` (copied, not reordered). */
export function percentile(values: ArrayLike<number>, fraction: number): number {
  if (values.length === 0) return Number.NaN;
  // Numeric order on a copy.
  const sorted = Float64Array.from(values).sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
