import { checkConsistency } from '../consistency/check.ts';
import { formatSeconds, type Operation } from '../consistency/history.ts';
import type { ModelName, Verdict } from '../consistency/verdict.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Scenario } from '../scenarios/define.ts';
import { historySpecOf, scenariosWithHistories } from '../scenarios/histories.ts';
import { UsageError, type ParsedArgs } from './args.ts';

/*
 * `sim run … --check consistency`: after the run, the consistency checkers (src/consistency) on
 * the history the scenario's clients recorded, one verdict per model, and whether a model the
 * scenario promises with these settings (src/scenarios/histories.ts) was violated.
 */

/** Violations printed per model; the rest are counted. */
const violationsShownMax = 3;

/** What `--check` asked for: null when absent. Throws a UsageError on anything else. */
export function consistencyCheckOf(args: ParsedArgs, scenario: Scenario): 'consistency' | null {
  const check = args.values.get('--check');
  if (check === undefined) return null;
  if (check !== 'consistency') {
    throw new UsageError(`--check accepts "consistency", got "${check}".`);
  }
  if (historySpecOf(scenario.id) === null) {
    throw new UsageError(
      `${scenario.title} records no client operations; --check consistency applies to ${scenariosWithHistories.join(', ')}.`,
    );
  }
  return check;
}

/** One model's verdict, with the operations its witnesses name. */
export interface ConsistencyReport {
  readonly scenarioId: string;
  readonly operations: number;
  readonly unanswered: number;
  readonly promised: readonly ModelName[];
  readonly verdicts: readonly Verdict[];
  /** Every operation a witness names, in invocation order. */
  readonly witnessOps: readonly Operation[];
  /** Promised models that were violated. */
  readonly broken: readonly ModelName[];
}

/** Runs the checkers on the run's history (the scenario must record one). */
export function checkRunConsistency(sim: Simulation): ConsistencyReport {
  const spec = historySpecOf(sim.model.id);
  if (spec === null) throw new UsageError(`${sim.model.title} records no client operations.`);
  const ops = spec.history(sim);
  const verdicts = checkConsistency(ops, spec.check);
  const promised = spec.promises(sim.params, sim.describe().variant);
  const named = new Set<number>();
  for (const verdict of verdicts)
    for (const violation of verdict.violations) for (const id of violation.ops) named.add(id);
  return {
    scenarioId: sim.model.id,
    operations: ops.length,
    unanswered: ops.filter((op) => op.completeUs === null).length,
    promised,
    verdicts,
    witnessOps: ops.filter((op) => named.has(op.id)),
    broken: verdicts
      .filter((verdict) => verdict.status === 'violated' && promised.includes(verdict.model))
      .map((verdict) => verdict.model),
  };
}

const statusWords: Readonly<Record<Verdict['status'], string>> = {
  ok: 'ok',
  violated: 'violated',
  'gave-up': 'gave up',
  inapplicable: 'inapplicable',
};

/** The report as text: one line per model, then each shown violation with its witnesses. */
export function formatConsistency(report: ConsistencyReport): string {
  const byId = new Map(report.witnessOps.map((op) => [op.id, op]));
  const lines = [
    `consistency: ${report.operations} operations (${report.unanswered} unanswered); promised: ${report.promised.join(', ') || 'none'}`,
  ];
  for (const verdict of report.verdicts) {
    const isPromised = report.promised.includes(verdict.model);
    const mark = verdict.status === 'violated' && isPromised ? '  (promised)' : '';
    lines.push(`  ${verdict.model.padEnd(20)} ${statusWords[verdict.status]}${mark}`);
    if (verdict.note !== null) lines.push(`    ${verdict.note}`);
    for (const violation of verdict.violations.slice(0, violationsShownMax)) {
      lines.push(`    ${violation.sentence}`);
      const witnesses = violation.ops.map((id) => describeOp(byId.get(id), id));
      lines.push(`      witnesses: ${witnesses.join('; ')}`);
    }
    const more = verdict.violations.length - violationsShownMax;
    if (more > 0) lines.push(`    … and ${more} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** What an op did: "read k1 → 56", "write k1 ← 7", "withdraw acct-1 70 → rejected". */
function actionOf(op: Operation): string {
  switch (op.kind) {
    case 'read':
      return `read ${op.key} → ${JSON.stringify(op.result)}`;
    case 'deposit':
    case 'withdraw':
      return `${op.kind} ${op.key} ${JSON.stringify(op.value)} → ${typeof op.result === 'string' ? op.result : 'unknown'}`;
    case 'write':
    case 'append':
      return `${op.kind} ${op.key} ← ${JSON.stringify(op.value)}`;
  }
}

/** "#14 c3 read k1 → 56, 7.27 s to 7.31 s" */
function describeOp(op: Operation | undefined, id: number): string {
  if (op === undefined) return `#${id}`;
  const what = actionOf(op);
  const end = op.completeUs === null ? 'unanswered' : formatSeconds(op.completeUs);
  return `#${op.id} ${op.client} ${what}, ${formatSeconds(op.invokeUs)} to ${end}`;
}

/** The report as JSON (the `consistency` field of `run --json`). */
export function consistencyJson(report: ConsistencyReport): unknown {
  return {
    operations: report.operations,
    unanswered: report.unanswered,
    promised: report.promised,
    brokenPromises: report.broken,
    verdicts: report.verdicts.map((verdict) => ({
      model: verdict.model,
      status: verdict.status,
      isPromised: report.promised.includes(verdict.model),
      note: verdict.note,
      violations: verdict.violations.map((violation) => ({
        key: violation.key,
        sentence: violation.sentence,
        ops: violation.ops,
      })),
    })),
    witnessOps: report.witnessOps,
  };
}
