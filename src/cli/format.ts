import type { MetricFinal } from '../engine/metrics.ts';
import { choicesText } from '../engine/paramText.ts';
import type { ParamSpec } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import type { HeadlessSummary } from '../worker/headless.ts';
import { olderFormatNote, type ReplayCheck, type RunFile } from '../worker/runFile.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';

/** The help text. */
export function usage(): string {
  return `DistSim headless simulator

usage: npm run sim -- <command> [options]

commands
  list [--json]                      scenario ids (with --json: parameters and their named
                                     values, metrics, invariants)
  run <scenario> [options]           run one simulation and print its summary
      --seed N                       seed (default 1)
      --duration-ms MS               simulated duration (default: the scenario's)
      --param key=value              set a parameter (repeatable; see list --json for bounds)
      --faults FILE                  apply a recorded command log (JSON list of timed commands)
      --chaos                        apply a random fault schedule derived from the seed
      --link URL                     replay a share link (scenario, seed, params and faults)
      --file RUN.json                replay a run file to its end and check its trace hash
      --export RUN.json              write the run file (run, length, hash, metrics, invariants)
      --trace TRACE.jsonl            write every trace event as JSON lines
      --baseline                     run the naive alternative instead of the pattern
      --check consistency            check the clients' reads and writes against each
                                     consistency model (scenarios that record them)
      --json                         print one JSON object
  sweep <scenario|all> --seeds A..B [--chaos] [--baseline] [--duration-ms MS] [--param k=v] [--json]
                                     run many seeds; report safety violations with a reproduction
      --workers N                    worker processes (default: one per core; 1: this process)
      --shard I/N                    run only shard I of N (seed A+I-1, then every N-th seed)
  shrink <scenario> --seed N --chaos [--baseline] [--duration-ms MS] [--invariant ID] [--json]
  shrink --link URL [--invariant ID] [--json]
                                     the smallest run that still violates the same safety
                                     invariant: both command logs, first violation times, the
                                     runs it took and a share link (also --faults, --file, --param)
      --invariant ID                 the invariant to keep failing (default: the first violated)
  inevitable <scenario> --seed N --chaos [--baseline] [--forks N] [--trials N] [--json]
  inevitable --link URL [--invariant ID] [--forks N] [--trials N] [--json]
                                     from when on the run was bound to fail: it is forked at N
                                     moments before its violation (default 16) and each fork run
                                     on --trials times (default 24) with the randomness redrawn
                                     and no later faults; prints how many broke it per fork
  check <scenario> --depth D [--nodes N] [--faults K] [--invariant ID] [--baseline] [--json]
                                     explore every schedule of up to D choices (which message is
                                     delivered, when the next timer fires, up to K crashes and
                                     restarts), breadth first: the shortest one that violates
                                     the safety invariant, replayed and as a link (exit 1), or
                                     "no violation within depth D" with the states explored
                                     (also --param, applied over the small configuration)
      --seed N                       the run's seed (timer draws; default 1)
      --states-max N                 give up after N distinct states (exit 3)
      --any-timer                    let any node's next timer fire before earlier ones of other
                                     nodes (drifting clocks), not only in their due order
  merge SHARD.json… [--json]         merge the sweep --json outputs of all shards into the report
                                     the whole sweep prints (exit code 1 on a safety violation)
  experiment list [--json]           the experiments: a parameter swept over values × seeds,
                                     measured, with the theory it reproduces
  experiment <name> [--seeds N] [--workers N] [--json]
                                     run one: a table of mean ± 95% CI per value and series with
                                     the theory beside it (--json: every seed's value, the
                                     statistics, the theory and each point's run); progress on
                                     stderr; the numbers do not depend on --workers
      --seeds N                      seeds 1..N per point (default: the experiment's)

exit codes: 0 ok, 1 a safety invariant (or a consistency model the run promises) was violated, 2 bad arguments or input files,
            3 the run failed (or a sweep's worker process died, or a check gave up), 4 a run file replayed to
            another trace hash, 70 a DistSim bug
`;
}

export function formatList(catalogue: ScenarioCatalogue): string {
  return listed(catalogue)
    .map((scenario) => `${scenario.id}\n`)
    .join('');
}

/** Scenarios `list` shows: hidden ones (benchmark fixtures) still run by id. */
function listed(catalogue: ScenarioCatalogue): readonly Scenario[] {
  return catalogue.scenarios.filter((scenario) => !scenario.isHidden);
}

