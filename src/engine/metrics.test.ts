import { describe, expect, it } from 'vitest';
import { MetricStore, metricSamplesMax } from './metrics.ts';
import type { MetricSpec } from './types.ts';

const specs: MetricSpec[] = [
  { name: 'latency', unit: 'ms', description: 'p99 latency', aggregate: 'p99' },
  { name: 'median', unit: 'ms', description: 'p50 latency', aggregate: 'p50' },
];

/** A value sequence that is not sorted, so which samples the ring keeps matters. */
const valueAt = (i: number): number => (i * 7919) % 10_007;

function fill(store: MetricStore, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    store.record(0, i, valueAt(i));
    store.record(1, i, valueAt(i) / 2);
  }
}

describe('MetricStore snapshots', () => {
  it('a restored store goes on exactly as the original, past the ring wrapping, and the snapshot never changes', () => {
    const straight = new MetricStore(specs);
    fill(straight, 0, 3 * metricSamplesMax);

    const original = new MetricStore(specs);
    fill(original, 0, metricSamplesMax - 100);
    const snapshot = original.snapshot();
    const finalsAtSnapshot = (() => {
      const probe = new MetricStore(specs);
      probe.restore(snapshot);
      return probe.finals();
    })();
    // The original writes on into chunks the snapshot shares, through the wrap.
    fill(original, metricSamplesMax - 100, 3 * metricSamplesMax);
    const restored = new MetricStore(specs);
    restored.restore(snapshot);
    expect(restored.finals()).toEqual(finalsAtSnapshot);
    fill(restored, metricSamplesMax - 100, 3 * metricSamplesMax);

    expect(original.finals()).toEqual(straight.finals());
    expect(restored.finals()).toEqual(straight.finals());
    const again = new MetricStore(specs);
    again.restore(snapshot);
    expect(again.finals()).toEqual(finalsAtSnapshot);
  });

  it('percentiles are of the most recent samples only', () => {
    const store = new MetricStore([specs[0] as MetricSpec]);
    for (let i = 0; i < metricSamplesMax; i++) store.record(0, i, 1_000);
    for (let i = 0; i < metricSamplesMax; i++) store.record(0, i, 1);
    expect(store.finals()[0]?.value).toBe(1);
  });
});
