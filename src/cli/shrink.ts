import { valueText } from '../engine/paramText.ts';
import type { RecordedCommand, RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import {
  type ShrinkErrorCode,
  type ShrinkProgress,
  type ShrinkResult,
  type ShrinkStep,
  type ShrunkRun,
  ShrinkError,
  shrink,
} from '../shrink/shrink.ts';
// The app's command log wording, so a command reads the same in the terminal and on the page.
import { commandText, recordedCommandText, secondsText } from '../worker/commandText.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { encodeShareLink } from '../worker/shareLink.ts';
import type { ParsedArgs } from './args.ts';
import { planRun } from './commands.ts';
import type { CliIo } from './cli.ts';

/*
 * `sim shrink`: the smallest run that still violates the same safety invariant (src/shrink),
 * printed as the original and minimal command logs, the runs it took, both first violation
 * times and the minimal run's share link.
 */

/**
 * Exit codes for what shrinking (and `inevitable`) refuses (the CLI's codes: 2 bad input, 3 the
 * run failed). A result that does not replay is a bug: it goes to the CLI's internal-error
 * report (70).
 */
export const shrinkExitCodes: Readonly<
  Record<Exclude<ShrinkErrorCode, 'replay-mismatch'>, number>
> = {
  'bad-run': 2,
  'unknown-scenario': 2,
  'unknown-invariant': 2,
  'not-safety': 2,
  'no-violation': 2,
  cancelled: 3,
};

/** Runs `shrink` for parsed arguments and returns the exit code (0: shrunk). */
export function shrinkCommand(catalogue: ScenarioCatalogue, args: ParsedArgs, io: CliIo): number {
  const plan = planRun(catalogue, args);
  const isJson = args.flags.has('--json');
  const invariantId = args.values.get('--invariant');
  const started = performance.now();
  let result: ShrinkResult;
  try {
    result = shrink(
      catalogue,
      {
        run: plan.request,
        durationUs: plan.durationUs,
        ...(invariantId === undefined ? {} : { invariantId }),
      },
      isJson ? {} : { onProgress: progressPrinter(io) },
    );
  } catch (error) {
    if (!(error instanceof ShrinkError) || error.code === 'replay-mismatch') throw error;
    io.err(`distsim: ${error.message}\n`);
    return shrinkExitCodes[error.code];
  }
  const wallMs = performance.now() - started;
  const fragment = fragmentOf(result.minimal);
  const base = baseUrlOf(args.values.get('--link'));
  const url = base === null ? null : `${base}${fragment}`;
  const report = { result, scenario: plan.scenario, fragment, url, wallMs };
  io.out(isJson ? shrinkJson(report) : shrinkText(report));
  return 0;
}

/**
 * One stderr line whenever the phase or the size of the smallest failing run changes, from the
 * first search run on: a run that cannot be shrunk gets its one error line and nothing else.
 */
function progressPrinter(io: CliIo): (progress: ShrinkProgress) => void {
  let last = '';
  return (progress) => {
    if (progress.phase === 'checking' && progress.runs === 0) return;
    const now = `${progress.phase} ${progress.size}`;
    if (now === last) return;
    last = now;
    io.err(`shrink: ${progress.phase}, ${progress.runs} runs, ${entriesText(progress.size)}\n`);
  };
}

/** The fragment the app opens: `#/<scenario>?run=<payload>`, positioned at the run's end. */
function fragmentOf(shrunk: ShrunkRun): string {
  return `#/${shrunk.run.scenarioId}?${encodeShareLink(shrunk.run, shrunk.durationUs)}`;
}

/** The page address of a full link given to `--link` (`https://host/path/#…`), if one was. */
function baseUrlOf(link: string | undefined): string | null {
  if (link === undefined) return null;
  const hash = link.indexOf('#');
  const base = hash < 0 ? '' : link.slice(0, hash).trim();
  return /^https?:\/\/\S+$/.test(base) ? base : null;
}

interface Report {
  readonly result: ShrinkResult;
  readonly scenario: Scenario;
  readonly fragment: string;
  readonly url: string | null;
  readonly wallMs: number;
}

function entriesText(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

function commandsText(count: number): string {
  return `${count} ${count === 1 ? 'command' : 'commands'}`;
}

/** Parameters set away from their defaults, in words: "Save delay 80 ms". */
function paramLines(scenario: Scenario, run: RunDescription): string[] {
  return Object.entries(run.params).flatMap(([key, value]) => {
    const spec = Object.hasOwn(scenario.params, key) ? scenario.params[key] : undefined;
    if (spec === undefined || spec.default === value) return [];
    return [
      `parameter ${spec.label} ${valueText(spec, value)} (default ${valueText(spec, spec.default)})`,
    ];
  });
}

function commandLine(scenario: Scenario, record: RecordedCommand): string {
  return recordedCommandText(record, { meta: scenario });
}

function stepText(scenario: Scenario, step: ShrinkStep): string {
  const words = (command: RecordedCommand['command']): string =>
    commandText(command, { meta: scenario });
  switch (step.kind) {
    case 'event-counts-dropped':
      return 'commands apply by simulated time (their recorded event counts dropped)';
    case 'after-violation-dropped':
      return `dropped ${commandsText(step.count)} after the first violation`;
    case 'nothing-needed':
      return 'the run fails without any command or parameter change';
    case 'removed':
      return `delta debugging: ${step.fromSize} → ${entriesText(step.toSize)} in ${step.runs} runs`;
    case 'moved-later':
      return `moved ${words(step.command)} from ${secondsText(step.fromUs)} to ${secondsText(step.toUs)}`;
    case 'ended-sooner':
      return `${words(step.undo)} moved earlier, from ${secondsText(step.fromUs)} to ${secondsText(step.toUs)}`;
    case 'pause-shortened':
      return `${words(step.command)} shortened to ${step.toMs} ms`;
    case 'duration-cut':
      return `run cut from ${secondsText(step.fromUs)} to ${secondsText(step.toUs)}, just past the violation`;
    default: {
      const unknownStep: never = step;
      return String(unknownStep);
    }
  }
}

function runLines(label: string, scenario: Scenario, shrunk: ShrunkRun): string[] {
  const params = paramLines(scenario, shrunk.run);
  const changes =
    params.length === 0
      ? ''
      : `, ${params.length} parameter ${params.length === 1 ? 'change' : 'changes'}`;
  return [
    `${label.padEnd(12)}${commandsText(shrunk.run.commands.length)}${changes}; first violation at ${secondsText(shrunk.violation.timeUs)}: ${shrunk.violation.message}`,
    ...params.map((line) => `  ${line}`),
    ...shrunk.run.commands.map((record) => `  ${commandLine(scenario, record)}`),
    `  (played to ${secondsText(shrunk.durationUs)})`,
  ];
}

function shrinkText({ result, scenario, fragment, url, wallMs }: Report): string {
  const { run } = result.original;
  const variant = run.variant === 'baseline' ? `baseline (${scenario.baselineLabel})` : 'pattern';
  const lines = [
    `scenario    ${run.scenarioId} v${run.scenarioVersion}: ${scenario.title}, ${variant}, seed ${run.seed}`,
    `invariant   ${result.invariant.id}: ${result.invariant.description}`,
    ...runLines('original', scenario, result.original),
    ...runLines('minimal', scenario, result.minimal),
    `runs        ${result.runs} (${(wallMs / 1000).toFixed(1)} s)`,
    'steps',
    ...(result.steps.length === 0
      ? ['  none: the run was minimal already']
      : result.steps.map((step) => `  ${stepText(scenario, step)}`)),
    `link        ${fragment}`,
  ];
  if (url !== null) lines.push(`url         ${url}`);
  return `${lines.join('\n')}\n`;
}

function runJson(scenario: Scenario, shrunk: ShrunkRun): object {
  return {
    params: shrunk.run.params,
    commands: shrunk.run.commands,
    commandTexts: shrunk.run.commands.map((record) => commandLine(scenario, record)),
    durationMs: shrunk.durationUs / 1000,
    firstViolationMs: shrunk.violation.timeUs / 1000,
    violation: shrunk.violation.message,
  };
}

function shrinkJson({ result, scenario, fragment, url, wallMs }: Report): string {
  const { run } = result.original;
  return `${JSON.stringify({
    scenario: run.scenarioId,
    version: run.scenarioVersion,
    variant: run.variant,
    seed: run.seed,
    invariant: result.invariant,
    original: runJson(scenario, result.original),
    minimal: { ...runJson(scenario, result.minimal), link: fragment, url },
    runs: result.runs,
    wallMs: Math.round(wallMs * 10) / 10,
    steps: result.steps.map((step) => ({ ...step, text: stepText(scenario, step) })),
  })}\n`;
}
