import { checkConsistency } from '../../consistency/check.ts';
import type { ModelName, VerdictStatus } from '../../consistency/verdict.ts';
import { chaosScheduleFor } from '../../engine/chaos.ts';
import type { RecordedCommand, ScenarioModel, Variant } from '../../engine/types.ts';
import { historySpecOf } from '../histories.ts';
import { runFor, startRun } from './runKit.ts';

/**
 * A scenario's consistency table, computed from runs: one row per setting (variant,
 * parameters, faults), one column per model, each cell what the checkers said on the row's
 * seeds. Each scenario's consistency test computes it and compares it with the table its README
 * shows (copied into the test), so the README says what runs do.
 */

export interface TableRow {
  readonly label: string;
  readonly variant?: Variant;
  readonly params?: Readonly<Record<string, number>>;
  /** The engine's chaos schedule for each seed (src/engine/chaos.ts), over the whole run. */
  readonly isChaos?: boolean;
  readonly commands?: readonly RecordedCommand[];
  readonly seeds: readonly number[];
  readonly durationMs: number;
}

export const tableModels: readonly ModelName[] = [
  'linearizable',
  'sequential',
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
];

/** Each model's status on each seed of the row, in seed order. */
export function rowVerdicts(
  model: ScenarioModel,
  row: TableRow,
): Record<ModelName, VerdictStatus[]> {
  const spec = historySpecOf(model.id);
  if (spec === null) throw new Error(`${model.id} records no history`);
  const variant = row.variant ?? 'pattern';
  const params = row.params ?? {};
  const statuses = Object.fromEntries(tableModels.map((name) => [name, []])) as unknown as Record<
    ModelName,
    VerdictStatus[]
  >;
  for (const seed of row.seeds) {
    const commands = row.isChaos
      ? chaosScheduleFor(model, seed, variant, params, row.durationMs * 1000)
      : (row.commands ?? []);
    const sim = startRun(model, seed, { variant, params, commands });
    runFor(sim, row.durationMs);
    for (const verdict of checkConsistency(spec.history(sim), spec.check))
      statuses[verdict.model].push(verdict.status);
  }
  return statuses;
}

/**
 * A cell: "holds" (ok on every seed), "violated" (on every seed), "violated (seeds 3, 5)",
 * with "undecided (seed 2)" appended where the search gave up, and "n/a (seed 4)" where the
 * check did not apply (values written twice on a key); "n/a" alone when it applied to no seed
 * (the session guarantees on accounts).
 */
export function cellOf(statuses: readonly VerdictStatus[], seeds: readonly number[]): string {
  const seedsWith = (status: VerdictStatus): number[] =>
    seeds.filter((_, index) => statuses[index] === status);
  const violated = seedsWith('violated');
  const gaveUp = seedsWith('gave-up');
  const inapplicable = seedsWith('inapplicable');
  const parts: string[] = [];
  if (violated.length === seeds.length) parts.push('violated');
  else if (violated.length > 0) parts.push(`violated (${seedList(violated)})`);
  else if (gaveUp.length + inapplicable.length < seeds.length) parts.push('holds');
  if (gaveUp.length > 0) parts.push(`undecided (${seedList(gaveUp)})`);
  // A check that applies to no seed's history is a property of the scenario, not of its seeds.
  if (inapplicable.length === seeds.length) parts.push('n/a');
  else if (inapplicable.length > 0) parts.push(`n/a (${seedList(inapplicable)})`);
  return parts.join(', ');
}

function seedList(seeds: readonly number[]): string {
  return `${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}`;
}

/** The table as Markdown: a header, then one line per row. */
export function markdownTable(model: ScenarioModel, rows: readonly TableRow[]): string {
  const lines = [
    `| Setting | Seeds | ${tableModels.join(' | ')} |`,
    `| --- | --- | ${tableModels.map(() => '---').join(' | ')} |`,
  ];
  for (const row of rows) {
    const verdicts = rowVerdicts(model, row);
    const cells = tableModels.map((name) => cellOf(verdicts[name], row.seeds));
    lines.push(`| ${row.label} | ${row.seeds.join(', ')} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
