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

export const earlierVersions: Readonly<Record<string, Readonly<Record<number, Params>>>> = {
  ambassador: {
    1: { ...ambassadorStorylineOff, ...ambassadorBreakerBefore },
    2: ambassadorBreakerBefore,
  },
  'circuit-breaker': { 1: circuitBreakerRulesBefore },
  cqrs: { 1: cqrsStorylineOff },
  'leader-election': { 1: leaderElectionStorylineOff },
  'pub-sub': { 1: pubSubStorylineOff },
  // Sharding's storyline parameters live with its model (testKit re-exports them for tests).
  sharding: { 1: { storylineStartS: 0 } },
};

/** What changed since an earlier version, and what the mapped parameters play it with. */
interface Change {
  /** Completes "Made with version N of X, …". */
  readonly since: string;
  /** Completes "it opens with …". */
  readonly playsWith: string;
}

const storyline: Change = { since: 'before its storyline', playsWith: 'the storyline off' };

const breakerRules: Change = {
  since: 'before its circuit breaker followed Resilience4j',
  playsWith: 'the earlier breaker rules',
};

/** The change behind each entry above; an entry not listed here added a storyline. */
const changes: Readonly<Record<string, Readonly<Record<number, Change>>>> = {
  ambassador: {
    1: {
      since: `${storyline.since} and ${breakerRules.since}`,
      playsWith: `${storyline.playsWith} and ${breakerRules.playsWith}`,
    },
    2: breakerRules,
  },
  'circuit-breaker': { 1: breakerRules },
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
  const mapped = earlierVersions[scenario.id]?.[version];
  if (mapped === undefined || version >= scenario.version) return null;
  const change = changes[scenario.id]?.[version] ?? storyline;
  return {
    params: { ...params, ...mapped },
    note: `Made with version ${version} of ${scenario.title}, ${change.since}: it opens with ${change.playsWith}, exactly as it played then.`,
  };
}
