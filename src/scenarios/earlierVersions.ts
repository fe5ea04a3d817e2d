import { breakerBeforeResilience4j as ambassadorBreakerBefore } from './ambassador/params.ts';
import { storylineOff as ambassadorStorylineOff } from './ambassador/storyline.ts';
import { rulesBeforeResilience4j as circuitBreakerRulesBefore } from './circuit-breaker/params.ts';
import { storylineOff as cqrsStorylineOff } from './cqrs/storyline.ts';
import { storylineOff as leaderElectionStorylineOff } from './leader-election/storyline.ts';
import { storylineOff as pubSubStorylineOff } from './pub-sub/storyline.ts';

/*
 * Earlier versions of a scenario that its current version still plays exactly, given some
 * parameter values: a version that added a storyline plays the one before it with the
 * storyline turned off (each scenario's storyline test pins the earlier version's trace hashes
 * against those values), and a version whose circuit breaker followed other rules plays with
 * the switches that choose those rules (the Circuit Breaker's and Ambassador's
 * earlierVersions tests). A link or run file recorded with such a version opens, with a notice,
 * instead of being refused; any other version mismatch is still refused.
 */

type Params = Readonly<Record<string, number>>;

/** An earlier version: the parameter values that play it, and what changed since, in words. */
export interface EarlierVersion {
  readonly params: Params;
  /** Completes "Made with version N of X, …". */
  readonly since: string;
  /** Completes "it opens with …". */
  readonly playsWith: string;
}

function storylineOff(params: Params): EarlierVersion {
  return { params, since: 'before its storyline', playsWith: 'the storyline off' };
}

function breakerRulesBefore(params: Params): EarlierVersion {
  return {
    params,
    since: 'before its circuit breaker followed Resilience4j',
    playsWith: 'the earlier breaker rules',
  };
}

/** A version from before two changes: both sets of values, both reasons. */
function both(first: EarlierVersion, second: EarlierVersion): EarlierVersion {
  return {
    params: { ...first.params, ...second.params },
    since: `${first.since} and ${second.since}`,
    playsWith: `${first.playsWith} and ${second.playsWith}`,
  };
}

export const earlierVersions: Readonly<Record<string, Readonly<Record<number, EarlierVersion>>>> = {
  ambassador: {
    1: both(storylineOff(ambassadorStorylineOff), breakerRulesBefore(ambassadorBreakerBefore)),
    2: breakerRulesBefore(ambassadorBreakerBefore),
  },
  'circuit-breaker': { 1: breakerRulesBefore(circuitBreakerRulesBefore) },
  cqrs: { 1: storylineOff(cqrsStorylineOff) },
  'leader-election': { 1: storylineOff(leaderElectionStorylineOff) },
  'pub-sub': { 1: storylineOff(pubSubStorylineOff) },
  // Sharding's storyline parameters live with its model (testKit re-exports them for tests).
  sharding: { 1: storylineOff({ storylineStartS: 0 }) },
};

/** What an earlier version's run becomes in the current one. */
export interface Upgrade {
  readonly params: Params;
  /** One sentence for the person who opened it. */
  readonly note: string;
}

/**
 * The current version's parameters for a run recorded with `version` of the scenario, or null
 * when the current version cannot play that version exactly. The mapped values win over the
 * recorded ones: the earlier version had no such parameters.
 */
export function upgradeFrom(
  scenario: { readonly id: string; readonly title: string; readonly version: number },
  version: number,
  params: Params,
): Upgrade | null {
  const earlier = earlierVersions[scenario.id]?.[version];
  if (earlier === undefined || version >= scenario.version) return null;
  return {
    params: { ...params, ...earlier.params },
    note: `Made with version ${version} of ${scenario.title}, ${earlier.since}: it opens with ${earlier.playsWith}, exactly as it played then.`,
  };
}
