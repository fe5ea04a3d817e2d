import {
  type Contender,
  type RepetitionPlan,
  describeWallTimes,
  formatRate,
  formatRatio,
  interleave,
  median,
  millionsPerSecond,
} from './measure.ts';
import {
  type Implementation,
  type Workload,
  type WorkloadResult,
  implementations,
} from './workloads.ts';

/** The engine queue must reach this fraction of the bare heap's rate (BENCHMARKS.md). */
export const bareTargetRatio = 0.8;

/** One measured queue figure. */
export interface QueueFigure {
  readonly name: string;
  /** Median M events/s of each implementation. */
  readonly rates: Readonly<Record<Implementation, number>>;
  /** Why the figure is void (checksums or event counts differ), or null when it stands. */
  readonly voidReason: string | null;
  /** The line printed for this figure, ending with the ratios. */
  readonly summary: string;
}

/** Describes a disagreement between the three implementations' results, or null. */
function disagreement(results: readonly WorkloadResult[]): string | null {
  const first = results[0];
  if (first === undefined) return 'no results';
  const isSame = results.every(
    (result) => result.events === first.events && result.checksum === first.checksum,
  );
  if (isSame) return null;
  const parts = results.map(
    (result, index) =>
      `${implementations[index] ?? '?'} ${result.events} events, checksum ${result.checksum}`,
  );
  return `implementations disagree: ${parts.join('; ')}`;
}

function targetNote(
  label: string,
  ratio: number,
  target: number,
): { text: string; isMet: boolean } {
  return {
    text: `${label} ${formatRatio(ratio)} (target ≥${target}x)`,
    isMet: ratio >= target,
  };
}

/**
 * Measures one workload on the three implementations, interleaved, and prints a detail line per
 * implementation and the figure's summary line.
 */
export function benchWorkload(
  workload: Workload,
  plan: RepetitionPlan,
  print: (line: string) => void,
): QueueFigure {
  print(`${workload.name}: ${workload.description}`);
  let voidReason: string | null = null;
  const contenders: Contender<WorkloadResult>[] = implementations.map((name) => ({
    name,
    run: workload.run[name],
  }));
  const timings = interleave(contenders, plan, (round, results) => {
    const problem = disagreement(results);
    if (problem !== null && voidReason === null) voidReason = `round ${round + 1}: ${problem}`;
  });
  const rates = {} as Record<Implementation, number>;
  for (const timing of timings) {
    const name = timing.name as Implementation;
    const events = timing.results[0]?.events ?? 0;
    const rate = millionsPerSecond(events, median(timing.wallMs));
    rates[name] = rate;
    print(
      `  ${name.padEnd(6)} ${describeWallTimes(timing.wallMs)}  ${formatRate(rate)} M ev/s` +
        `  checksum ${timing.results[0]?.checksum ?? '-'}`,
    );
  }
  const summary = summarize(workload, rates, voidReason);
  print(summary);
  return { name: workload.name, rates, voidReason, summary };
}

function summarize(
  workload: Workload,
  rates: Readonly<Record<Implementation, number>>,
  voidReason: string | null,
): string {
  if (voidReason !== null) return `${workload.name}: VOID — ${voidReason}`;
  const versusSimJs = targetNote(
    'engine/simjs',
    rates.engine / rates.simjs,
    workload.simjsTargetRatio,
  );
  const versusBare = targetNote('engine/bare', rates.engine / rates.bare, bareTargetRatio);
  const missed = [versusSimJs, versusBare].filter((note) => !note.isMet);
  const verdict =
    missed.length === 0
      ? 'targets met'
      : `MISSED: ${missed.map((note) => note.text.split(' ')[0] ?? '').join(', ')}`;
  return (
    `${workload.name}: engine ${formatRate(rates.engine)} M ev/s, simjs ${formatRate(rates.simjs)}, ` +
    `bare ${formatRate(rates.bare)} — ${versusSimJs.text}, ${versusBare.text} — ${verdict}`
  );
}
