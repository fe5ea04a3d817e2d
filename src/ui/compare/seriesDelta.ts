import { countUpTo, seriesPointsMax, seriesUpTo, type Series } from '../state/store.ts';
import type { SeriesDelta } from './protocol.ts';

/*
 * A side sends its metric samples to the compare page as deltas. The side's store holds every
 * sample up to `seriesKnownUs`; a fork (a command in the past) cuts it back to the run's
 * frontier, and a new run starts it over. So between two store states nothing at or before
 * min(old known, new known, frontier) changed, and everything after that point is resent.
 */

/** The state a delta is computed from: the side store's series and how far they are known. */
export interface SeriesState {
  readonly series: Readonly<Record<string, Series>>;
  readonly seriesKnownUs: number;
  readonly frontierUs: number;
}

/** The time up to which nothing changed between two states. */
export function unchangedUpToUs(previous: SeriesState, next: SeriesState): number {
  return Math.min(previous.seriesKnownUs, next.seriesKnownUs, next.frontierUs);
}

/** The delta that takes a copy of `previous` to `next`, or null when nothing changed. */
export function seriesDelta(previous: SeriesState, next: SeriesState): SeriesDelta | null {
  const afterUs = unchangedUpToUs(previous, next);
  const isCut = afterUs < previous.seriesKnownUs;
  if (!isCut && next.series === previous.series) return null;
  const samples: Record<string, Series> = {};
  for (const [name, entry] of Object.entries(next.series)) {
    const from = countUpTo(entry.times, afterUs);
    if (from < entry.times.length)
      samples[name] = { times: entry.times.slice(from), values: entry.values.slice(from) };
  }
  if (!isCut && Object.keys(samples).length === 0) return null;
  return { afterUs, samples };
}

/** Applies a delta to the compare page's copy of a side's series (capped like the side's). */
export function applySeriesDelta(
  series: Readonly<Record<string, Series>>,
  delta: SeriesDelta,
): Readonly<Record<string, Series>> {
  const base = delta.afterUs < 0 ? {} : seriesUpTo(series, delta.afterUs);
  const next: Record<string, Series> = { ...base };
  for (const [name, added] of Object.entries(delta.samples)) {
    const old = base[name];
    const times = [...(old?.times ?? []), ...added.times];
    const values = [...(old?.values ?? []), ...added.values];
    const excess = Math.max(0, times.length - seriesPointsMax);
    next[name] = { times: times.slice(excess), values: values.slice(excess) };
  }
  return next;
}
