/*
 * The panel's pure helpers: the experiment's share link (query parameters, so the run's own
 * fragment stays as it is) and what a point's button says.
 */
import type { ExperimentPoint, ExperimentResult } from '../../experiments/run.ts';

/** Seeds a person may ask for in the page (the CLI goes further). */
export const pageSeedsMax = 50;

/** The query parameters of an experiment's share link: `?experiment=<id>&seeds=<n>`. */
const experimentQueryKey = 'experiment';
const seedsQueryKey = 'seeds';

/** The experiment and seeds a share link asks for, or null. */
export function linkedExperiment(search: string): { id: string; seeds: number | null } | null {
  const query = new URLSearchParams(search);
  const id = query.get(experimentQueryKey);
  if (id === null || id === '') return null;
  const seeds = Number(query.get(seedsQueryKey));
  return { id, seeds: Number.isInteger(seeds) && seeds > 0 ? seeds : null };
}

/** The link that opens this panel on `id` with `seeds` and runs it, keeping the run's fragment. */
export function experimentLink(
  location: Pick<Location, 'origin' | 'pathname' | 'search' | 'hash'>,
  id: string,
  seeds: number,
): string {
  const query = new URLSearchParams(location.search);
  query.set(experimentQueryKey, id);
  query.set(seedsQueryKey, String(seeds));
  return `${location.origin}${location.pathname}?${query.toString()}${location.hash}`;
}

/** Four significant digits: enough to read a point, short enough to hear. */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : '—';
}

/** What a point's button says: series, x, mean, interval, seeds. */
export function pointLabel(
  result: ExperimentResult,
  seriesLabel: string,
  point: ExperimentPoint,
): string {
  const { x, y } = result.experiment;
  const interval = point.y.n > 1 ? ` ± ${numberText(point.y.ci95)}` : '';
  return `${seriesLabel}, ${x.label} ${numberText(point.x)} ${x.unit}: ${y.label} ${numberText(point.y.mean)}${interval} ${y.unit} over ${point.y.n} seeds. Open its seed-1 run.`;
}
