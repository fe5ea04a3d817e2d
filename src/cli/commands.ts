import { readFileSync } from 'node:fs';
import { paramProblem } from '../engine/setup.ts';
import type { RecordedCommand, Variant } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { type HeadlessSummary, runHeadless } from '../worker/headless.ts';
import type { RunRequest } from '../worker/protocol.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { parseCommandLog } from '../worker/schema.ts';
import { decodeShareLink } from '../worker/shareLink.ts';
import { type ParsedArgs, UsageError, durationOption, integerOption, seedRange } from './args.ts';

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
    const spec = scenario.params[key];
    if (spec === undefined)
      throw new UsageError(`${scenario.id} has no parameter "${key}". Keys: ${keys}.`);
    const raw = text.slice(eq + 1);
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      throw new UsageError(`--param ${key} must be a number, got "${raw}".`);
    }
    const problem = paramProblem(spec, value);
    if (problem !== null) throw new UsageError(`--param ${key}: ${problem} (${spec.help}).`);
    params[key] = value;
  }
  return params;
}

/** Reads and checks a fault file: the command log format the UI records. */
export function readFaultFile(path: string): RecordedCommand[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--faults ${path}: cannot read the file (${reason}).`);
  }
  if (text.length > faultFileBytesMax)
    throw new UsageError(`--faults ${path}: larger than ${faultFileBytesMax} bytes.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `--faults ${path}: not valid JSON (${reason}). Expected a list like [{"atMs": 1000, "command": {"type": "node.crash", "node": "n1"}}].`,
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
  if (link !== undefined) return planLinkRun(catalogue, args, link);
  const scenario = findScenario(catalogue, args.positionals[0]);
  if (args.positionals.length > 1)
    throw new UsageError(`Unexpected argument "${args.positionals[1] ?? ''}".`);
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
  };
}

function planLinkRun(catalogue: ScenarioCatalogue, args: ParsedArgs, link: string): PlannedRun {
  const conflicting = ['--seed', '--faults'].filter((name) => args.values.has(name));
  if (args.params.length > 0) conflicting.push('--param');
  for (const flag of ['--baseline', '--chaos']) if (args.flags.has(flag)) conflicting.push(flag);
  if (conflicting.length > 0 || args.positionals.length > 0) {
    throw new UsageError(
      `--link already holds the whole run; drop ${[...conflicting, ...args.positionals].join(', ')}.`,
    );
  }
  const decoded = decodeShareLink(link, catalogue);
  if (!decoded.ok) throw new UsageError(`--link: ${decoded.problem.message}`);
  for (const note of decoded.notes) process.stderr.write(`note: ${note}\n`);
  const scenario = findScenario(catalogue, decoded.shared.request.scenarioId);
  const position = decoded.shared.positionUs;
  const durationUs =
    args.values.has('--duration-ms') || position <= 0 ? durationUsOf(args, scenario) : position;
  return { scenario, request: decoded.shared.request, durationUs, isChaos: false };
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
): { summary: HeadlessSummary; wallMs: number } {
  const started = performance.now();
  const summary = runHeadless(catalogue, plan.request, plan.durationUs);
  return { summary, wallMs: performance.now() - started };
}

/** Plans the runs of a sweep. */
export function planSweep(catalogue: ScenarioCatalogue, args: ParsedArgs): PlannedRun[] {
  const target = args.positionals[0];
  if (target === undefined) throw new UsageError('Name a scenario (or "all") to sweep.');
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
