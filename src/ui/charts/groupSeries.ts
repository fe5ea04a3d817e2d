import type { Series } from '../state/store.ts';

/**
 * Data for the charts that draw several metrics together: bars of their latest values (keys per
 * shard) and a stacked area over time (traffic share per implementation).
 */

/** One bar: its label and the metric's latest sample (null before the first). */
export interface BarDatum {
  readonly label: string;
  readonly value: number | null;
}

export function latestBars(
  bars: readonly { readonly metric: string; readonly label: string }[],
  series: Readonly<Record<string, Series>>,
): BarDatum[] {
  return bars.map((bar) => {
    const values = series[bar.metric]?.values ?? [];
    return { label: bar.label, value: values.length === 0 ? null : (values.at(-1) ?? null) };
  });
}

/** One time of a stacked chart: seconds, and each layer's value (0 before its first sample). */
export interface StackedRow {
  readonly t: number;
  readonly values: readonly number[];
}

/**
 * The layers' samples on one time axis: every time any layer has a sample, each layer holding
 * its latest value at or before it. Monitors usually sample a group together, so the times
 * mostly coincide; holding values keeps the stack correct when they do not.
 */
export function stackedRows(layers: readonly (Series | undefined)[]): StackedRow[] {
  const times = new Set<number>();
  for (const layer of layers) for (const time of layer?.times ?? []) times.add(time);
  const ordered = [...times].sort((a, b) => a - b);
  const cursors = layers.map(() => 0);
  const held = layers.map(() => 0);
  return ordered.map((time) => {
    layers.forEach((layer, index) => {
      const layerTimes = layer?.times ?? [];
      let cursor = cursors[index] ?? 0;
      while (cursor < layerTimes.length && (layerTimes[cursor] ?? 0) <= time) {
        held[index] = layer?.values[cursor] ?? 0;
        cursor++;
      }
      cursors[index] = cursor;
    });
    return { t: time / 1_000_000, values: [...held] };
  });
}
