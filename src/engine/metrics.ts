import { cloneData } from './clone.ts';
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
  recent: number[];
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
  private pending: MetricSample[] = [];

  constructor(specs: readonly MetricSpec[]) {
    this.specs = specs;
    this.indexByName = new Map(specs.map((spec, index) => [spec.name, index]));
    this.states = specs.map(() => ({ count: 0, sum: 0, max: -Infinity, last: 0, recent: [] }));
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
    if (state.recent.length < metricSamplesMax) state.recent.push(value);
    else state.recent[state.count % metricSamplesMax] = value;
    // Nobody may drain (a headless run): past the cap, keep only the newest half rather than
    // shifting the array on every sample.
    if (this.pending.length >= pendingSamplesMax)
      this.pending = this.pending.slice(pendingSamplesMax / 2);
    this.pending.push({ metric: index, timeUs, value });
  }

  /** Samples recorded since the last call (for the next frame). */
  drain(): MetricSample[] {
    const drained = this.pending;
    this.pending = [];
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

  snapshot(): MetricState[] {
    return cloneData(this.states);
  }

  restore(snapshot: MetricState[]): void {
    this.states = cloneData(snapshot);
    this.pending = [];
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
      return percentile(state.recent, 0.5);
    case 'p99':
      return percentile(state.recent, 0.99);
    default: {
      const unknownAggregate: never = aggregate;
      throw new Error(`unknown aggregate ${String(unknownAggregate)}`);
    }
  }
}

/** Nearest-rank percentile of `values` (copied, not reordered). */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}
