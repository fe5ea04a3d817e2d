import { Simulation } from '../src/engine/simulation.ts';
import type { ParamSpec, RunDescription, ScenarioModel } from '../src/engine/types.ts';
import { type RepetitionPlan, describeWallTimes, interleave, median } from './measure.ts';
import { firstLine, loadScenario } from './scenarioRegistry.ts';

/**
 * Scenario speed: a real scenario run headless for a fixed simulated duration, reported as
 * simulated time over wall time ("× faster than real time"), at its default size and scaled up.
 *
 * The scenario registry is loaded with a guarded dynamic import, so the benchmark still runs
 * (and says what it skipped) while the registry or the scenario does not exist yet.
 */

/** BENCHMARKS.md: every scenario at its default size, headless. */
export const defaultSizeTargetSpeedup = 1_000;
/** BENCHMARKS.md: every scenario scaled up (101 leader-election nodes). */
export const scaledTargetSpeedup = 50;

const scenarioId = 'leader-election';
const scaledNodeCount = 101;

/** A copy of the model whose nodeCount parameter admits `nodeCount` nodes. */
function scaledModel(model: ScenarioModel, nodeCount: number): ScenarioModel | string {
  const spec: ParamSpec | undefined = model.params.nodeCount;
  if (spec === undefined) return `${model.id} has no nodeCount parameter`;
  return {
    ...model,
    params: { ...model.params, nodeCount: { ...spec, max: Math.max(spec.max, nodeCount) } },
  };
}

interface ScenarioRunResult {
  readonly events: number;
  readonly traceHash: string;
}

function runScenario(
  model: ScenarioModel,
  run: RunDescription,
  durationUs: number,
): ScenarioRunResult {
  const simulation = new Simulation(model, run);
  simulation.runUntil(durationUs);
  return { events: simulation.eventCount, traceHash: simulation.traceHash };
}

/** Times one size of the scenario and returns its summary line. */
function benchSize(
  label: string,
  model: ScenarioModel,
  params: Record<string, number>,
  durationUs: number,
  targetSpeedup: number,
  plan: RepetitionPlan,
  print: (line: string) => void,
): string {
  const run: RunDescription = {
    scenarioId: model.id,
    scenarioVersion: model.version,
    seed: 1,
    variant: 'pattern',
    params,
    commands: [],
  };
  let result: ScenarioRunResult | undefined;
  let wallMs: number[];
  try {
    const [timing] = interleave(
      [{ name: label, run: () => runScenario(model, run, durationUs) }],
      plan,
    );
    if (timing === undefined) throw new Error('interleave lost the scenario');
    const hashes = new Set(timing.results.map((entry) => entry.traceHash));
    if (hashes.size !== 1)
      return `${label}: VOID — repetitions disagree: ${[...hashes].join(', ')}`;
    result = timing.results[0];
    wallMs = timing.wallMs;
  } catch (error) {
    return `${label}: FAILED — ${firstLine(error)}`;
  }
  const simulatedMs = durationUs / 1000;
  const speedup = simulatedMs / median(wallMs);
  const events = result?.events ?? 0;
  print(
    `  ${label}: ${describeWallTimes(wallMs)}, ${events} events, trace hash ${result?.traceHash ?? '-'}`,
  );
  const verdict = speedup >= targetSpeedup ? 'target met' : 'MISSED';
  return (
    `${label}: ${Math.round(speedup)}× faster than real time (target ≥${targetSpeedup}×), ` +
    `${simulatedMs / 1000} s simulated in ${median(wallMs).toFixed(0)} ms, ` +
    `${(events / median(wallMs) / 1000).toFixed(2)} M ev/s — ${verdict}`
  );
}

/** Which sizes to run, by figure name. */
export const scenarioFigureNames = [
  `${scenarioId}-default`,
  `${scenarioId}-${scaledNodeCount}`,
] as const;

/**
 * Runs the leader-election scenario headless at its default size and at 101 nodes, each for
 * `durationUs` of simulated time, and prints one summary line per size (or why it was skipped).
 */
export async function benchScenarios(
  durationUs: number,
  plan: RepetitionPlan,
  isWanted: (figureName: string) => boolean,
  print: (line: string) => void,
): Promise<string[]> {
  const [defaultName, scaledName] = scenarioFigureNames;
  const wanted = scenarioFigureNames.filter(isWanted);
  if (wanted.length === 0) return [];
  const loaded = await loadScenario(scenarioId);
  if (typeof loaded === 'string') {
    const summary = `${scenarioId}: skipped — ${loaded}`;
    print(summary);
    return [summary];
  }
  const summaries: string[] = [];
  const defaultCount = loaded.params.nodeCount?.default;
  if (isWanted(defaultName)) {
    print(
      `${defaultName}: ${scenarioId} at its default size (${defaultCount ?? '?'} nodes), headless`,
    );
    summaries.push(
      benchSize(defaultName, loaded, {}, durationUs, defaultSizeTargetSpeedup, plan, print),
    );
    print(summaries.at(-1) ?? '');
  }
  if (isWanted(scaledName)) {
    print(`${scaledName}: ${scenarioId} scaled to ${scaledNodeCount} nodes, headless`);
    const scaled = scaledModel(loaded, scaledNodeCount);
    const summary =
      typeof scaled === 'string'
        ? `${scaledName}: skipped — ${scaled}`
        : benchSize(
            scaledName,
            scaled,
            { nodeCount: scaledNodeCount },
            durationUs,
            scaledTargetSpeedup,
            plan,
            print,
          );
    summaries.push(summary);
    print(summary);
  }
  return summaries;
}
