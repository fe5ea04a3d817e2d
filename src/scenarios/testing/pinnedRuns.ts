import { chaosScheduleFor } from '../../engine/chaos.ts';
import { Simulation } from '../../engine/simulation.ts';
import type { RunDescription, Variant } from '../../engine/types.ts';
import type { Scenario } from '../define.ts';
import { scenarios } from '../registry.ts';

/*
 * The runs whose trace hashes are pinned: every listed scenario, both variants, a quiet default
 * run of 20 s and two seeds under the CLI's chaos schedule for 6 s.
 */

const chaosDurationUs = 6_000_000;
const quietDurationUs = 20_000_000;
const chaosSeeds = [3, 11] as const;

export interface PinnedRun {
  /** "<scenario>/<variant>/<quiet|chaos-N>", the key in the pin files. */
  readonly key: string;
  readonly run: RunDescription;
  readonly durationUs: number;
}

function scenarioOf(id: string): Scenario {
  const scenario = scenarios.find((each) => each.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return scenario;
}

function runOf(
  scenario: Scenario,
  variant: Variant,
  seed: number,
  isChaos: boolean,
  params: Readonly<Record<string, number>>,
): RunDescription {
  return {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    seed,
    variant,
    params: { ...params },
    commands: isChaos ? chaosScheduleFor(scenario, seed, variant, params, chaosDurationUs) : [],
  };
}

/**
 * Every pinned run, with the parameters `paramsOf` gives each scenario (the defaults, or the
 * values that make the current version play an earlier one).
 */
export function pinnedRuns(
  paramsOf: (scenario: Scenario) => Readonly<Record<string, number>> = () => ({}),
): PinnedRun[] {
  return scenarios
    .filter((scenario) => !scenario.isHidden)
    .flatMap((scenario) =>
      (['pattern', 'baseline'] as const).flatMap((variant) => [
        {
          key: `${scenario.id}/${variant}/quiet`,
          run: runOf(scenario, variant, 5, false, paramsOf(scenario)),
          durationUs: quietDurationUs,
        },
        ...chaosSeeds.map((seed) => ({
          key: `${scenario.id}/${variant}/chaos-${seed}`,
          run: runOf(scenario, variant, seed, true, paramsOf(scenario)),
          durationUs: chaosDurationUs,
        })),
      ]),
    );
}

/** "<events>:<trace hash>" of a pinned run. */
export function pinOf({ run, durationUs }: PinnedRun): string {
  const sim = new Simulation(scenarioOf(run.scenarioId), run);
  sim.runUntil(durationUs);
  return `${sim.eventCount}:${sim.traceHash}`;
}
