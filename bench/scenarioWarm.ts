import { parseArgs } from '../src/cli/args.ts';
import { execute, planRun } from '../src/cli/commands.ts';
import { scenarioCatalogue } from '../src/worker/catalogue.ts';
import { collectGarbage } from './measure.ts';

/*
 * The warm half of the scenario table, in a process of its own per scenario and variant (so one
 * scenario's type feedback does not slow the next's code): the CLI's own path (`planRun`, then
 * `execute`, which times `runHeadless` as `sim run` does) at each run length, after one untimed
 * run of the longest, in rounds that alternate the order of the lengths, a full GC before each
 * timed run. Stops after `rounds` rounds, or after the first round that ends past the budget.
 * The warm-up is the longest run because V8 keeps optimizing a scenario's code for about 100k
 * events: leader election's 75 s runs (17k events) got faster until the sixth, 12× in all.
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
const longest = plans.at(-1);
if (longest !== undefined) execute(scenarioCatalogue, longest);
const started = performance.now();
for (let round = 0; round < request.rounds; round++) {
  for (let k = 0; k < plans.length; k++) {
    const index = (round + k) % plans.length;
    const plan = plans[index];
    const result = results[index];
    if (plan === undefined || result === undefined) continue;
    collectGarbage();
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
