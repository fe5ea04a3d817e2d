import type { Scenario } from '../scenarios/define.ts';
import { smallConfigOf } from '../search/configs.ts';
import { type SearchResult, SearchError, defaultStatesMax, search } from '../search/explore.ts';
import { replayRun } from '../search/replay.ts';
import { secondsText } from '../worker/commandText.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { encodeShareLink } from '../worker/shareLink.ts';
import { type ParsedArgs, UsageError, expectPositionals, integerOption } from './args.ts';
import type { CliIo } from './cli.ts';
import { findScenario, parseParams } from './commands.ts';

/*
 * `sim check`: the bounded exhaustive search of src/search on a small configuration of one
 * scenario. It prints the shortest schedule that violates the safety invariant, replayed in the
 * normal engine and given as a share link, or the certificate "no violation within depth D".
 */

/** Exit codes (the CLI's): a violation is 1 like any run's; a search that gave up is 3. */
const exitCode = { certificate: 0, violation: 1, gaveUp: 3 } as const;

/** Bounds on the options: a depth past this would not finish on any machine anyway. */
const depthMaxAllowed = 64;
const faultsMaxAllowed = 8;
const statesMaxAllowed = 50_000_000;

/** What the options say to explore. */
interface CheckPlan {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly variant: 'pattern' | 'baseline';
  readonly params: Readonly<Record<string, number>>;
  readonly nodes: number | null;
  readonly invariantId: string;
  readonly depth: number;
  readonly faults: number;
  readonly faultRoles: readonly string[] | null;
  readonly statesMax: number;
  readonly isAnyTimer: boolean;
  readonly configNote: string;
}

/** Runs `sim check` and returns the exit code. */
export function checkCommand(catalogue: ScenarioCatalogue, args: ParsedArgs, io: CliIo): number {
  const plan = planCheck(catalogue, args);
  const started = performance.now();
  let result: SearchResult;
  try {
    result = search({
      model: plan.scenario,
      seed: plan.seed,
      variant: plan.variant,
      params: plan.params,
      invariantId: plan.invariantId,
      depthMax: plan.depth,
      faultsMax: plan.faults,
      faultRoles: plan.faultRoles,
      statesMax: plan.statesMax,
      isAnyTimer: plan.isAnyTimer,
    });
  } catch (error) {
    if (error instanceof SearchError) throw new UsageError(error.message);
    throw error;
  }
  const wallMs = performance.now() - started;
  const link = result.kind === 'violation' ? linkOf(plan, result) : null;
  const report = { plan, result, wallMs, link };
  io.out(args.flags.has('--json') ? checkJson(report) : checkText(report));
  if (result.kind === 'violation') return exitCode.violation;
  return result.kind === 'gave-up' ? exitCode.gaveUp : exitCode.certificate;
}

