import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { paramProblem } from '../engine/setup.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { RecordedCommand, Variant } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { type HeadlessSummary, runHeadless } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { traceJsonLines } from '../worker/runExport.ts';
import {
  type RunFile,
  decodeRunFile,
  encodeRunFile,
  makeRunFile,
  runFileCharsMax,
} from '../worker/runFile.ts';
import { parseCommandLog } from '../worker/schema.ts';
import { decodeShareLink } from '../worker/shareLink.ts';
import {
  type ParsedArgs,
  UsageError,
  durationOption,
  expectPositionals,
  integerOption,
  isDecimal,
  seedRange,
} from './args.ts';
import { paramHelpText } from './format.ts';

/** Longest simulated run the CLI accepts: one simulated day. */
export const durationMsMax = 86_400_000;
/** Seeds per sweep. */
export const sweepSeedsMax = 100_000;
/** Largest fault file read. */
export const faultFileBytesMax = 5_000_000;

/** A run the CLI is about to make, fully resolved. */
export interface PlannedRun {
  readonly scenario: Scenario;
  readonly request: RunRequest;
  readonly durationUs: number;
  readonly isChaos: boolean;
  /** The replayed run file (`--file`): what it says the run comes to, or null. */
  readonly expected: Pick<RunFile, 'version' | 'summary'> | null;
}

export function findScenario(catalogue: ScenarioCatalogue, id: string | undefined): Scenario {
  const known = catalogue.scenarios.map((scenario) => scenario.id).join(', ');
  if (id === undefined) throw new UsageError(`Name a scenario: ${known}.`);
  const scenario = catalogue.get(id);
  if (scenario === undefined)
    throw new UsageError(`Unknown scenario "${id}". Scenarios: ${known}.`);
  return scenario;
}

/** Parses repeated `--param key=value` against the scenario's bounds. */
export function parseParams(scenario: Scenario, texts: readonly string[]): Record<string, number> {
  const params: Record<string, number> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    const keys = Object.keys(scenario.params).join(', ');
    if (eq <= 0)
      throw new UsageError(`--param must look like key=value, got "${text}". Keys: ${keys}.`);
    const key = text.slice(0, eq);
    // Own keys only: "toString" and the like are not parameters.
    const spec = Object.hasOwn(scenario.params, key) ? scenario.params[key] : undefined;
    if (spec === undefined)
      throw new UsageError(`${scenario.id} has no parameter "${key}". Keys: ${keys}.`);
    const raw = text.slice(eq + 1);
    const value = Number(raw);
    if (!isDecimal(raw) || !Number.isFinite(value)) {
      throw new UsageError(`--param ${key} must be a number, got "${raw}".`);
    }
    const problem = paramProblem(spec, value);
    if (problem !== null)
      throw new UsageError(`--param ${key}: ${problem} (${paramHelpText(spec)}).`);
    params[key] = value;
  }
  return params;
}

/** Reads a text file given to `option`, or fails naming the option, the path and the reason. */
export function readTextFile(option: string, path: string, bytesMax: number): string {
  try {
    const size = statSync(path).size;
    if (size > bytesMax) throw new UsageError(`${option} ${path}: larger than ${bytesMax} bytes.`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${option} ${path}: cannot read the file (${reasonOf(error)}).`);
  }
}

/** Writes a file named by `option` (the chunks in turn), or fails naming the option and path. */
export function writeTextFile(option: string, path: string, chunks: Iterable<string>): void {
  const writing = <T>(write: () => T): T => {
    try {
      return write();
    } catch (error) {
      throw new UsageError(`${option} ${path}: cannot write the file (${reasonOf(error)}).`);
    }
  };
  const fd = writing(() => openSync(path, 'w'));
  try {
    // Chunks may be produced lazily (a trace replay); only file-system failures name the file.
    for (const chunk of chunks) writing(() => writeSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads and checks a fault file: the command log format the UI records. */
export function readFaultFile(path: string): RecordedCommand[] {
  const text = readTextFile('--faults', path, faultFileBytesMax);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--faults ${path}: not valid JSON (${reasonOf(error)}). Expected a list like [{"atMs": 1000, "command": {"type": "node.crash", "node": "n1"}}].`,
    );
  }
  const parsed = parseCommandLog(data);
  if (!parsed.ok) {
    throw new UsageError(
      `--faults ${path}: ${parsed.problems.join('; ')}. Each entry is {"atMs" or "atUs", optional "event", "command": {"type": …}}.`,
    );
  }
  const sorted = parsed.value.every(
    (record, i, all) => i === 0 || (all[i - 1]?.atUs ?? 0) <= record.atUs,
  );
  if (!sorted) throw new UsageError(`--faults ${path}: commands must be in time order.`);
  return parsed.value;
}

