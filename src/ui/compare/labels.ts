import type { InvariantResult } from '../../engine/invariants.ts';
import { valueText } from '../../engine/paramText.ts';
import type { MetricSpec, RunDescription } from '../../engine/types.ts';
import { chartData, type ChartData } from '../charts/metricSeries.ts';
import { seriesUpTo, type Series } from '../state/store.ts';
import type { SideInfo } from './protocol.ts';
import { choiceOf } from './sideChoice.ts';

/**
 * How a side is named on the compare page: the pattern by its title, the baseline by what it
 * does instead ("Baseline: no breaker"), a changed parameter by its value (by name, for a value
 * that names something), and two runs that differ only in their commands by how many each has.
 */
export function sideLabel(info: SideInfo | null, other: SideInfo | null): string {
  if (info === null) return 'Not loaded';
  const { meta, run } = info;
  const name = run.variant === 'baseline' ? `Baseline: ${meta.baselineLabel}` : meta.title;
  // The same run but for its commands (a shrunk run beside its original): say how many each has.
  if (other !== null && isSameButCommands(run, other.run)) {
    const count = run.commands.length;
    return `${name}, ${String(count)} ${count === 1 ? 'command' : 'commands'}`;
  }
  if (run.variant === 'baseline') return name;
  const choice = other === null ? null : choiceOf(other.run, run);
  if (choice?.kind === 'param') {
    const spec = meta.params[choice.key];
    // Said as the form says it: "Placement strategy = range partitioning", "Timeout = 250 ms".
    const value = spec === undefined ? String(choice.value) : valueText(spec, choice.value);
    return `${meta.title}, ${spec?.label ?? choice.key} = ${value}`;
  }
  return name;
}

function isSameButCommands(a: RunDescription, b: RunDescription): boolean {
  return (
    a.scenarioId === b.scenarioId &&
    a.variant === b.variant &&
    a.seed === b.seed &&
    a.commands.length !== b.commands.length &&
    Object.keys({ ...a.params, ...b.params }).every((key) => a.params[key] === b.params[key])
  );
}

/** A side's invariants in a few words: safety first, since a violation there is a bug. */
export interface InvariantSummary {
  readonly tone: 'ok' | 'warn' | 'bad';
  readonly text: string;
}

/** Summarises a side's invariant results for the compare page. */
export function invariantSummary(results: readonly InvariantResult[]): InvariantSummary {
  const violated = results.filter((result) => result.status === 'violated');
  const safety = violated.filter((result) => result.kind === 'safety').map((result) => result.id);
  const liveness = violated.filter((result) => result.kind === 'liveness').map((r) => r.id);
  if (safety.length > 0) return { tone: 'bad', text: `Safety violated: ${safety.join(', ')}` };
  if (liveness.length > 0)
    return { tone: 'warn', text: `Safety ok; liveness violated: ${liveness.join(', ')}` };
  const pending = results.filter((result) => result.status === 'pending').length;
  return {
    tone: 'ok',
    text: pending > 0 ? `Safety ok; ${pending} liveness pending` : 'Safety ok; liveness ok',
  };
}

/** A metric both sides have, with each side's spec (matched by name). */
export interface SharedMetric {
  readonly name: string;
  readonly a: MetricSpec;
  readonly b: MetricSpec;
}

/** The metrics both sides report, in side a's order. */
export function sharedMetrics(a: SideInfo | null, b: SideInfo | null): SharedMetric[] {
  if (a === null || b === null) return [];
  const shared: SharedMetric[] = [];
  for (const spec of a.meta.metrics) {
    const other = b.meta.metrics.find((candidate) => candidate.name === spec.name);
    if (other !== undefined) shared.push({ name: spec.name, a: spec, b: other });
  }
  return shared;
}

/** What a metric's chart shows for a side at `timeUs`. */
export function metricAt(spec: MetricSpec, series: Series | undefined, timeUs: number): ChartData {
  const shown = series === undefined ? undefined : seriesUpTo({ s: series }, timeUs).s;
  return chartData(spec.aggregate, shown);
}

/** The figure a metric's table cell shows: its percentile for p50/p99, else the latest value. */
export function headlineOf(data: ChartData): number | null {
  return data.percentile?.value ?? data.latest;
}
