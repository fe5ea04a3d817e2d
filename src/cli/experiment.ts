import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { experiments, getExperiment } from '../experiments/registry.ts';
import {
  type ExperimentPlan,
  type ExperimentResult,
  experimentSeedsMax,
  planExperiment,
  resultOf,
  runTask,
  type TaskResult,
  tasksOf,
} from '../experiments/run.ts';
import type { Experiment } from '../experiments/types.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { type ParsedArgs, UsageError, expectPositionals, integerOption } from './args.ts';
import type { CliIo } from './cli.ts';
import type { ExperimentOutcome, ExperimentWorkerTask } from './experimentTask.ts';
import { runPool } from './pool.ts';
import { type CatalogueModule, sweepWorkersMax } from './sweep.ts';

/*
 * `sim experiment list` and `sim experiment <name>`: a parameter swept over values × seeds
 * (src/experiments), its runs spread over worker processes, its points printed as a table with
 * the theory beside them, or as one JSON object. Results are gathered in task order, so the
 * output is the same with any number of workers; progress goes to stderr.
 */

/** Progress is reported each time another tenth of the runs is done. */
const progressSteps = 10;

/** Runs `sim experiment …`; returns nothing: every problem is thrown as a one-line error. */
export async function experimentCommand(
  catalogue: ScenarioCatalogue,
  catalogueModule: CatalogueModule | null,
  args: ParsedArgs,
  io: CliIo,
): Promise<void> {
  expectPositionals(args, 1);
  const name = args.positionals[0];
  const isJson = args.flags.has('--json');
  if (name === undefined) {
    throw new UsageError('Name an experiment, or "list" to see them.');
  }
  if (name === 'list') {
    if (args.values.size > 0) throw new UsageError('"experiment list" takes only --json.');
    io.out(isJson ? listJson() : listText());
    return;
  }
  const experiment = getExperiment(name);
  if (experiment === undefined) {
    const known = experiments.map((each) => each.id).join(', ');
    throw new UsageError(`There is no experiment "${name}". Experiments: ${known}.`);
  }
  if (catalogue.get(experiment.scenarioId) === undefined) {
    throw new UsageError(
      `Experiment "${name}" needs the scenario "${experiment.scenarioId}", which is not here.`,
    );
  }
  const seedText = args.values.get('--seeds');
  const seedCount =
    seedText === undefined
      ? experiment.defaultSeeds
      : integerOption('--seeds', seedText, 1, experimentSeedsMax);
  const workersText = args.values.get('--workers');
  const workersAsked =
    workersText === undefined ? null : integerOption('--workers', workersText, 1, sweepWorkersMax);
  const plan = planExperiment(experiment, { seedCount });
  const started = performance.now();
  const result = await runExperiment(catalogue, catalogueModule, plan, workersAsked, io);
  io.err(
    `distsim: experiment ${experiment.id} took ${formatSeconds(performance.now() - started)}\n`,
  );
  io.out(isJson ? `${JSON.stringify(result)}\n` : resultText(result, experiment));
}

/**
 * Runs every task of the plan, in this process or on worker processes, and puts the results
 * together in task order. A computed experiment always runs here: its runs take microseconds.
 */
export async function runExperiment(
  catalogue: ScenarioCatalogue,
  catalogueModule: CatalogueModule | null,
  plan: ExperimentPlan,
  workersAsked: number | null,
  io: CliIo,
): Promise<ExperimentResult> {
  const tasks = tasksOf(plan);
  const results = new Array<TaskResult | undefined>(tasks.length);
  const isSimulated = plan.experiment.kind === 'simulated';
  // A computed experiment is done in a blink: progress would only be noise.
  const progress = isSimulated
    ? progressReporter(plan.experiment.id, tasks.length, io)
    : () => undefined;
  if (workersAsked !== null && workersAsked > 1 && catalogueModule === null) {
    throw new Error('this scenario catalogue cannot be loaded by worker processes');
  }
  const wanted =
    workersAsked ?? (catalogueModule === null || !isSimulated ? 1 : availableParallelism());
  const workerCount = Math.max(1, Math.min(wanted, tasks.length));
  if (workerCount === 1 || catalogueModule === null || !isSimulated) {
    tasks.forEach((task, index) => {
      results[index] = runTask(catalogue, task);
      progress();
    });
  } else {
    await runPool<ExperimentWorkerTask, ExperimentOutcome>({
      modulePath: fileURLToPath(new URL('./experimentWorker.ts', import.meta.url)),
      args: [catalogueModule.url, catalogueModule.exportName],
      workerCount,
      tasks,
      // Runs are long and uneven (a busier queue takes longer): one at a time balances best.
      tasksInFlight: 1,
      onResult: (index, outcome) => {
        if (outcome.kind === 'failed') {
          const task = tasks[index];
          throw new Error(
            `${task?.experimentId ?? '?'} at x = ${task?.x ?? '?'} (${task?.series ?? '?'}), seed ${task?.seed ?? '?'}: ${outcome.message}`,
          );
        }
        results[index] = outcome.result;
        progress();
        return true;
      },
    });
  }
  return resultOf(
    catalogue,
    plan,
    results.map((result) => {
      if (result === undefined) throw new Error('a run of the experiment gave no result');
      return result;
    }),
  );
}