/** Resolves `run` arguments into a planned run. */
export function planRun(catalogue: ScenarioCatalogue, args: ParsedArgs): PlannedRun {
  const link = args.values.get('--link');
  const filePath = args.values.get('--file');
  if (link !== undefined && filePath !== undefined)
    throw new UsageError('Use either --link or --file, not both.');
  if (link !== undefined) return planLinkRun(catalogue, args, link);
  if (filePath !== undefined) return planFileRun(catalogue, args, filePath);
  const scenario = findScenario(catalogue, args.positionals[0]);
  expectPositionals(args, 1);
  const seedText = args.values.get('--seed');
  const seed =
    seedText === undefined ? 1 : integerOption('--seed', seedText, 0, Number.MAX_SAFE_INTEGER);
  const durationUs = durationUsOf(args, scenario);
  const isChaos = args.flags.has('--chaos');
  const faultsPath = args.values.get('--faults');
  if (isChaos && faultsPath !== undefined)
    throw new UsageError('Use either --chaos or --faults, not both.');
  const variant: Variant = args.flags.has('--baseline') ? 'baseline' : 'pattern';
  const params = parseParams(scenario, args.params);
  const commands =
    faultsPath !== undefined
      ? readFaultFile(faultsPath)
      : isChaos
        ? chaosScheduleFor(scenario, seed, variant, params, durationUs)
        : [];
  return {
    scenario,
    request: { scenarioId: scenario.id, seed, variant, params, commands },
    durationUs,
    isChaos,
    expected: null,
  };
}

/** Options that describe a run themselves, so they conflict with a link or a run file. */
function runDescribingOptions(args: ParsedArgs): string[] {
  const given = ['--seed', '--faults'].filter((name) => args.values.has(name));
  if (args.params.length > 0) given.push('--param');
  for (const flag of ['--baseline', '--chaos']) if (args.flags.has(flag)) given.push(flag);
  return [...given, ...args.positionals];
}

function planLinkRun(catalogue: ScenarioCatalogue, args: ParsedArgs, link: string): PlannedRun {
  const conflicting = runDescribingOptions(args);
  if (conflicting.length > 0) {
    throw new UsageError(`--link already holds the whole run; drop ${conflicting.join(', ')}.`);
  }
  const decoded = decodeShareLink(link, catalogue);
  if (!decoded.ok) throw new UsageError(`--link: ${decoded.problem.message}`);
  for (const note of decoded.notes) process.stderr.write(`note: ${note}\n`);
  const scenario = findScenario(catalogue, decoded.shared.request.scenarioId);
  const position = decoded.shared.positionUs;
  const durationUs =
    args.values.has('--duration-ms') || position <= 0 ? durationUsOf(args, scenario) : position;
  return { scenario, request: decoded.shared.request, durationUs, isChaos: false, expected: null };
}

/** Reads a run file (the page's "Download run" format) and checks it. */
export function readRunFile(path: string): RunFile {
  const decoded = decodeRunFile(readTextFile('--file', path, runFileCharsMax));
  if (!decoded.ok) throw new UsageError(`--file ${path}: ${decoded.problem.message}`);
  return decoded.file;
}

