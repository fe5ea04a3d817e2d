import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { Simulation } from '../engine/simulation.ts';
import type { RunDescription, Variant } from '../engine/types.ts';
import pinned from './pinnedHashes.json' with { type: 'json' };
import { scenarios } from './registry.ts';

/*
 * Trace hashes pinned before the structure and speed work of issues 13 and 14, which promised
 * no change in behaviour: every listed scenario, both variants, a quiet default run and two
 * seeds under the CLI's chaos schedule. A change that alters any of them changes what a share
 * link or run file replays to, so it must bump the format version (and these pins) on purpose.
 *
 * Regenerate only for an intended behaviour change: PIN_HASHES=write npx vitest run pinnedHashes
 */

const chaosDurationUs = 6_000_000;
const quietDurationUs = 20_000_000;
const chaosSeeds = [3, 11] as const;

function runOf(id: string, variant: Variant, seed: number, isChaos: boolean): RunDescription {
  const scenario = scenarios.find((each) => each.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    seed,
    variant,
    params: {},
    commands: isChaos ? chaosScheduleFor(scenario, seed, variant, {}, chaosDurationUs) : [],
  };
}

function hashOf(run: RunDescription, durationUs: number): string {
  const scenario = scenarios.find((each) => each.id === run.scenarioId);
  if (scenario === undefined) throw new Error(`no scenario ${run.scenarioId}`);
  const sim = new Simulation(scenario, run);
  sim.runUntil(durationUs);
  return `${sim.eventCount}:${sim.traceHash}`;
}

const cases = scenarios
  .filter((scenario) => !scenario.isHidden)
  .flatMap((scenario) =>
    (['pattern', 'baseline'] as const).flatMap((variant) => [
      {
        key: `${scenario.id}/${variant}/quiet`,
        run: runOf(scenario.id, variant, 5, false),
        durationUs: quietDurationUs,
      },
      ...chaosSeeds.map((seed) => ({
        key: `${scenario.id}/${variant}/chaos-${seed}`,
        run: runOf(scenario.id, variant, seed, true),
        durationUs: chaosDurationUs,
      })),
    ]),
  );

const pins = pinned as Record<string, string>;

describe('pinned trace hashes', () => {
  if (process.env.PIN_HASHES === 'write') {
    it('writes the pins', async () => {
      const { writeFileSync } = await import('node:fs');
      const out: Record<string, string> = {};
      for (const each of cases) out[each.key] = hashOf(each.run, each.durationUs);
      writeFileSync(
        new URL('./pinnedHashes.json', import.meta.url),
        `${JSON.stringify(out, null, 2)}\n`,
      );
    });
    return;
  }
  it('covers every listed scenario and variant', () => {
    expect(Object.keys(pins).sort()).toEqual(cases.map((each) => each.key).sort());
  });
  it.each(cases)('$key', ({ key, run, durationUs }) => {
    expect(hashOf(run, durationUs)).toBe(pins[key]);
  });
});
