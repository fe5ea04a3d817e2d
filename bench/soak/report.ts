/** What one part of the soak found: every failure as a line that says how to reproduce it. */
export interface PartOutcome {
  readonly failures: readonly string[];
}

/** Prints one line of a part's figures, prefixed with the part's name. */
export function say(part: string, text: string): void {
  console.log(`${`[${part}]`.padEnd(17)} ${text}`);
}

/** Milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The value at quantile q of an ascending list (nearest rank); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** p50, p95 and max of a list of milliseconds, as text. */
export function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const format = (value: number): string => value.toFixed(1);
  return `p50 ${format(quantile(sorted, 0.5))} ms, p95 ${format(quantile(sorted, 0.95))} ms, max ${format(sorted[sorted.length - 1] ?? Number.NaN)} ms (n=${sorted.length})`;
}
