import type { Variant } from '../../src/engine/types.ts';
import { parseArgs } from '../../src/cli/args.ts';
import { execute, planSweep, reproduction } from '../../src/cli/commands.ts';
import { scenarioCatalogue } from '../../src/worker/catalogue.ts';

/** A slice of a chaos sweep: one scenario, one variant, a range of seeds. */
export interface ChaosTask {
  readonly scenarioId: string;
  readonly variant: Variant;
  readonly seedFirst: number;
  readonly seedLast: number;
}

/** One violated invariant or failed run, with the command that reproduces it. */
export interface ChaosFinding {
  readonly kind: 'safety' | 'liveness' | 'error';
  readonly text: string;
  readonly reproduce: string;
}

/** What a slice found. */
export interface ChaosTaskResult {
  readonly task: ChaosTask;
  readonly runs: number;
  readonly events: number;
  readonly findings: readonly ChaosFinding[];
}

/**
 * Runs a slice through the CLI's own sweep path (`sim sweep <id> --seeds A..B --chaos`): the same
 * plans, fault schedules, headless runs and reproduction lines, so a failure here reproduces with
 * the printed `npm run sim` command.
 */
export function runChaosTask(task: ChaosTask): ChaosTaskResult {
  const argv = [
    'sweep',
    task.scenarioId,
    '--seeds',
    `${task.seedFirst}..${task.seedLast}`,
    '--chaos',
  ];
  if (task.variant === 'baseline') argv.push('--baseline');
  const plans = planSweep(scenarioCatalogue, parseArgs(argv));
  const findings: ChaosFinding[] = [];
  let events = 0;
  for (const plan of plans) {
    const reproduce = reproduction(plan);
    try {
      const { summary } = execute(scenarioCatalogue, plan);
      events += summary.events;
      for (const result of summary.invariants) {
        if (result.violations === 0) continue;
        const first = result.firstViolation;
        const where = first === null ? '' : ` at ${first.timeUs / 1000} ms: ${first.message}`;
        findings.push({
          kind: result.kind,
          text: `${plan.scenario.id} ${task.variant} seed ${plan.request.seed}: ${result.id} (${result.kind})${where}`,
          reproduce,
        });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      findings.push({
        kind: 'error',
        text: `${plan.scenario.id} ${task.variant} seed ${plan.request.seed}: the run failed: ${reason}`,
        reproduce,
      });
    }
  }
  return { task, runs: plans.length, events, findings };
}
