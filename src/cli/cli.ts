import { scenarioCatalogue } from '../worker/catalogue.ts';
import { HeadlessError } from '../worker/headless.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { type ParsedArgs, UsageError, expectPositionals, parseArgs } from './args.ts';
import {
  execute,
  planRun,
  planSweep,
  reproduction,
  writeRunFile,
  writeTraceFile,
} from './commands.ts';
import {
  formatList,
  formatListJson,
  formatReplayCheck,
  formatSummary,
  summaryJson,
  usage,
} from './format.ts';

/** Exit codes: what a script calling the CLI can rely on. */
export const ExitCode = {
  ok: 0,
  safetyViolation: 1,
  badArguments: 2,
  runFailed: 3,
  /** A run file replayed to a different trace hash than the one it records. */
  replayMismatch: 4,
  /** A bug in DistSim itself (EX_SOFTWARE). */
  internalError: 70,
} as const;

/** Host error codes that mean the input was wrong, not the run. */
const inputErrorCodes: ReadonlySet<string> = new Set([
  'bad-command',
  'unknown-node',
  'no-link',
  'bad-link',
  'param-out-of-range',
  'unknown-param',
  'param-not-live',
  'unknown-fault',
  'command-order',
  'bad-seed',
  'version-mismatch',
  'unknown-scenario',
]);

/** Output sinks, injectable so tests can run the CLI in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export function runCli(
  argv: readonly string[],
  io: CliIo,
  catalogue: ScenarioCatalogue = scenarioCatalogue,
): number {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
    if (args.flags.has('--help') || args.command === 'help') {
      io.out(usage());
      return ExitCode.ok;
    }
    switch (args.command) {
      case 'list':
        expectPositionals(args, 0);
        io.out(args.flags.has('--json') ? formatListJson(catalogue) : formatList(catalogue));
        return ExitCode.ok;
      case 'run':
        return runOne(catalogue, args, io);
      case 'sweep':
        return sweep(catalogue, args, io);
      default:
        throw new UsageError(`Unknown command "${args.command}".`);
    }
  } catch (error) {
    return reportFailure(error, io);
  }
}

/**
 * Every failure is one line on stderr, `distsim: <problem>`, and an exit code; never a stack
 * trace. Mistakes in the input say what to fix; anything else is a bug in DistSim.
 */
function reportFailure(error: unknown, io: CliIo): number {
  const line = (text: string): void => {
    io.err(`distsim: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
  };
  if (error instanceof UsageError) {
    line(`${error.message} See "npm run sim -- help".`);
    return ExitCode.badArguments;
  }
  if (error instanceof HeadlessError) {
    line(`${error.message} [${error.code}]`);
    return inputErrorCodes.has(error.code) ? ExitCode.badArguments : ExitCode.runFailed;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  line(`internal error (${message}); please report it with the command that caused it`);
  return ExitCode.internalError;
}

function runOne(catalogue: ScenarioCatalogue, args: ParsedArgs, io: CliIo): number {
  const plan = planRun(catalogue, args);
  const { summary, wallMs } = execute(catalogue, plan);
  const exportPath = args.values.get('--export');
  if (exportPath !== undefined) writeRunFile(exportPath, plan, summary);
  const tracePath = args.values.get('--trace');
  if (tracePath !== undefined) writeTraceFile(tracePath, plan, summary);
  const isMatch = plan.expected === null || plan.expected.traceHash === summary.traceHash;
  if (args.flags.has('--json')) {
    const check =
      plan.expected === null
        ? {}
        : { runFile: { expectedTraceHash: plan.expected.traceHash, isMatch } };
    io.out(`${JSON.stringify({ ...summaryJson(summary, wallMs), ...check })}\n`);
  } else {
    io.out(formatSummary(summary, wallMs, plan.scenario));
    if (plan.expected !== null) io.out(formatReplayCheck(plan.expected, summary));
  }
  if (!isMatch) return ExitCode.replayMismatch;
  return summary.hasSafetyViolation ? ExitCode.safetyViolation : ExitCode.ok;
}

function sweep(catalogue: ScenarioCatalogue, args: ParsedArgs, io: CliIo): number {
  const plans = planSweep(catalogue, args);
  const isJson = args.flags.has('--json');
  let violations = 0;
  let livenessMisses = 0;
  const failures: object[] = [];
  const started = performance.now();
  for (const plan of plans) {
    const { summary } = execute(catalogue, plan);
    const violated = summary.invariants.filter((result) => result.violations > 0);
    if (violated.some((result) => result.kind === 'safety')) violations++;
    if (violated.some((result) => result.kind === 'liveness')) livenessMisses++;
    // Every violated invariant gets a line that reproduces it; only safety fails the sweep.
    for (const result of violated) {
      const first = result.firstViolation;
      const where =
        first === null
          ? ''
          : ` at ${first.timeUs / 1000} ms (event ${first.event}): ${first.message}`;
      if (isJson)
        failures.push({
          scenario: plan.scenario.id,
          seed: plan.request.seed,
          invariant: result.id,
          kind: result.kind,
          firstViolation: first,
          reproduce: reproduction(plan),
        });
      else
        io.out(
          `${result.kind === 'safety' ? '✗' : '!'} ${plan.scenario.id} seed ${plan.request.seed}: ${result.id} (${result.kind}) violated${where}\n  reproduce: ${reproduction(plan)}\n`,
        );
    }
  }
  const wallMs = performance.now() - started;
  if (isJson) {
    io.out(
      `${JSON.stringify({ runs: plans.length, safetyViolations: violations, livenessMisses, wallMs: Math.round(wallMs), failures })}\n`,
    );
  } else {
    io.out(
      `swept ${plans.length} runs in ${(wallMs / 1000).toFixed(1)} s: ${violations} with safety violations, ${livenessMisses} with liveness misses\n`,
    );
  }
  return violations > 0 ? ExitCode.safetyViolation : ExitCode.ok;
}
