import { availableParallelism } from 'node:os';
import type { FirstViolation, InvariantResult } from '../engine/invariants.ts';
import type { Variant } from '../engine/types.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './cli.ts';
import { type ParsedArgs, integerOption, seedRange, shardOption } from './args.ts';
import { type PlannedRun, planSweep, reproduction, sweepSeedsMax } from './commands.ts';
import { WorkerDiedError, runPool } from './pool.ts';
import { type SweepOutcome, type SweepTask, outcomeError, runSweepTask } from './sweepTask.ts';

/*
 * `sim sweep`: many seeds of one scenario (or all), on every core, optionally one shard of them.
 *
 * Output never depends on how the runs were spread: results are reported in plan order (scenario,
 * then seed), each as soon as every earlier one is in, so `--workers 1` and `--workers 8` print
 * the same lines; only the wall time differs. Shards split the seeds round-robin, so their
 * `--json` outputs merge (`sim merge`, merge.ts) into exactly the unsharded run's output.
 */

/** A module that exports a scenario catalogue, for worker processes to load. */
export interface CatalogueModule {
  readonly url: string;
  readonly exportName: string;
}

/** The registry, as worker processes load it. */
export const defaultCatalogueModule: CatalogueModule = {
  url: new URL('../worker/catalogue.ts', import.meta.url).href,
  exportName: 'scenarioCatalogue',
};

/** Most worker processes `--workers` accepts. */
export const sweepWorkersMax = 256;

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** One scenario of a sweep, as resolved: two shards of the same sweep describe it equally. */
export interface SweepScenario {
  readonly id: string;
  readonly version: number;
  readonly durationMs: number;
  readonly params: Readonly<Record<string, number>>;
}

/** What was swept, independent of sharding, workers and wall time. */
export interface SweepDescription {
  readonly scenarios: readonly SweepScenario[];
  readonly seeds: string;
  readonly variant: Variant;
  readonly chaos: boolean;
}

/** A violated invariant in one run, with the command that reproduces the run. */
export interface SweepFailure {
  readonly scenario: string;
  readonly seed: number;
  readonly invariant: string;
  readonly kind: 'safety' | 'liveness';
  readonly firstViolation: FirstViolation | null;
  readonly reproduce: string;
}

/** A sweep's result; its `--json` form is `reportJson`. */
export interface SweepReport {
  readonly sweep: SweepDescription;
  /** Null for a whole sweep (and a merged one). */
  readonly shard: Shard | null;
  readonly runs: number;
  /** Runs with at least one safety violation. */
  readonly safetyViolations: number;
  /** Runs with at least one liveness miss. */
  readonly livenessMisses: number;
  readonly wallMs: number;
  /** In plan order: scenario, seed, then the scenario's invariant order. */
  readonly failures: readonly SweepFailure[];
}

/** Whether `seed` belongs to `shard` of a sweep starting at `firstSeed`: round-robin. */
export function isInShard(seed: number, firstSeed: number, shard: Shard): boolean {
  return (seed - firstSeed) % shard.count === shard.index - 1;
}

/** The `--json` output of a sweep or a merge: one line. */
export function reportJson(report: SweepReport): string {
  const shard = report.shard === null ? {} : { shard: report.shard };
  return `${JSON.stringify({
    sweep: report.sweep,
    ...shard,
    runs: report.runs,
    safetyViolations: report.safetyViolations,
    livenessMisses: report.livenessMisses,
    wallMs: report.wallMs,
    failures: report.failures,
  })}\n`;
}

/** The text lines of one violated invariant. */
export function failureText(failure: SweepFailure): string {
  const first = failure.firstViolation;
  const where =
    first === null ? '' : ` at ${first.timeUs / 1000} ms (event ${first.event}): ${first.message}`;
  const mark = failure.kind === 'safety' ? '✗' : '!';
  return `${mark} ${failure.scenario} seed ${failure.seed}: ${failure.invariant} (${failure.kind}) violated${where}\n  reproduce: ${failure.reproduce}\n`;
}

/** The last line of the text output. */
export function summaryText(report: SweepReport): string {
  const shard = report.shard === null ? '' : ` (shard ${report.shard.index}/${report.shard.count})`;
  return `swept ${report.runs} runs${shard} in ${(report.wallMs / 1000).toFixed(1)} s: ${report.safetyViolations} with safety violations, ${report.livenessMisses} with liveness misses\n`;
}

function describeSweep(plans: readonly PlannedRun[], args: ParsedArgs): SweepDescription {
  const { first, last } = seedRange(args.values.get('--seeds') ?? '', sweepSeedsMax);
  const scenarios = new Map<string, SweepScenario>();
  for (const plan of plans) {
    if (scenarios.has(plan.scenario.id)) continue;
    scenarios.set(plan.scenario.id, {
      id: plan.scenario.id,
      version: plan.scenario.version,
      durationMs: plan.durationUs / 1000,
      params: plan.request.params,
    });
  }
  return {
    scenarios: [...scenarios.values()],
    seeds: `${first}..${last}`,
    variant: args.flags.has('--baseline') ? 'baseline' : 'pattern',
    chaos: args.flags.has('--chaos'),
  };
}