export function formatListJson(catalogue: ScenarioCatalogue): string {
  const list = listed(catalogue).map((scenario) => ({
    id: scenario.id,
    version: scenario.version,
    title: scenario.title,
    summary: scenario.summary,
    baseline: scenario.baselineLabel,
    parameters: Object.entries(scenario.params).map(([key, spec]) => ({
      key,
      label: spec.label,
      default: spec.default,
      min: spec.min,
      max: spec.max,
      step: spec.step,
      unit: spec.unit,
      help: spec.help,
      // What each number stands for ({ value: 2, label: "range partitioning" }): --param takes
      // the number.
      ...(spec.choices === undefined ? {} : { choices: spec.choices }),
    })),
    metrics: scenario.metrics.map((metric) => ({
      name: metric.name,
      unit: metric.unit,
      aggregate: metric.aggregate,
      description: metric.description,
    })),
    invariants: scenario.invariants.map((invariant) => ({
      id: invariant.id,
      kind: invariant.kind,
      description: invariant.description,
    })),
    faults: scenario.faults.map((fault) => ({
      id: fault.id,
      label: fault.label,
      roles: fault.roles,
    })),
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

/**
 * A parameter's help for a message about a value given to `--param`, with what each number
 * stands for when the values are named ("…; 0 hash mod N, 1 consistent hashing, 2 range
 * partitioning"), since the help itself no longer lists the numbers.
 */
export function paramHelpText(spec: ParamSpec): string {
  return spec.choices === undefined ? spec.help : `${spec.help}; ${choicesText(spec.choices)}`;
}

function metricText(metric: MetricFinal): string {
  if (metric.value === null) return '—';
  const rounded = Number.isInteger(metric.value) ? String(metric.value) : metric.value.toFixed(2);
  return `${rounded}${metric.unit === '' ? '' : ' ' + metric.unit} (${metric.aggregate})`;
}

/** The human-readable summary of a run. */
export function formatSummary(
  summary: HeadlessSummary,
  wallMs: number,
  scenario: Scenario,
): string {
  const speed = wallMs > 0 ? Math.round(summary.simulatedMs / wallMs) : Infinity;
  const variant =
    summary.variant === 'baseline' ? `baseline (${scenario.baselineLabel})` : 'pattern';
  const lines = [
    `scenario    ${summary.scenarioId} v${summary.scenarioVersion}: ${summary.title}, ${variant}`,
    `seed        ${summary.seed}`,
    `events      ${summary.events}`,
    `simulated   ${summary.simulatedMs} ms`,
    `wall        ${wallMs.toFixed(1)} ms (${speed}× real time)`,
    `trace hash  ${summary.traceHash}`,
    `commands    ${summary.run.commands.length}`,
    'invariants',
  ];
  for (const result of summary.invariants) {
    const mark = result.violations > 0 ? '✗' : result.status === 'pending' ? '…' : '✓';
    const first = result.firstViolation;
    const detail =
      first === null
        ? ''
        : `: ${result.violations} violation(s), first at ${first.timeUs / 1000} ms (event ${first.event}): ${first.message}`;
    lines.push(`  ${mark} ${result.id} (${result.kind})${detail}`);
  }
  lines.push(...momentLines(summary, scenario));
  lines.push('metrics');
  const width = Math.max(...summary.metrics.map((metric) => metric.name.length), 8);
  for (const metric of summary.metrics)
    lines.push(`  ${metric.name.padEnd(width)}  ${metricText(metric)}`);
  return `${lines.join('\n')}\n`;
}

/** Moments shown in full before the rest are counted by kind. */
const momentsListedMax = 40;

/** The run's moments, one per line with its time, then a count per kind of any left out. */
function momentLines(summary: HeadlessSummary, scenario: Scenario): string[] {
  if (scenario.moments.length === 0) return [];
  const { moments } = summary;
  if (moments.length === 0) return ['moments     none'];
  const lines = [`moments     ${moments.length}`];
  const width = Math.max(...moments.map((moment) => formatMs(moment.timeUs).length));
  for (const moment of moments.slice(0, momentsListedMax))
    lines.push(`  ${formatMs(moment.timeUs).padStart(width)}  ${moment.text}`);
  const rest = moments.slice(momentsListedMax);
  if (rest.length > 0) {
    const counts = scenario.moments
      .map((spec) => ({ spec, count: rest.filter((moment) => moment.kind === spec.id).length }))
      .filter(({ count }) => count > 0)
      .map(({ spec, count }) => `${count} × ${spec.label.toLowerCase()}`);
    lines.push(`  … and ${rest.length} more: ${counts.join(', ')} (--json lists them all)`);
  }
  return lines;
}

/** "12.345 s" for a simulated time. */
function formatMs(timeUs: number): string {
  return `${(timeUs / 1_000_000).toFixed(3)} s`;
}

/** Whether a replayed run file reproduced the run it records (`run --file`). */
export function formatReplayCheck(
  expected: Pick<RunFile, 'version' | 'summary'>,
  summary: HeadlessSummary,
  check: ReplayCheck,
): string {
  const { traceHash, eventCount } = expected.summary;
  const note = olderFormatNote(expected);
  const older = note === null ? '' : `run file    ${note}\n`;
  if (check.basis === 'event count') {
    return check.isMatch
      ? `${older}run file    ✓ the replay has the file's ${eventCount} events\n`
      : `${older}run file    ✗ the replay has ${summary.events} events, the file says ${eventCount}\n`;
  }
  if (check.isMatch) {
    return `run file    ✓ the replay reproduces the file's trace hash ${traceHash}\n`;
  }
  return `run file    ✗ the replay's trace hash ${summary.traceHash} differs from the file's ${traceHash} (${summary.events} events, the file says ${eventCount})\n`;
}

/** The `--json` form of a run's summary. */
export function summaryJson(summary: HeadlessSummary, wallMs: number): object {
  return {
    scenario: summary.scenarioId,
    version: summary.scenarioVersion,
    variant: summary.variant,
    seed: summary.seed,
    events: summary.events,
    simulatedMs: summary.simulatedMs,
    wallMs: Math.round(wallMs * 10) / 10,
    traceHash: summary.traceHash,
    invariants: summary.invariants,
    metrics: Object.fromEntries(summary.metrics.map((metric) => [metric.name, metric.value])),
    metricDetails: summary.metrics,
    safetyViolated: summary.hasSafetyViolation,
    moments: summary.moments.map((moment) => ({
      timeMs: moment.timeUs / 1000,
      kind: moment.kind,
      text: moment.text,
      nodes: moment.nodes,
    })),
    commands: summary.run.commands.length,
  };
}