/** A run file replayed to its `untilUs`, to be checked against its summary. */
function planFileRun(catalogue: ScenarioCatalogue, args: ParsedArgs, path: string): PlannedRun {
  const conflicting = runDescribingOptions(args);
  if (args.values.has('--duration-ms')) conflicting.push('--duration-ms');
  if (conflicting.length > 0) {
    throw new UsageError(
      `--file already holds the whole run and its length; drop ${conflicting.join(', ')}.`,
    );
  }
  const file = readRunFile(path);
  const scenario = findScenario(catalogue, file.run.scenarioId);
  return {
    scenario,
    request: file.run,
    durationUs: file.untilUs,
    isChaos: false,
    expected: file,
  };
}

/** Writes the run file of a finished run (`--export`). */
export function writeRunFile(path: string, plan: PlannedRun, summary: HeadlessSummary): void {
  const file = makeRunFile(summary.run, plan.durationUs, {
    eventCount: summary.events,
    traceHash: summary.traceHash,
    metrics: summary.metrics,
    invariants: summary.invariants,
  });
  writeTextFile('--export', path, [encodeRunFile(file)]);
}

/** Replays a finished run and writes its trace as JSON lines (`--trace`), as the page does. */
export function writeTraceFile(path: string, plan: PlannedRun, summary: HeadlessSummary): void {
  writeTextFile('--trace', path, traceJsonLines(plan.scenario, summary.run, plan.durationUs));
}

function durationUsOf(args: ParsedArgs, scenario: Scenario): number {
  const text = args.values.get('--duration-ms');
  return text === undefined
    ? scenario.defaultDurationUs
    : Math.round(durationOption('--duration-ms', text, durationMsMax) * 1000);
}

/** Runs a planned run, returning the summary and the wall time. */
export function execute(
  catalogue: ScenarioCatalogue,
  plan: PlannedRun,
  inspect?: (sim: Simulation) => void,
): { summary: HeadlessSummary; wallMs: number } {
  const started = performance.now();
  const summary = runHeadless(catalogue, plan.request, plan.durationUs, inspect);
  return { summary, wallMs: performance.now() - started };
}

/** Plans the runs of a sweep. */
export function planSweep(catalogue: ScenarioCatalogue, args: ParsedArgs): PlannedRun[] {
  const target = args.positionals[0];
  if (target === undefined) throw new UsageError('Name a scenario (or "all") to sweep.');
  expectPositionals(args, 1);
  const seedsText = args.values.get('--seeds');
  if (seedsText === undefined)
    throw new UsageError('sweep needs --seeds A..B, e.g. --seeds 1..200.');
  const { first, last } = seedRange(seedsText, sweepSeedsMax);
  // `all` means every listed scenario; hidden ones (benchmark fixtures) are swept only by name.
  const scenarios =
    target === 'all'
      ? catalogue.scenarios.filter((scenario) => !scenario.isHidden)
      : [findScenario(catalogue, target)];
  if (target === 'all' && args.params.length > 0)
    throw new UsageError('--param applies to one scenario; name it instead of "all".');
  const variant: Variant = args.flags.has('--baseline') ? 'baseline' : 'pattern';
  const isChaos = args.flags.has('--chaos');
  const plans: PlannedRun[] = [];
  for (const scenario of scenarios) {
    const params = parseParams(scenario, args.params);
    const durationUs = durationUsOf(args, scenario);
    for (let seed = first; seed <= last; seed++) {
      const commands = isChaos ? chaosScheduleFor(scenario, seed, variant, params, durationUs) : [];
      plans.push({
        scenario,
        request: { scenarioId: scenario.id, seed, variant, params, commands },
        durationUs,
        isChaos,
        expected: null,
      });
    }
  }
  return plans;
}

/** The shell command that reproduces one run of a sweep. */
export function reproduction(plan: PlannedRun): string {
  const parts = ['npm run sim -- run', plan.scenario.id, `--seed ${plan.request.seed}`];
  if (plan.request.variant === 'baseline') parts.push('--baseline');
  if (plan.isChaos) parts.push('--chaos');
  parts.push(`--duration-ms ${plan.durationUs / 1000}`);
  for (const [key, value] of Object.entries(plan.request.params))
    parts.push(`--param ${key}=${value}`);
  return parts.join(' ');
}
