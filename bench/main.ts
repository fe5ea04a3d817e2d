import { cpus } from 'node:os';
import { benchConsistency, consistencyFigureNames } from './consistencyBench.ts';
import { type RepetitionPlan, garbageCollectorSource } from './measure.ts';
import { benchMemory, benchPingPong, pingPongFigureName } from './networkBench.ts';
import { benchWorkload } from './queueBench.ts';
import { benchScenarios, scenarioFigureNames } from './scenarioBench.ts';
import { benchSearch, searchFigureName } from './searchBench.ts';
import { type TableOptions, benchScenarioTable } from './scenarioTable.ts';
import { fullSizes, type WorkloadSizes } from './workloadData.ts';
import { createWorkloads } from './workloads.ts';

/**
 * `npm run bench [-- [--quick] [--reps N] [name…]]`: the engine's speed figures (BENCHMARKS.md).
 *
 * 1. The four queue workloads on the engine queue, SIM.JS and the bare heap, interleaved, with
 *    the engine/simjs and engine/bare ratios.
 * 2. The full engine on a lossy ping-pong network, against the 5 M events/s target and the bare
 *    heap's hold-1k rate measured in the same run.
 * 3. Scenario speed (leader election at its default size and at 101 nodes), when the registry
 *    exists.
 * 4. The scenario table: every listed scenario, both variants, cold through the CLI and warm, at
 *    75 s and 600 s simulated (flat cost per event), and at its largest size.
 * 5. Memory over 10 M events of ping-pong.
 * 6. The consistency checkers: operations checked per second on a 10,000-op register history.
 * 7. The exhaustive search (`sim check`): states per second certifying Raft for 3 nodes.
 *
 * Names filter the figures (a figure runs when its name contains any of them); `--quick` runs
 * every figure at a tenth of its size for a smoke test. Exits with 1 when a figure is void.
 */

const usage = `Usage: npm run bench -- [--quick] [--reps N] [name…]
  --quick   smaller sizes (about a tenth) for a fast smoke run; figures are not comparable
  --reps N  measured repetitions per figure (default 5, at least 5 for a reported figure)
  name…     run only figures whose name contains one of these (e.g. hold ping-pong memory)
Figures: timers-1m hold-1k hold-100k mm1-1m ping-pong-16 leader-election-default
         leader-election-101 scenarios-<id> scenarios-scaled-<id> memory
         ("scenarios" runs the whole scenario table, "scenarios-cqrs" one scenario)
         consistency-linearizable consistency-stale-read ("consistency" runs both)
         search-raft-3 (the exhaustive search's states/s; "search" runs it)`;

interface Options {
  readonly isQuick: boolean;
  readonly repetitionCount: number;
  readonly filters: readonly string[];
}

function parseOptions(args: readonly string[]): Options | string {
  let isQuick = false;
  let repetitionCount = 5;
  const filters: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--quick') isQuick = true;
    else if (arg === '--reps') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 1000)
        return '--reps needs a whole number from 1 to 1000.';
      repetitionCount = value;
    } else if (arg === '--help' || arg === '-h') return '';
    else if (arg.startsWith('-')) return `Unknown option ${arg}.`;
    else filters.push(arg);
  }
  return { isQuick, repetitionCount, filters };
}

const quickSizes: WorkloadSizes = {
  timerCount: fullSizes.timerCount / 10,
  holdEventCount: fullSizes.holdEventCount / 10,
  holdSmallPendingCount: fullSizes.holdSmallPendingCount,
  holdLargePendingCount: fullSizes.holdLargePendingCount / 10,
  customerCount: fullSizes.customerCount / 10,
};

