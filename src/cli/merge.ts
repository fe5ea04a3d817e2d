import * as v from 'valibot';
import { type ParsedArgs, UsageError } from './args.ts';
import { readTextFile } from './commands.ts';
import type { Shard, SweepDescription, SweepFailure, SweepReport } from './sweep.ts';

/*
 * `sim merge SHARD.json…`: the `--json` outputs of the shards of one sweep (`--shard I/N`) put
 * back together into the report the whole sweep would have printed, byte for byte except the
 * wall time (the slowest shard's: shards run side by side). Every shard must be there exactly
 * once, and all must describe the same sweep (scenarios and their versions, durations and
 * parameters, seeds, variant, chaos), or the merge refuses: a silent gap would read as "no
 * violations" for seeds nobody ran.
 */

/** Largest report file read: a sweep of 100,000 seeds with a failure in every run fits. */
const reportFileBytesMax = 200_000_000;

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const shardSchema = v.pipe(
  v.object({
    index: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    count: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  }),
  v.check((shard) => shard.index <= shard.count, 'the shard index is above the shard count'),
);
const reportSchema = v.object({
  sweep: v.object({
    scenarios: v.array(
      v.object({
        id: v.string(),
        version: v.number(),
        durationMs: v.number(),
        params: v.record(v.string(), v.number()),
      }),
    ),
    seeds: v.pipe(v.string(), v.regex(/^\d+\.\.\d+$/)),
    variant: v.picklist(['pattern', 'baseline']),
    chaos: v.boolean(),
  }),
  shard: v.optional(shardSchema),
  runs: count,
  safetyViolations: count,
  livenessMisses: count,
  wallMs: v.pipe(v.number(), v.minValue(0)),
  failures: v.array(
    v.object({
      scenario: v.string(),
      seed: count,
      invariant: v.string(),
      kind: v.picklist(['safety', 'liveness']),
      firstViolation: v.nullable(
        v.looseObject({ timeUs: v.number(), event: v.number(), message: v.string() }),
      ),
      reproduce: v.string(),
    }),
  ),
});

interface ShardFile {
  readonly path: string;
  readonly shard: Shard;
  /** The file's own JSON (not valibot's copy), so the merge keeps its fields and key order. */
  readonly report: SweepReport;
}

function readShardFile(path: string): ShardFile {
  const text = readTextFile('merge', path, reportFileBytesMax);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `merge ${path}: not JSON (${reason}); expected "sim sweep --json" output.`,
    );
  }
  const checked = v.safeParse(reportSchema, data);
  if (!checked.success) {
    const [issue] = checked.issues;
    const where = v.getDotPath(issue) ?? 'the top level';
    throw new UsageError(
      `merge ${path}: not the output of "sim sweep --json" (${where}: ${issue.message}).`,
    );
  }
  const report = data as Omit<SweepReport, 'shard'> & { readonly shard?: Shard };
  const known = new Set(report.sweep.scenarios.map((scenario) => scenario.id));
  const stranger = report.failures.find((failure) => !known.has(failure.scenario));
  if (stranger !== undefined)
    throw new UsageError(
      `merge ${path}: a failure of ${stranger.scenario}, which the sweep does not run.`,
    );
  return {
    path,
    shard: report.shard ?? { index: 1, count: 1 },
    report: { ...report, shard: report.shard ?? null },
  };
}

function seedCount(seeds: string): number {
  const [first = 0, last = 0] = seeds.split('..').map(Number);
  return last - first + 1;
}

/** Reads, checks and merges the files named in `args`. */
export function merge(args: ParsedArgs): SweepReport {
  if (args.positionals.length === 0)
    throw new UsageError(
      'merge needs the "sim sweep --json --shard I/N" output of every shard, e.g. merge shard-*.json.',
    );
  const files = args.positionals.map(readShardFile);
  const [first] = files as [ShardFile, ...ShardFile[]];
  const sweep: SweepDescription = first.report.sweep;
  const sweepText = JSON.stringify(sweep);
  const byIndex = new Map<number, ShardFile>();
  for (const file of files) {
    if (JSON.stringify(file.report.sweep) !== sweepText)
      throw new UsageError(
        `merge: ${file.path} is a different sweep from ${first.path} (scenarios, versions, durations, parameters, seeds, variant or chaos differ).`,
      );
    if (file.shard.count !== first.shard.count)
      throw new UsageError(
        `merge: ${file.path} is shard ${file.shard.index}/${file.shard.count} but ${first.path} is ${first.shard.index}/${first.shard.count}.`,
      );
    const twin = byIndex.get(file.shard.index);
    if (twin !== undefined)
      throw new UsageError(
        `merge: shard ${file.shard.index}/${file.shard.count} is given twice (${twin.path}, ${file.path}).`,
      );
    byIndex.set(file.shard.index, file);
  }
  const missing: string[] = [];
  for (let index = 1; index <= first.shard.count; index++)
    if (!byIndex.has(index)) missing.push(`${index}/${first.shard.count}`);
  if (missing.length > 0)
    throw new UsageError(
      `merge: shard ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} missing; every shard is needed.`,
    );
  const runs = files.reduce((sum, file) => sum + file.report.runs, 0);
  const expectedRuns = sweep.scenarios.length * seedCount(sweep.seeds);
  if (runs !== expectedRuns)
    throw new UsageError(
      `merge: the shards hold ${runs} runs, but the sweep has ${expectedRuns}; was a file cut or edited?`,
    );
  // Plan order: scenario (the sweep's order), then seed. A run's failures all come from one
  // shard, already in the scenario's invariant order, and the sort is stable, so they stay so.
  const position = new Map(sweep.scenarios.map((scenario, index) => [scenario.id, index]));
  const failures: SweepFailure[] = files
    .flatMap((file) => file.report.failures)
    .sort(
      (a, b) =>
        (position.get(a.scenario) ?? 0) - (position.get(b.scenario) ?? 0) || a.seed - b.seed,
    );
  return {
    sweep,
    shard: null,
    runs,
    safetyViolations: files.reduce((sum, file) => sum + file.report.safetyViolations, 0),
    livenessMisses: files.reduce((sum, file) => sum + file.report.livenessMisses, 0),
    wallMs: Math.max(...files.map((file) => file.report.wallMs)),
    failures,
  };
}
