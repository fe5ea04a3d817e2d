import { parseArgs } from '../src/cli/args.ts';
import { execute, planRun } from '../src/cli/commands.ts';
import { scenarioCatalogue } from '../src/worker/catalogue.ts';

/*
 * The warm half of the scenario table, in a process of its own per scenario and variant (so one
 * scenario's type feedback does not slow the next's code): the CLI's own path (`planRun`, then
 * `execute`, which times `runHeadless` as `sim run` does) at each run length, after one untimed
 * run of each length, the longest first, in rounds that alternate the order of the lengths.
 * Stops after `rounds` rounds, or after the first round that ends past the budget. The warm-up
 * starts with the longest run because V8 keeps optimizing a scenario's code for about 100k
 * events: leader election's 75 s runs (17k events) got faster until the sixth, 12× in all.
 *
 * No full GC between runs, unlike measure.ts's `interleave`: a forced full GC collects the
 * previous run's objects, and V8 then deoptimizes the code that embedded them ("weak objects",
 * `--trace-deopt`: the scenario's behaviours, the event queue, the trace, the random streams),
 * so every run after one would start cold again (leader election's 75 s run: 5–8× slower).
 *
 * Argument: one JSON object (WarmRequest). Output: one JSON line (WarmResult[], one per length).
 */

export interface WarmRequest {
  /** `run` arguments after the scenario id, without --duration-ms (e.g. --seed 5 --baseline). */
  readonly runArgs: readonly string[];
  readonly scenarioId: string;
  /** Shortest first, longest last. */
  readonly lengthsMs: readonly number[];
  readonly rounds: number;
  readonly budgetMs: number;
}

export interface WarmResult {
  readonly lengthMs: number;
  readonly wallMs: number[];
  readonly events: number;
  /** Every distinct trace hash seen: one, or the runs disagree. */
  readonly traceHashes: string[];
}

const request = JSON.parse(process.argv[2] ?? '{}') as WarmRequest;
const plans = request.lengthsMs.map((lengthMs) =>
  planRun(
    scenarioCatalogue,
    parseArgs(['run', request.scenarioId, ...request.runArgs, '--duration-ms', String(lengthMs)]),
  ),
);
const results = request.lengthsMs.map((lengthMs) => ({
  lengthMs,
  wallMs: [] as number[],
  events: 0,
  traceHashes: new Set<string>(),
}));
for (const plan of [...plans].reverse()) execute(scenarioCatalogue, plan);
const started = performance.now();
for (let round = 0; round < request.rounds; round++) {
  for (let k = 0; k < plans.length; k++) {
    const index = (round + k) % plans.length;
    const plan = plans[index];
    const result = results[index];
    if (plan === undefined || result === undefined) continue;
    const { summary, wallMs } = execute(scenarioCatalogue, plan);
    result.wallMs.push(wallMs);
    result.events = summary.events;
    result.traceHashes.add(summary.traceHash);
  }
  if (performance.now() - started > request.budgetMs) break;
}
const output: WarmResult[] = results.map((result) => ({
  ...result,
  traceHashes: [...result.traceHashes],
}));
process.stdout.write(`${JSON.stringify(output)}\n`);
