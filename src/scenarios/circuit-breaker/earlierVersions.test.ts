import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import { upgradeFrom } from '../earlierVersions.ts';
import { circuitBreaker } from './model.ts';
import { rulesBeforeResilience4j } from './params.ts';
import { at, metric, runFor, serviceControl, start } from './testKit.ts';

/**
 * A link or run file recorded with version 1 (before the breaker followed Resilience4j) opens
 * with the earlier rules switched on, and plays exactly as a run made today with those switches;
 * the same link played with today's rules would be another run. (That the switches play what
 * version 1 played was checked against version 1's code when they were made: the trace hashes of
 * the default, chaos and baseline runs of seeds 1 and 2 were equal.)
 */

/** The run a version 1 recording becomes, as the app describes it (worker/runs.ts). */
function upgraded(params: Readonly<Record<string, number>>) {
  const upgrade = upgradeFrom(circuitBreaker, 1, params);
  if (upgrade === null) throw new Error('version 1 is not playable');
  return upgrade;
}

/** Recordings where the rules matter: each differs between version 1 and today. */
const recordings: readonly {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  readonly commands: readonly RecordedCommand[];
}[] = [
  {
    name: 'a count window smaller than the minimum',
    params: { windowCalls: 5, minimumCalls: 10 },
    commands: [],
  },
  { name: 'a time window', params: { windowKind: 1 }, commands: [] },
  { name: 'trial calls decided by fewer results', params: { minimumCalls: 2 }, commands: [] },
  {
    name: 'a forced open while open',
    params: {},
    commands: [at(12_000, serviceControl('force-open'))],
  },
];

describe('a Circuit Breaker run recorded with version 1', () => {
  it('opens with a note that says it plays with the earlier breaker rules', () => {
    const upgrade = upgraded({ seed: 3 });
    expect(upgrade.note).toBe(
      'Made with version 1 of Circuit Breaker, before its circuit breaker followed Resilience4j: ' +
        'it opens with the earlier breaker rules, exactly as it played then.',
    );
    expect(upgrade.params).toEqual({ seed: 3, ...rulesBeforeResilience4j });
  });

  it('plays exactly as a run made today with the earlier rules, and unlike one with today’s', () => {
    for (const { name, params, commands } of recordings) {
      for (const seed of [1, 2]) {
        const link = start(seed, { params: upgraded(params).params, commands });
        const switched = start(seed, {
          params: { ...params, ...rulesBeforeResilience4j },
          commands,
        });
        const today = start(seed, { params, commands });
        for (const sim of [link, switched, today]) runFor(sim, 40_000);
        expect(link.describe().scenarioVersion, name).toBe(circuitBreaker.version);
        expect(link.traceHash, `${name}, seed ${seed}`).toBe(switched.traceHash);
        expect(link.eventCount, `${name}, seed ${seed}`).toBe(switched.eventCount);
        expect(today.traceHash, `${name}, seed ${seed}`).not.toBe(link.traceHash);
      }
    }
  });

  it('keeps the behaviour a version 1 link showed: that small window never opened', () => {
    const link = start(1, { params: upgraded({ windowCalls: 5, minimumCalls: 10 }).params });
    const today = start(1, { params: { windowCalls: 5, minimumCalls: 10 } });
    for (const sim of [link, today]) runFor(sim, 60_000);
    expect(metric(link, 'breaker-trips')).toBe(0);
    expect(metric(today, 'breaker-trips')).toBeGreaterThan(0);
  });
});
