import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { earlierVersions } from '../scenarios/earlierVersions.ts';
import { scenarios } from '../scenarios/registry.ts';
import type { RunRequest } from './protocol.ts';
import { describeRun } from './runs.ts';
import { decodeShareLink, encodeShareLink } from './shareLink.ts';

/*
 * Links and run files recorded with an earlier version of a scenario that the current one still
 * plays exactly open as that run, with a note, instead of being refused.
 */

const catalogue = {
  scenarios,
  get: (id: string) => scenarios.find((scenario) => scenario.id === id),
};

const leaderElection = catalogue.get('leader-election');

describe('earlier scenario versions', () => {
  it('list only earlier versions, and parameters the scenario has, within their ranges', () => {
    for (const [id, versions] of Object.entries(earlierVersions)) {
      const scenario = catalogue.get(id);
      expect(scenario, id).toBeDefined();
      for (const [version, earlier] of Object.entries(versions)) {
        expect(Number(version), id).toBeLessThan(scenario?.version ?? 0);
        for (const [key, value] of Object.entries(earlier.params)) {
          const spec = scenario?.params[key];
          expect(spec, `${id}.${key}`).toBeDefined();
          expect(value).toBeGreaterThanOrEqual(spec?.min ?? Infinity);
          expect(value).toBeLessThanOrEqual(spec?.max ?? -Infinity);
        }
      }
    }
  });

  it('open a version 1 Leader Election link with a note, and it plays as version 1 did', () => {
    const fragment = encodeShareLink(
      {
        scenarioId: 'leader-election',
        scenarioVersion: 1,
        seed: 5,
        variant: 'pattern',
        params: {},
        commands: [],
      },
      0,
    );
    const decoded = decodeShareLink(`#/${fragment}`, catalogue);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || leaderElection === undefined) return;
    expect(decoded.notes.join(' ')).toMatch(/version 1 of Leader Election.*storyline off/);
    const run = describeRun(leaderElection, decoded.shared.request);
    expect(run.scenarioVersion).toBe(leaderElection.version);
    const sim = new Simulation(leaderElection, run);
    sim.runUntil(20_000_000);
    // The quiet default run of version 1 (seed 5, 20 s), pinned before the storyline existed.
    expect(`${sim.eventCount}:${sim.traceHash}`).toBe('4591:e0e5c91f45ddcdb4');
  });

  it('still refuse a version that cannot be played exactly', () => {
    if (leaderElection === undefined) return;
    const request: RunRequest = {
      scenarioId: 'leader-election',
      scenarioVersion: 7,
      seed: 1,
      variant: 'pattern',
      params: {},
      commands: [],
    };
    expect(() => describeRun(leaderElection, request)).toThrow(/version 7/);
    const circuitBreaker = catalogue.get('circuit-breaker');
    if (circuitBreaker === undefined) return;
    expect(() =>
      describeRun(circuitBreaker, {
        ...request,
        scenarioId: 'circuit-breaker',
        scenarioVersion: 0,
      }),
    ).toThrow(/version 0/);
  });
});
