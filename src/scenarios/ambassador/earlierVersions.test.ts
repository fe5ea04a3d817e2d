import { describe, expect, it } from 'vitest';
import { upgradeFrom } from '../earlierVersions.ts';
import { ambassador } from './model.ts';
import { breakerBeforeResilience4j } from './params.ts';
import { storylineOff } from './storyline.ts';
import { remoteFaultIds } from './remote.ts';
import { onEveryRemote, runFor, start } from './testKit.ts';

/**
 * Links and run files recorded with version 1 (before the storyline) or version 2 (before the
 * breakers recorded late outcomes, as Resilience4j does) open with the switches that play them
 * exactly, and say so. Late outcomes reach a breaker's half-open state only when an attempt can
 * outlast the wait in open (a wait shorter than the per-try timeout), so the runs below use one,
 * and overload every remote instance by hand (version 1 had no storyline to do it).
 */

/** Breakers on, with a wait in open shorter than the per-try timeout. */
const withBreakers = { isBreakerOn: 1, breakerWaitMs: 100 };

const commands = [
  ...onEveryRemote(5_000_000, remoteFaultIds.overload, { capacityPercent: 10 }),
  ...onEveryRemote(30_000_000, remoteFaultIds.recover),
];

function upgraded(version: number, params: Readonly<Record<string, number>>) {
  const upgrade = upgradeFrom(ambassador, version, params);
  if (upgrade === null) throw new Error(`version ${version} is not playable`);
  return upgrade;
}

describe('an Ambassador run recorded with an earlier version', () => {
  it('says what it plays with', () => {
    expect(upgraded(1, {}).note).toBe(
      'Made with version 1 of Ambassador, before its storyline and before its circuit breaker ' +
        'followed Resilience4j: it opens with the storyline off and the earlier breaker rules, ' +
        'exactly as it played then.',
    );
    expect(upgraded(2, {}).note).toBe(
      'Made with version 2 of Ambassador, before its circuit breaker followed Resilience4j: it ' +
        'opens with the earlier breaker rules, exactly as it played then.',
    );
  });

  it('plays exactly as a run made today with those switches, and unlike one with today’s rules', () => {
    const cases = [
      { version: 1, switches: { ...storylineOff, ...breakerBeforeResilience4j } },
      { version: 2, switches: breakerBeforeResilience4j },
    ];
    for (const { version, switches } of cases) {
      for (const seed of [1, 2]) {
        const link = start(seed, { params: upgraded(version, withBreakers).params, commands });
        const switched = start(seed, { params: { ...withBreakers, ...switches }, commands });
        const today = start(seed, {
          params: { ...withBreakers, ...switches, breakerLateResults: 0 },
          commands,
        });
        for (const sim of [link, switched, today]) runFor(sim, 60_000);
        const label = `version ${version}, seed ${seed}`;
        expect(link.describe().scenarioVersion, label).toBe(ambassador.version);
        expect(link.traceHash, label).toBe(switched.traceHash);
        expect(today.traceHash, label).not.toBe(link.traceHash);
      }
    }
  });
});