/** One fixed seed for every workload: the figures are reproducible input for input. */
const seed = 20_240_601;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function printHeader(options: Options): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  print(`DistSim benchmarks — ${new Date().toISOString()}`);
  print(
    `Node ${process.version}, V8 ${process.versions.v8}, ${process.platform}/${process.arch}, ` +
      `${cpus().length} cores (${cpu})`,
  );
  print(
    `Mode: ${options.isQuick ? 'QUICK (smoke run, small sizes)' : 'full'}; ` +
      `1 warm-up (3 for scenarios) + ${options.repetitionCount} measured repetitions per figure, interleaved; ` +
      `medians; full GC before each timed run: ${garbageCollectorSource ?? 'UNAVAILABLE'}`,
  );
  print('Absolute rates vary from run to run on a shared machine: read the ratios.');
  print('');
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    if (options !== '') print(options);
    print(usage);
    return options === '' ? 0 : 2;
  }
  const isWanted = (name: string): boolean =>
    options.filters.length === 0 || options.filters.some((filter) => name.includes(filter));
  const plan: RepetitionPlan = { warmupCount: 1, repetitionCount: options.repetitionCount };
  printHeader(options);
  const summaries: string[] = [];
  let isAnyVoid = false;

  const workloads = createWorkloads(options.isQuick ? quickSizes : fullSizes, seed);
  for (const workload of workloads.filter((entry) => isWanted(entry.name))) {
    const figure = benchWorkload(workload, plan, print);
    summaries.push(figure.summary);
    if (figure.voidReason !== null) isAnyVoid = true;
    print('');
  }

  const holdSmall = workloads[1];
  if (isWanted(pingPongFigureName) && holdSmall !== undefined) {
    const eventCount = options.isQuick ? 200_000 : 500_000;
    const figure = benchPingPong(eventCount, seed, holdSmall, plan, print);
    summaries.push(figure.summary);
    if (figure.isVoid) isAnyVoid = true;
    print('');
  }

  if (scenarioFigureNames.some(isWanted)) {
    // Long enough that one run takes a few hundred milliseconds: shorter runs are mostly noise
    // here. The JIT keeps tiering up through the first few runs of a scenario, hence 3 warm-ups.
    const durationUs = (options.isQuick ? 30 : 300) * 1_000_000;
    const scenarioPlan = { ...plan, warmupCount: 3 };
    const lines = await benchScenarios(durationUs, scenarioPlan, isWanted, print);
    summaries.push(...lines);
    if (lines.some((line) => line.includes('VOID'))) isAnyVoid = true;
    print('');
  }

  // 75 s and 600 s: the flat-cost lengths. Warm rounds stop past the budget (and are
  // skipped when one cold 600 s run exceeds it), so the table takes minutes, not an hour, even
  // while a scenario is slow.
  const tableOptions: TableOptions = options.isQuick
    ? { shortMs: 7_500, longMs: 60_000, scaledMs: 7_500, rounds: 1, warmBudgetMs: 1_000 }
    : {
        shortMs: 75_000,
        longMs: 600_000,
        scaledMs: 75_000,
        rounds: options.repetitionCount,
        warmBudgetMs: 6_000,
      };
  const table = await benchScenarioTable(tableOptions, isWanted, print);
  if (table.summaries.length > 0) {
    summaries.push(...table.summaries);
    if (table.isVoid) isAnyVoid = true;
    print('');
  }

  if (isWanted('memory')) {
    const eventCount = options.isQuick ? 2_000_000 : 10_000_000;
    const wallMsMax = options.isQuick ? 30_000 : 150_000;
    summaries.push(benchMemory(eventCount, 20, wallMsMax, seed, print));
    print('');
  }

  for (const name of consistencyFigureNames.filter(isWanted)) {
    const figure = benchConsistency(name, options.isQuick ? 1_000 : 10_000, plan, print);
    summaries.push(figure.summary);
    if (figure.isVoid) isAnyVoid = true;
    print('');
  }

  if (isWanted(searchFigureName)) {
    const figure = await benchSearch(options.isQuick ? 7 : 10, plan, print);
    summaries.push(figure.summary);
    if (figure.isVoid) isAnyVoid = true;
    print('');
  }

  print('Summary');
  for (const line of summaries) print(`  ${line}`);
  return isAnyVoid ? 1 : 0;
}

process.exitCode = await main();