/** A callback to call after each run: prints "k/N runs" on stderr at every tenth. */
function progressReporter(id: string, total: number, io: CliIo): () => void {
  let done = 0;
  let reportedStep = 0;
  return () => {
    done++;
    const step = Math.floor((done * progressSteps) / total);
    if (step === reportedStep || total < progressSteps) return;
    reportedStep = step;
    io.err(`distsim: experiment ${id}: ${done}/${total} runs\n`);
  };
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function listText(): string {
  const width = Math.max(...experiments.map((each) => each.id.length));
  return experiments
    .map((each) => `${each.id.padEnd(width)}  ${each.scenarioId}: ${each.title}\n`)
    .join('');
}

function listJson(): string {
  const list = experiments.map((each) => ({
    id: each.id,
    title: each.title,
    kind: each.kind,
    scenario: each.scenarioId,
    summary: each.summary,
    reproduces: each.reproduces,
    x: each.x,
    y: each.y,
    series: each.series,
    defaultSeeds: each.defaultSeeds,
    theory: each.theory.map((curve) => ({
      id: curve.id,
      label: curve.label,
      series: curve.series,
    })),
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** Decimals a value is printed with: shares to 4, counts to 1, everything else to 3. */
function numberText(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  return value.toFixed(unit === 'ratio' ? 4 : unit === 'requests' ? 1 : 3);
}

/** The text form: a header, then one row per x with each series' mean ± 95% CI and theory. */
export function resultText(result: ExperimentResult, experiment: Experiment): string {
  const info = result.experiment;
  const unit = info.y.unit;
  const header = [
    `${info.id}: ${info.title}`,
    `scenario    ${info.scenario} v${info.scenarioVersion} (${info.kind === 'computed' ? 'computed from its placement functions' : 'simulated'}), seeds ${info.seeds}`,
    `reproduces  ${info.reproduces}`,
    `x           ${info.x.label} (${info.x.unit})`,
    `y           ${info.y.label} (${unit}): mean ± 95% confidence interval over the seeds`,
    '',
  ];
  const columns: Column[] = [
    {
      title: info.x.unit === '' ? 'x' : `x (${info.x.unit})`,
      cell: (row) => String(result.series[0]?.points[row]?.x ?? ''),
    },
  ];
  for (const series of result.series) {
    columns.push({
      title: series.label,
      cell: (row) => {
        const point = series.points[row];
        if (point === undefined) return '';
        // One seed has no interval: printing ± 0 would claim a certainty it does not have.
        const interval = point.y.n > 1 ? ` ± ${numberText(point.y.ci95, unit)}` : '';
        return `${numberText(point.y.mean, unit)}${interval}`;
      },
    });
    for (const curve of result.theory.filter((each) => each.series === series.id)) {
      columns.push({
        title: `theory ${curve.label}`,
        cell: (row) => numberText(curve.points[row]?.y ?? NaN, unit),
      });
    }
  }
  for (const curve of result.theory.filter((each) => each.series === null)) {
    columns.push({
      title: `theory ${curve.label}`,
      cell: (row) => numberText(curve.points[row]?.y ?? NaN, unit),
    });
  }
  const lines = tableLines(columns, result.series[0]?.points.length ?? 0);
  const shown = experiment.alsoShown;
  const extra =
    shown.length === 0
      ? []
      : result.series.flatMap((series) => [
          '',
          `${series.label}, also measured (mean over the seeds)`,
          ...tableLines(
            [
              columns[0] as Column,
              ...shown.map(({ measure, label }) => ({
                title: label,
                cell: (row: number) => measureText(series.points[row]?.means[measure] ?? NaN),
              })),
            ],
            series.points.length,
          ),
        ]);
  const footer = [
    '',
    `each point's runs: --json gives its parameters, the \`sim run\` line and the share link of its seed-1 run` +
      (experiment.kind === 'computed'
        ? ' (the scenario run whose moved-keys metric it equals)'
        : ''),
  ];
  return `${[...header, ...lines, ...extra, ...footer].join('\n')}\n`;
}

/** A measure's mean: counts and other large values to 1 decimal, small ones to 4. */
function measureText(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toFixed(Math.abs(value) >= largeValue ? 1 : 4);
}

/** From here on a fourth decimal is noise. */
const largeValue = 100;

interface Column {
  readonly title: string;
  readonly cell: (row: number) => string;
}

/** Columns padded to their widest cell, two spaces apart, a title row first. */
function tableLines(columns: readonly Column[], rowCount: number): string[] {
  const cells = columns.map((column) => [
    column.title,
    ...Array.from({ length: rowCount }, (_, row) => column.cell(row)),
  ]);
  const widths = cells.map((column) => Math.max(...column.map((cell) => cell.length)));
  return Array.from({ length: rowCount + 1 }, (_, row) =>
    cells
      .map((column, index) => (column[row] ?? '').padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