/**
 * How many worker processes: `--workers`, or every core; never more than there are runs. One
 * means in this process, as before `--workers` existed. A catalogue no module exports (a test's)
 * can only run here.
 */
function workerCountOf(
  args: ParsedArgs,
  runCount: number,
  catalogueModule: CatalogueModule | null,
): number {
  const text = args.values.get('--workers');
  const asked = text === undefined ? null : integerOption('--workers', text, 1, sweepWorkersMax);
  if (asked !== null && asked > 1 && catalogueModule === null)
    throw new Error('this scenario catalogue cannot be loaded by worker processes');
  const wanted = asked ?? (catalogueModule === null ? 1 : availableParallelism());
  return Math.max(1, Math.min(wanted, runCount));
}

/** Runs `sim sweep`, printing failures as they come (text) or the report at the end (--json). */
export async function sweep(
  catalogue: ScenarioCatalogue,
  catalogueModule: CatalogueModule | null,
  args: ParsedArgs,
  io: CliIo,
): Promise<SweepReport> {
  const shardText = args.values.get('--shard');
  const shard = shardText === undefined ? null : shardOption(shardText, sweepSeedsMax);
  // Checked before any run, so a bad value fails at once.
  if (args.values.has('--workers')) workerCountOf(args, 1, catalogueModule);
  const allPlans = planSweep(catalogue, args);
  const description = describeSweep(allPlans, args);
  const firstSeed = allPlans[0]?.request.seed ?? 0;
  const plans =
    shard === null
      ? allPlans
      : allPlans.filter((plan) => isInShard(plan.request.seed, firstSeed, shard));
  const isJson = args.flags.has('--json');

  let safetyViolations = 0;
  let livenessMisses = 0;
  const failures: SweepFailure[] = [];
  // Called in plan order, whoever ran the plan.
  const record = (plan: PlannedRun, violated: readonly InvariantResult[]): void => {
    if (violated.some((result) => result.kind === 'safety')) safetyViolations++;
    if (violated.some((result) => result.kind === 'liveness')) livenessMisses++;
    // Every violated invariant gets a line that reproduces it; only safety fails the sweep.
    for (const result of violated) {
      const failure: SweepFailure = {
        scenario: plan.scenario.id,
        seed: plan.request.seed,
        invariant: result.id,
        kind: result.kind,
        firstViolation: result.firstViolation,
        reproduce: reproduction(plan),
      };
      if (isJson) failures.push(failure);
      else io.out(failureText(failure));
    }
  };

  const started = performance.now();
  const workerCount = workerCountOf(args, plans.length, catalogueModule);
  if (workerCount === 1 || catalogueModule === null) {
    for (const plan of plans) record(plan, runSweepTask(catalogue, taskOf(plan)));
  } else {
    await runOnWorkers(plans, workerCount, catalogueModule, record);
  }
  const report: SweepReport = {
    sweep: description,
    shard,
    runs: plans.length,
    safetyViolations,
    livenessMisses,
    wallMs: Math.round(performance.now() - started),
    failures,
  };
  io.out(isJson ? reportJson(report) : summaryText(report));
  return report;
}

function taskOf(plan: PlannedRun): SweepTask {
  return { request: plan.request, durationUs: plan.durationUs };
}

/**
 * Runs the plans on worker processes and records the outcomes in plan order: an outcome waits
 * until every earlier one is in. A run that failed is thrown when its turn comes, so the lines
 * before it and the error are those of an in-process sweep.
 */
async function runOnWorkers(
  plans: readonly PlannedRun[],
  workerCount: number,
  catalogueModule: CatalogueModule,
  record: (plan: PlannedRun, violated: readonly InvariantResult[]) => void,
): Promise<void> {
  const waiting = new Map<number, SweepOutcome>();
  let nextIndex = 0;
  try {
    await runPool<SweepTask, SweepOutcome>({
      modulePath: fileURLToPath(new URL('./sweepWorker.ts', import.meta.url)),
      args: [catalogueModule.url, catalogueModule.exportName],
      workerCount,
      tasks: plans.map(taskOf),
      onResult: (index, outcome) => {
        waiting.set(index, outcome);
        for (
          let ready = waiting.get(nextIndex);
          ready !== undefined;
          ready = waiting.get(nextIndex)
        ) {
          waiting.delete(nextIndex);
          const plan = plans[nextIndex] as PlannedRun;
          if (ready.kind === 'failed') throw outcomeError(ready);
          record(plan, ready.violated);
          nextIndex++;
        }
        return true;
      },
    });
  } catch (error) {
    if (!(error instanceof WorkerDiedError) || error.taskIndex === null) throw error;
    const plan = plans[error.taskIndex] as PlannedRun;
    throw new WorkerDiedError(
      `${error.message}; it was running ${plan.scenario.id} seed ${plan.request.seed} (reproduce: ${reproduction(plan)})`,
      error.taskIndex,
    );
  }
}
