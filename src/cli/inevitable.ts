import type { Scenario } from '../scenarios/define.ts';
import {
  type ForkPoint,
  type InevitableProgress,
  type InevitableResult,
  forksDefault,
  forksMax,
  inevitable,
  trialsDefault,
  trialsMax,
} from '../shrink/inevitable.ts';
import { ShrinkError } from '../shrink/errors.ts';
import { secondsText } from '../worker/commandText.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { type ParsedArgs, integerOption } from './args.ts';
import type { CliIo } from './cli.ts';
import { planRun } from './commands.ts';
import { shrinkExitCodes } from './shrink.ts';

/*
 * `sim inevitable`: from when on a violating run was bound to fail (src/shrink/inevitable.ts),
 * printed as the curve: per fork moment, how many of the runs forked there and rolled afresh
 * still broke the invariant.
 */

/** Characters of a fork's bar at probability 1. */
const barWidth = 24;

/** Runs `inevitable` for parsed arguments and returns the exit code (0: measured). */
export function inevitableCommand(
  catalogue: ScenarioCatalogue,
  args: ParsedArgs,
  io: CliIo,
): number {
  const plan = planRun(catalogue, args);
  const isJson = args.flags.has('--json');
  const invariantId = args.values.get('--invariant');
  const forksText = args.values.get('--forks');
  const trialsText = args.values.get('--trials');
  const forks =
    forksText === undefined ? forksDefault : integerOption('--forks', forksText, 1, forksMax);
  const trials =
    trialsText === undefined ? trialsDefault : integerOption('--trials', trialsText, 1, trialsMax);
  const started = performance.now();
  let result: InevitableResult;
  try {
    result = inevitable(
      catalogue,
      {
        run: plan.request,
        durationUs: plan.durationUs,
        forks,
        trials,
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
  const report: Report = { result, scenario: plan.scenario, request: plan.request, wallMs };
  io.out(isJson ? inevitableJson(report) : inevitableText(report));
  return 0;
}

interface Report {
  readonly result: InevitableResult;
  readonly scenario: Scenario;
  readonly request: {
    readonly seed: number;
    readonly variant: string;
    readonly scenarioId: string;
  };
  readonly wallMs: number;
}

/** One stderr line per fork measured (a fork's runs are quick; a line per run would flood). */
function progressPrinter(io: CliIo): (progress: InevitableProgress) => void {
  let forksSeen = 0;
  return (progress) => {
    if (progress.points.length === forksSeen) return;
    forksSeen = progress.points.length;
    io.err(
      `inevitable: ${forksSeen} ${forksSeen === 1 ? 'fork' : 'forks'} measured, ${progress.runs} of ${progress.runsTotal} runs\n`,
    );
  };
}

function barOf(point: ForkPoint): string {
  const filled = Math.round((point.violated / point.trials) * barWidth);
  return `${'█'.repeat(filled)}${'·'.repeat(barWidth - filled)}`;
}

function inevitableText({ result, scenario, request, wallMs }: Report): string {
  const variant =
    request.variant === 'baseline' ? `baseline (${scenario.baselineLabel})` : 'pattern';
  const countWidth = String(result.points[0]?.trials ?? 1).length;
  const lines = [
    `scenario    ${request.scenarioId}: ${scenario.title}, ${variant}, seed ${request.seed}`,
    `invariant   ${result.invariant.id}: ${result.invariant.description}`,
    `violation   first at ${secondsText(result.violationUs)}`,
    result.inevitableFromUs < result.violationUs
      ? `inevitable  from ${secondsText(result.inevitableFromUs)}: every run forked there or later broke it`
      : `inevitable  only at the violation: from every earlier fork some run did not break it`,
    `runs        ${result.runs} (${(wallMs / 1000).toFixed(1)} s), the faults up to each fork, none after, randomness redrawn`,
    'fork        broke',
    ...result.points.map(
      (point) =>
        `  ${secondsText(point.forkUs).padStart(9)}  ${String(point.violated).padStart(countWidth)}/${point.trials}  ${barOf(point)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function inevitableJson({ result, request, wallMs }: Report): string {
  return `${JSON.stringify({
    scenario: request.scenarioId,
    variant: request.variant,
    seed: request.seed,
    invariant: result.invariant,
    violationMs: result.violationUs / 1000,
    inevitableFromMs: result.inevitableFromUs / 1000,
    runs: result.runs,
    wallMs: Math.round(wallMs * 10) / 10,
    curve: result.points.map((point) => ({
      forkMs: point.forkUs / 1000,
      runs: point.trials,
      violated: point.violated,
      probability: point.violated / point.trials,
    })),
  })}\n`;
}
