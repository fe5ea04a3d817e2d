import type { Variant } from '../src/engine/types.ts';
import { formatRate, median } from './measure.ts';
import { defaultSizeTargetSpeedup, scaledTargetSpeedup } from './scenarioBench.ts';
import { type ColdRun, coldRun, warmRuns } from './scenarioProcesses.ts';
import { type RegistryScenario, loadListedScenarios } from './scenarioRegistry.ts';
import { largestSizeParams } from './scenarioSizes.ts';
import type { WarmResult } from './scenarioWarm.ts';

/**
 * The scenario table (`npm run bench -- scenarios`): every listed scenario, pattern and baseline,
 * seed 5, no faults, at its default size and at two run lengths, and at its largest size.
 *
 * - cold: one `sim run … --json` in a fresh process per length, the issue's definition of the
 *   speed target (≥ 1,000× real time, here at both lengths);
 * - warm: medians of repeated runs through the same code in one process per scenario and
 *   variant (scenarioWarm.ts), where JIT warm-up no longer counts;
 * - flat cost: cost per event at the long length over the short one, warm (cold printed too),
 *   against ≤ 1.5×: a cost that grows with the run's length shows here;
 * - scaled: one cold run at the largest sizes (scenarioSizes.ts), against ≥ 50×.
 */

/** A 600 s run may cost at most this much more per event than a 75 s run. */
export const flatCostTargetRatio = 1.5;

export interface TableOptions {
  readonly shortMs: number;
  readonly longMs: number;
  readonly scaledMs: number;
  /** Warm rounds (each runs every length once), at most. */
  readonly rounds: number;
  /** Warm rounds stop after the first that ends past this much wall time. */
  readonly warmBudgetMs: number;
}

const variants: readonly Variant[] = ['pattern', 'baseline'];
const seedArgs = ['--seed', '5'];

export function tableFigureName(scenarioId: string): string {
  return `scenarios-${scenarioId}`;
}

export function scaledFigureName(scenarioId: string): string {
  return `scenarios-scaled-${scenarioId}`;
}

/** One run length's speed: simulated over wall time, events per second, wall time per event. */
interface Speed {
  readonly speedup: number;
  readonly rate: number;
  readonly microsPerEvent: number;
}

function speedOf(lengthMs: number, wallMs: number, events: number): Speed {
  return {
    speedup: lengthMs / wallMs,
    rate: events / wallMs / 1000,
    microsPerEvent: events > 0 ? (wallMs * 1000) / events : Number.NaN,
  };
}

function times(speedup: number): string {
  return `${Math.round(speedup).toLocaleString('en-US')}×`;
}

