import { scenarioCatalogue } from '../worker/catalogue.ts';
import { HeadlessError } from '../worker/headless.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { type ParsedArgs, UsageError, expectPositionals, parseArgs } from './args.ts';
import { execute, planRun, writeRunFile, writeTraceFile } from './commands.ts';
import { experimentCommand } from './experiment.ts';
import {
  checkRunConsistency,
  type ConsistencyReport,
  consistencyCheckOf,
  consistencyJson,
  formatConsistency,
} from './consistency.ts';
import { checkReplay } from '../worker/runFile.ts';
import {
  formatList,
  formatListJson,
  formatReplayCheck,
  formatSummary,
  summaryJson,
  usage,
} from './format.ts';
import { merge } from './merge.ts';
import { inevitableCommand } from './inevitable.ts';
import { shrinkCommand } from './shrink.ts';
import { checkCommand } from './check.ts';
import { WorkerDiedError } from './pool.ts';
import {
  type CatalogueModule,
  type SweepReport,
  defaultCatalogueModule,
  failureText,
  reportJson,
  summaryText,
  sweep,
} from './sweep.ts';

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

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. A sweep on
 * several processes needs a module its workers can load the catalogue from: the registry's by
 * default; a catalogue without one (a test's) sweeps in this process only.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  catalogue: ScenarioCatalogue = scenarioCatalogue,
  catalogueModule: CatalogueModule | null = catalogue === scenarioCatalogue
    ? defaultCatalogueModule
    : null,
): Promise<number> {
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
        return exitCodeOf(await sweep(catalogue, catalogueModule, args, io));
      case 'shrink':
        return shrinkCommand(catalogue, args, io);
      case 'inevitable':
        return inevitableCommand(catalogue, args, io);
      case 'experiment':
        await experimentCommand(catalogue, catalogueModule, args, io);
        return ExitCode.ok;
      case 'check':
        return checkCommand(catalogue, args, io);
      case 'merge': {
        const report = merge(args);
        if (args.flags.has('--json')) io.out(reportJson(report));
        else io.out(`${report.failures.map(failureText).join('')}${summaryText(report)}`);
        return exitCodeOf(report);
      }
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
  if (error instanceof WorkerDiedError) {
    line(error.message);
    return ExitCode.runFailed;
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
  const isChecked = consistencyCheckOf(args, plan.scenario) !== null;
  const reports: ConsistencyReport[] = [];
  const { summary, wallMs } = execute(catalogue, plan, (sim) => {
    if (isChecked) reports.push(checkRunConsistency(sim));
  });
  const [consistency = null] = reports;
  const exportPath = args.values.get('--export');
  if (exportPath !== undefined) writeRunFile(exportPath, plan, summary);
  const tracePath = args.values.get('--trace');
  if (tracePath !== undefined) writeTraceFile(tracePath, plan, summary);
  const check =
    plan.expected === null
      ? null
      : checkReplay(plan.expected, { traceHash: summary.traceHash, eventCount: summary.events });
  const isMatch = check?.isMatch ?? true;
  if (args.flags.has('--json')) {
    const fileCheck =
      plan.expected === null || check === null
        ? {}
        : {
            runFile: {
              version: plan.expected.version,
              expectedTraceHash: plan.expected.summary.traceHash,
              expectedEvents: plan.expected.summary.eventCount,
              comparedBy: check.basis,
              isMatch,
            },
          };
    const checked = consistency === null ? {} : { consistency: consistencyJson(consistency) };
    io.out(`${JSON.stringify({ ...summaryJson(summary, wallMs), ...fileCheck, ...checked })}\n`);
  } else {
    io.out(formatSummary(summary, wallMs, plan.scenario));
    if (plan.expected !== null && check !== null) {
      io.out(formatReplayCheck(plan.expected, summary, check));
    }
    if (consistency !== null) io.out(formatConsistency(consistency));
  }
  if (!isMatch) return ExitCode.replayMismatch;
  const isPromiseBroken = (consistency?.broken.length ?? 0) > 0;
  return summary.hasSafetyViolation || isPromiseBroken ? ExitCode.safetyViolation : ExitCode.ok;
}

/** A sweep (or a merge of its shards) fails when any run violated a safety invariant. */
function exitCodeOf(report: SweepReport): number {
  return report.safetyViolations > 0 ? ExitCode.safetyViolation : ExitCode.ok;
}
