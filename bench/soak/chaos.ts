import { join } from 'node:path';
import { runPool } from '../../src/cli/pool.ts';
import { scenarioCatalogue } from '../../src/worker/catalogue.ts';
import type { ChaosFinding, ChaosTask, ChaosTaskResult } from './chaosTask.ts';
import { type PartOutcome, say, seconds } from './report.ts';

/*
 * Part 2: every listed scenario swept over many seeds under the CLI's chaos schedule (crashes,
 * restarts, partitions, isolations, lossy links, pauses, then everything healed), shared between
 * child processes. The pattern must show no safety violation, no liveness miss after the heal and
 * no failed run. Baselines leave the pattern out, so their safety violations are expected (the
 * contract test checks safety for the pattern only): for them only a failed run counts.
 */

/** Seeds per slice handed to a child: small enough to balance two processes. */
const seedsPerTask = 50;
/** Finding lines printed per scenario and variant (all are counted). */
const printedFindingsMax = 10;

interface Tally {
  runs: number;
  events: number;
  tasksLeft: number;
  readonly counts: Record<ChaosFinding['kind'], number>;
  readonly printed: string[];
}

function tasksFor(variant: ChaosTask['variant'], seeds: number): ChaosTask[] {
  const tasks: ChaosTask[] = [];
  for (const scenario of scenarioCatalogue.scenarios.filter((each) => !each.isHidden)) {
    for (let first = 1; first <= seeds; first += seedsPerTask) {
      const last = Math.min(seeds, first + seedsPerTask - 1);
      tasks.push({ scenarioId: scenario.id, variant, seedFirst: first, seedLast: last });
    }
  }
  return tasks;
}

/** Runs the tasks on the CLI sweep's process pool; results arrive as slices finish. */
function runTasks(
  tasks: readonly ChaosTask[],
  workerCount: number,
  onResult: (result: ChaosTaskResult) => void,
): Promise<void> {
  return runPool<ChaosTask, ChaosTaskResult>({
    modulePath: join(import.meta.dirname, 'chaosWorker.ts'),
    workerCount,
    tasks,
    // Slices take seconds: one at a time per child balances the processes best.
    tasksInFlight: 1,
    onResult: (_index, result) => {
      onResult(result);
      return true;
    },
  });
}

/** Sweeps the pattern over `seeds` seeds and the baseline over `baselineSeeds`, per scenario. */
export async function soakChaos(
  seeds: number,
  baselineSeeds: number,
  workers: number,
): Promise<PartOutcome> {
  const tasks = [...tasksFor('pattern', seeds), ...tasksFor('baseline', baselineSeeds)];
  say(
    'chaos',
    `${tasks.length} slices of up to ${seedsPerTask} seeds on ${workers} processes: pattern ${seeds} seeds, baseline ${baselineSeeds} seeds per scenario`,
  );
  const started = performance.now();
  const tallies = new Map<string, Tally>();
  for (const task of tasks) {
    const key = `${task.scenarioId} ${task.variant}`;
    const tally = tallies.get(key);
    if (tally !== undefined) tally.tasksLeft++;
    else
      tallies.set(key, {
        runs: 0,
        events: 0,
        tasksLeft: 1,
        counts: { safety: 0, liveness: 0, error: 0 },
        printed: [],
      });
  }
  const failures: string[] = [];
  await runTasks(tasks, workers, (result) => {
    const key = `${result.task.scenarioId} ${result.task.variant}`;
    const tally = tallies.get(key);
    if (tally === undefined) return;
    tally.runs += result.runs;
    tally.events += result.events;
    tally.tasksLeft--;
    const isPattern = result.task.variant === 'pattern';
    for (const finding of result.findings) {
      tally.counts[finding.kind]++;
      const isFailure = isPattern || finding.kind === 'error';
      const text = `${isFailure ? 'FAIL' : 'info'} ${finding.text}\n${''.padEnd(18)}reproduce: ${finding.reproduce}`;
      if (isFailure) failures.push(`${finding.text}; reproduce: ${finding.reproduce}`);
      if (tally.printed.length < printedFindingsMax && (isFailure || tally.printed.length < 3)) {
        tally.printed.push(text);
        say('chaos', text);
      }
    }
    if (tally.tasksLeft === 0) {
      const { safety, liveness, error } = tally.counts;
      say(
        'chaos',
        `${key.padEnd(26)} ${tally.runs} runs, ${(tally.events / 1e6).toFixed(1)} M events: ` +
          `${safety} safety violations, ${liveness} liveness misses, ${error} failed runs` +
          `${isPattern ? '' : ' (baseline: violations reported, not failed)'}; done at ${seconds(performance.now() - started)}`,
      );
    }
  });
  const total = [...tallies.values()].reduce(
    (sum, tally) => ({ runs: sum.runs + tally.runs, events: sum.events + tally.events }),
    { runs: 0, events: 0 },
  );
  const wallMs = performance.now() - started;
  say(
    'chaos',
    `total ${total.runs} runs, ${(total.events / 1e6).toFixed(1)} M events in ${seconds(wallMs)} ` +
      `(${((total.runs * 1000) / wallMs).toFixed(1)} runs/s); ${failures.length} failures`,
  );
  return { failures };
}
