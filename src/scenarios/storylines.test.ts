import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import type { Variant } from '../engine/types.ts';
import { scenarios } from './registry.ts';

/*
 * What every listed scenario promises a newcomer who opens it and presses Play: its default run
 * plays the pattern's signature unprompted, so a moment comes within its first 30 simulated
 * seconds, in both variants; and the speed the page starts it at brings the first one on screen
 * within 15 s of wall time. Its tour waits at most 15 s of wall time on any step, at the speed the
 * step plays at, and opens the baseline beside the run where that is the lesson. Each scenario's own storyline and moments tests check which moments
 * and when; this checks the promise the same way for all of them.
 */

const storylineUs = 30_000_000;
const firstMomentWallMaxS = 15;
const tourStepWallMaxS = 15;

/** Baselines with nothing to report, and why (the contrast is the point). */
const quietBaselines: Readonly<Record<string, string>> = {
  cqrs: 'one store serves reads and writes: nothing lags, nothing to catch up',
};

function defaultRun(id: string, variant: Variant): Simulation {
  const scenario = scenarios.find((each) => each.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  const sim = new Simulation(scenario, {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    seed: 1,
    variant,
    params: {},
    commands: [],
  });
  sim.runUntil(storylineUs);
  return sim;
}

describe.each(scenarios.filter((scenario) => !scenario.isHidden))('$title', (scenario) => {
  it('shows its first moment within 15 s of Play at the speed the page starts it at', () => {
    const first = defaultRun(scenario.id, 'pattern').moments[0];
    expect(first, 'a moment in the first 30 s').toBeDefined();
    const wallS = (first?.timeUs ?? Infinity) / 1_000_000 / scenario.defaultSpeed;
    expect(wallS).toBeLessThanOrEqual(firstMomentWallMaxS);
  });

  it('has a tour whose every step waits at most 15 s of wall time at its own speed', () => {
    expect(scenario.tour.length).toBeGreaterThanOrEqual(5);
    const tooLong = scenario.tour.flatMap((step) => {
      if (step.waitFor === undefined) return [];
      const wallS = step.waitFor.timeoutMs / 1000 / (step.speed ?? scenario.defaultSpeed);
      return wallS > tourStepWallMaxS ? [`${step.id}: up to ${String(wallS)} s`] : [];
    });
    expect(tooLong).toEqual([]);
  });

  it('has a tour that opens the baseline side by side where the baseline is the point', () => {
    const comparing = scenario.tour.filter((step) => step.comparesWithBaseline === true);
    expect(comparing.length).toBeGreaterThanOrEqual(1);
    expect(comparing.length).toBeLessThanOrEqual(2);
  });

  it('has an instrument', () => {
    expect(scenario.instrument?.title).toMatch(/\w/);
  });

  it('reports moments in the baseline too, unless its quiet is the contrast', () => {
    const moments = defaultRun(scenario.id, 'baseline').moments;
    if (scenario.id in quietBaselines) expect(moments).toEqual([]);
    else expect(moments.length).toBeGreaterThan(0);
  });
});