function describeSpeed(speed: Speed): string {
  return `${times(speed.speedup)} (${formatRate(speed.rate)} M ev/s, ${speed.microsPerEvent.toFixed(2)} µs/event)`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** What one scenario and variant came to; `row` feeds the closing table. */
interface Measured {
  readonly summary: string;
  readonly isVoid: boolean;
  readonly row: readonly string[];
}

function variantArgs(variant: Variant): string[] {
  return variant === 'baseline' ? [...seedArgs, '--baseline'] : [...seedArgs];
}

/** Checks the cold and warm runs of one length agree on the trace; a problem, or null. */
function disagreement(cold: ColdRun, warm: WarmResult | undefined): string | null {
  if (warm === undefined) return null;
  if (warm.traceHashes.length !== 1)
    return `warm runs at ${seconds(warm.lengthMs)} disagree: ${warm.traceHashes.join(', ')}`;
  if (warm.traceHashes[0] !== cold.traceHash)
    return `cold and warm runs at ${seconds(warm.lengthMs)} disagree: ${cold.traceHash}, ${warm.traceHashes[0] ?? '-'}`;
  return null;
}

function measureDefault(
  scenario: RegistryScenario,
  variant: Variant,
  options: TableOptions,
  print: (line: string) => void,
): Measured {
  const name = `${tableFigureName(scenario.id)} ${variant}`;
  const lengths = [options.shortMs, options.longMs];
  const colds = lengths.map((lengthMs) => coldRun(scenario.id, variantArgs(variant), lengthMs));
  const coldLongMs = typeof colds[1] === 'string' ? Infinity : (colds[1]?.wallMs ?? Infinity);
  // The warm runs take a few times the cold ones: past the budget they would take minutes.
  const warm =
    coldLongMs > options.warmBudgetMs
      ? `skipped: the cold ${seconds(options.longMs)} run took ${seconds(Math.round(coldLongMs))}, over the ${seconds(options.warmBudgetMs)} budget`
      : warmRuns({
          scenarioId: scenario.id,
          runArgs: variantArgs(variant),
          lengthsMs: lengths,
          rounds: options.rounds,
          budgetMs: options.warmBudgetMs,
        });
  const coldFailure = colds.find((cold): cold is string => typeof cold === 'string');
  if (coldFailure !== undefined) {
    const summary = `${name}: FAILED — ${coldFailure}`;
    return { summary, isVoid: false, row: [scenario.id, variant, 'FAILED'] };
  }
  const coldRuns = colds as ColdRun[];
  const warmResults = typeof warm === 'string' ? [] : warm;
  const problem = coldRuns
    .map((cold, index) => disagreement(cold, warmResults[index]))
    .find((each): each is string => each !== null);
  if (problem !== undefined)
    return {
      summary: `${name}: VOID — ${problem}`,
      isVoid: true,
      row: [scenario.id, variant, 'VOID'],
    };

  const coldSpeeds = coldRuns.map((cold, index) =>
    speedOf(lengths[index] ?? 0, cold.wallMs, cold.events),
  );
  const warmSpeeds = warmResults.map((result) =>
    speedOf(result.lengthMs, median(result.wallMs), result.events),
  );
  print(`${name}: ${coldRuns[0]?.events ?? 0} / ${coldRuns[1]?.events ?? 0} events`);
  for (const [index, lengthMs] of lengths.entries()) {
    const warmSpeed = warmSpeeds[index];
    const warmRun = warmResults[index];
    const warmText =
      warmSpeed === undefined || warmRun === undefined
        ? ''
        : `; warm ${describeSpeed(warmSpeed)}, median ${median(warmRun.wallMs).toFixed(1)} ms of ${warmRun.wallMs.length}`;
    print(
      `  ${seconds(lengthMs).padStart(6)}: cold ${describeSpeed(coldSpeeds[index] as Speed)}${warmText}`,
    );
  }
  if (typeof warm === 'string') print(`  warm: ${warm}`);
  const [coldShort, coldLong] = coldSpeeds as [Speed, Speed];
  const [warmShort, warmLong] = warmSpeeds;
  const coldRatio = coldLong.microsPerEvent / coldShort.microsPerEvent;
  const warmRatio =
    warmShort !== undefined && warmLong !== undefined
      ? warmLong.microsPerEvent / warmShort.microsPerEvent
      : null;
  const judgedRatio = warmRatio ?? coldRatio;
  const isFast =
    coldShort.speedup >= defaultSizeTargetSpeedup && coldLong.speedup >= defaultSizeTargetSpeedup;
  const isFlat = judgedRatio <= flatCostTargetRatio;
  const ratioText = `${warmRatio === null ? '' : `${warmRatio.toFixed(2)}× warm, `}${coldRatio.toFixed(2)}× cold`;
  const summary =
    `${name}: cold ${times(coldShort.speedup)} / ${times(coldLong.speedup)} real time at ` +
    `${seconds(options.shortMs)} / ${seconds(options.longMs)} (target ≥${times(defaultSizeTargetSpeedup)} at both: ` +
    `${isFast ? 'met' : 'MISSED'}); cost per event ${seconds(options.longMs)} / ${seconds(options.shortMs)}: ` +
    `${ratioText} (target ≤${flatCostTargetRatio}×: ${isFlat ? 'met' : 'MISSED'})`;
  const cell = (speed: Speed | undefined): string =>
    speed === undefined ? '-' : times(speed.speedup);
  return {
    summary,
    isVoid: false,
    row: [
      scenario.id,
      variant,
      cell(coldShort),
      cell(coldLong),
      cell(warmShort),
      cell(warmLong),
      judgedRatio.toFixed(2) + '×',
      isFast ? 'met' : 'MISSED',
      isFlat ? 'met' : 'MISSED',
    ],
  };
}

function measureScaled(
  scenario: RegistryScenario,
  variant: Variant,
  options: TableOptions,
): { summary: string; cell: string } {
  const name = `${scaledFigureName(scenario.id)} ${variant}`;
  const sizes = largestSizeParams(scenario.id, scenario.params);
  if (typeof sizes === 'string') return { summary: `${name}: skipped — ${sizes}`, cell: 'skipped' };
  const sizeArgs = sizes.flatMap(({ key, value }) => ['--param', `${key}=${value}`]);
  const sizeText = sizes.map(({ key, value }) => `${key}=${value}`).join(' ');
  const cold = coldRun(scenario.id, [...variantArgs(variant), ...sizeArgs], options.scaledMs);
  if (typeof cold === 'string')
    return { summary: `${name} (${sizeText}): FAILED — ${cold}`, cell: 'FAILED' };
  const speed = speedOf(options.scaledMs, cold.wallMs, cold.events);
  const isMet = speed.speedup >= scaledTargetSpeedup;
  return {
    summary:
      `${name} (${sizeText}): cold ${describeSpeed(speed)} real time at ${seconds(options.scaledMs)}, ` +
      `${cold.events} events (target ≥${scaledTargetSpeedup}×: ${isMet ? 'met' : 'MISSED'})`,
    cell: `${times(speed.speedup)} ${isMet ? 'met' : 'MISSED'}`,
  };
}

/** Columns padded to their widest cell. */
function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    for (const [index, cell] of row.entries())
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
  return rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Runs the wanted scenario figures and prints them, then a table of all; returns the summary
 * lines (one per scenario and variant and size).
 */
export async function benchScenarioTable(
  options: TableOptions,
  isWanted: (figureName: string) => boolean,
  print: (line: string) => void,
): Promise<{ summaries: string[]; isVoid: boolean }> {
  const listed = await loadListedScenarios();
  if (typeof listed === 'string') {
    const summary = `scenarios: skipped — ${listed}`;
    print(summary);
    return { summaries: [summary], isVoid: false };
  }
  const wantedDefault = listed.filter((scenario) => isWanted(tableFigureName(scenario.id)));
  const wantedScaled = listed.filter((scenario) => isWanted(scaledFigureName(scenario.id)));
  if (wantedDefault.length + wantedScaled.length === 0) return { summaries: [], isVoid: false };
  print(
    `scenarios: seed 5, no faults; cold = one \`sim run <id> --seed 5 --duration-ms D --json\` in a fresh process ` +
      `(its wallMs); warm = median of up to ${options.rounds} runs of each length through the same code in one ` +
      `process per scenario and variant, after one untimed run of each length, lengths alternating, ` +
      `rounds stopping past ${seconds(options.warmBudgetMs)}`,
  );
  const summaries: string[] = [];
  let isVoid = false;
  const rows: string[][] = [];
  const scaledCells = new Map<string, string>();
  for (const scenario of wantedDefault) {
    for (const variant of variants) {
      const measured = measureDefault(scenario, variant, options, print);
      print(measured.summary);
      summaries.push(measured.summary);
      rows.push([...measured.row]);
      if (measured.isVoid) isVoid = true;
    }
  }
  for (const scenario of wantedScaled) {
    for (const variant of variants) {
      const scaled = measureScaled(scenario, variant, options);
      print(scaled.summary);
      summaries.push(scaled.summary);
      scaledCells.set(`${scenario.id} ${variant}`, scaled.cell);
    }
  }
  const short = seconds(options.shortMs);
  const long = seconds(options.longMs);
  const header = [
    'scenario',
    'variant',
    `cold ${short}`,
    `cold ${long}`,
    `warm ${short}`,
    `warm ${long}`,
    `cost ${long}/${short}`,
    `≥${times(defaultSizeTargetSpeedup)}`,
    `≤${flatCostTargetRatio}×`,
    `largest size, ${seconds(options.scaledMs)} (≥${scaledTargetSpeedup}×)`,
  ];
  const tableRows = rows.map((row) => {
    const padded = [...row];
    while (padded.length < header.length - 1) padded.push('');
    return [...padded, scaledCells.get(`${row[0] ?? ''} ${row[1] ?? ''}`) ?? '-'];
  });
  for (const [key, cell] of scaledCells) {
    if (rows.some((row) => `${row[0] ?? ''} ${row[1] ?? ''}` === key)) continue;
    const [id = '', variant = ''] = key.split(' ');
    tableRows.push([id, variant, '', '', '', '', '', '', '', cell]);
  }
  print('');
  for (const line of formatTable([header, ...tableRows])) print(`  ${line}`);
  return { summaries, isVoid };
}