/** Reads and checks the options; every mistake is a UsageError (one line, exit 2). */
function planCheck(catalogue: ScenarioCatalogue, args: ParsedArgs): CheckPlan {
  expectPositionals(args, 1);
  const scenario = findScenario(catalogue, args.positionals[0]);
  const config = smallConfigOf(scenario.id);
  const depthText = args.values.get('--depth');
  if (depthText === undefined) throw new UsageError('--depth is required (e.g. --depth 8).');
  const depth = integerOption('--depth', depthText, 1, depthMaxAllowed);
  const faults = integerOption('--faults', args.values.get('--faults') ?? '0', 0, faultsMaxAllowed);
  const seed = integerOption(
    '--seed',
    args.values.get('--seed') ?? '1',
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const statesMax = integerOption(
    '--states-max',
    args.values.get('--states-max') ?? String(defaultStatesMax),
    1,
    statesMaxAllowed,
  );
  const params: Record<string, number> = { ...config.quiet, ...parseParams(scenario, args.params) };
  const nodesText = args.values.get('--nodes');
  let nodes: number | null = null;
  if (nodesText !== undefined) {
    const key = config.nodesParam;
    const spec = key === undefined ? undefined : scenario.params[key];
    if (key === undefined || spec === undefined) {
      throw new UsageError(
        `--nodes: ${scenario.id} has a fixed topology; leave --nodes out (or use --param).`,
      );
    }
    nodes = integerOption('--nodes', nodesText, spec.min, spec.max);
    params[key] = nodes;
  }
  return {
    scenario,
    seed,
    variant: args.flags.has('--baseline') ? 'baseline' : 'pattern',
    params,
    nodes,
    invariantId: invariantOf(scenario, args.values.get('--invariant')),
    depth,
    faults,
    faultRoles: config.faultRoles ?? null,
    statesMax,
    isAnyTimer: args.flags.has('--any-timer'),
    configNote: config.note,
  };
}

/** The named invariant, or the scenario's first safety invariant. */
function invariantOf(scenario: Scenario, given: string | undefined): string {
  if (given !== undefined) return given;
  const first = scenario.invariants.find((invariant) => invariant.kind === 'safety');
  if (first === undefined) throw new UsageError(`${scenario.id} has no safety invariant to check.`);
  return first.id;
}

type Violation = Extract<SearchResult, { kind: 'violation' }>;

/**
 * The found run as a share link (`#/<scenario>?run=…`) positioned at the violation, after
 * checking that the normal engine replays it to the same trace and the same violation: a
 * schedule that did not would be a bug in the search, reported as one (exit 70).
 */
function linkOf(plan: CheckPlan, result: Violation): string {
  const replay = replayRun(plan.scenario, result.run, result.events, plan.invariantId);
  const first = replay.invariant?.firstViolation;
  if (
    replay.traceHash !== result.traceHash ||
    first?.event !== result.violation.event ||
    first.message !== result.violation.message
  ) {
    throw new Error(
      `the found schedule replayed to trace ${replay.traceHash}, not ${result.traceHash}`,
    );
  }
  return `#/${plan.scenario.id}?${encodeShareLink(result.run, result.violation.timeUs)}`;
}

interface Report {
  readonly plan: CheckPlan;
  readonly result: SearchResult;
  readonly wallMs: number;
  readonly link: string | null;
}

function perSecond(count: number, wallMs: number): number {
  return wallMs <= 0 ? count : Math.round((count * 1000) / wallMs);
}

function checkText({ plan, result, wallMs, link }: Report): string {
  const { scenario } = plan;
  const variant = plan.variant === 'baseline' ? `baseline (${scenario.baselineLabel})` : 'pattern';
  const invariant = scenario.invariants.find((each) => each.id === plan.invariantId);
  const nodes = plan.nodes === null ? '' : `, ${plan.nodes} nodes`;
  const lines = [
    `scenario    ${scenario.id} v${scenario.version}: ${scenario.title}, ${variant}${nodes}, seed ${plan.seed}`,
    `config      ${plan.configNote}`,
    `invariant   ${plan.invariantId}: ${invariant?.description ?? ''}`,
    `bounds      depth ${plan.depth}, faults ${plan.faults}${plan.isAnyTimer ? ', timers in any order' : ''}`,
  ];
  const explored = `${result.states} states, ${result.transitions} transitions`;
  const speed = `${(wallMs / 1000).toFixed(2)} s, ${perSecond(result.states, wallMs)} states/s`;
  switch (result.kind) {
    case 'violation':
      lines.push(
        `violated    at depth ${result.depth}: no schedule of ${result.depth - 1} or fewer choices violates it`,
        ...result.steps.map((step, i) => `  ${String(i + 1).padStart(2)}. ${step.text}`),
        `  → ${result.violation.message} (at ${secondsText(result.violation.timeUs)}, event ${result.violation.event})`,
        `explored    ${explored} (${speed})`,
        `replayed    by the normal engine: same trace hash (${result.traceHash}), same violation`,
        `link        ${link ?? ''}`,
      );
      break;
    case 'certificate':
      lines.push(
        `certified   no violation within depth ${result.depth}: ${explored}${result.isExhausted ? ' (every reachable state; nothing is left to choose)' : ''}`,
        `per depth   ${result.statesPerDepth.join(' ')}`,
        `explored    ${speed}`,
      );
      break;
    case 'gave-up':
      lines.push(
        `gave up     at ${plan.statesMax} states (--states-max): no violation within depth ${result.depth}, ${explored}`,
        `explored    ${speed}`,
      );
      break;
    default: {
      const unknown: never = result;
      lines.push(String(unknown));
    }
  }
  return `${lines.join('\n')}\n`;
}

function checkJson({ plan, result, wallMs, link }: Report): string {
  const common = {
    scenario: plan.scenario.id,
    version: plan.scenario.version,
    variant: plan.variant,
    seed: plan.seed,
    params: plan.params,
    invariant: plan.invariantId,
    depthMax: plan.depth,
    faultsMax: plan.faults,
    isAnyTimer: plan.isAnyTimer,
    result: result.kind,
    depth: result.depth,
    states: result.states,
    transitions: result.transitions,
    statesPerDepth: result.statesPerDepth,
    wallMs: Math.round(wallMs * 10) / 10,
    statesPerSecond: perSecond(result.states, wallMs),
  };
  const found =
    result.kind === 'violation'
      ? {
          schedule: result.steps.map((step) => ({ ...step.choice, text: step.text })),
          violation: result.violation,
          traceHash: result.traceHash,
          commands: result.run.commands,
          link,
        }
      : result.kind === 'certificate'
        ? { isExhausted: result.isExhausted }
        : {};
  return `${JSON.stringify({ ...common, ...found })}\n`;
}
