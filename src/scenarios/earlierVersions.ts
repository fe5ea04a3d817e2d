import { storylineOff as ambassadorStorylineOff } from './ambassador/storyline.ts';
import { storylineOff as cqrsStorylineOff } from './cqrs/storyline.ts';
import { storylineOff as leaderElectionStorylineOff } from './leader-election/storyline.ts';
import { storylineOff as pubSubStorylineOff } from './pub-sub/storyline.ts';

/*
 * Earlier versions of a scenario that its current version still plays exactly, given some
 * parameter values: a version that added a storyline plays the one before it with the
 * storyline turned off (each scenario's storyline test pins the earlier version's trace hashes
 * against those values). A link or run file recorded with such a version opens, with a notice,
 * instead of being refused; any other version mismatch is still refused.
 */

type Params = Readonly<Record<string, number>>;

export const earlierVersions: Readonly<Record<string, Readonly<Record<number, Params>>>> = {
  ambassador: { 1: ambassadorStorylineOff },
  cqrs: { 1: cqrsStorylineOff },
  'leader-election': { 1: leaderElectionStorylineOff },
  'pub-sub': { 1: pubSubStorylineOff },
  // Sharding's storyline parameters live with its model (testKit re-exports them for tests).
  sharding: { 1: { storylineStartS: 0 } },
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
  return {
    params: { ...params, ...mapped },
    note: `Made with version ${version} of ${scenario.title}, before its storyline: it opens with the storyline off, exactly as it played then.`,
  };
}
