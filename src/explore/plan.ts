import { chaosScheduleFor } from '../engine/chaos.ts';
import type { ScenarioModel, Variant } from '../engine/types.ts';
import type { RunRequest } from '../worker/protocol.ts';

/** Seeds one batch may run: enough to find rare bugs, few enough to finish in a browser tab. */
export const batchSeedsMax = 1000;
/** Longest simulated run per seed, in seconds (ten simulated minutes). */
export const batchDurationSMax = 600;

/**
 * One batch: every seed from `seedFirst` to `seedLast` (inclusive) runs the same scenario,
 * variant and parameters for `durationUs` of simulated time, with the seed's own chaos schedule
 * when `isChaos`. Plain data, so it crosses to the explore workers as it is.
 */
export interface ExplorePlan {
  readonly scenarioId: string;
  readonly variant: Variant;
  readonly params: Readonly<Record<string, number>>;
  readonly seedFirst: number;
  readonly seedLast: number;
  readonly durationUs: number;
  readonly isChaos: boolean;
}

/** What a person typed in the explore form, unchecked. */
export interface ExploreForm {
  readonly seedFirst: string;
  readonly seedLast: string;
  readonly durationS: string;
  readonly isChaos: boolean;
  readonly variant: Variant;
}

/** The form fields that can be wrong. */
export type ExploreField = 'seedFirst' | 'seedLast' | 'durationS';

/** A checked plan, or one message per wrong field saying what to type instead. */
export type PlanCheck =
  | { readonly ok: true; readonly plan: ExplorePlan }
  | { readonly ok: false; readonly problems: Readonly<Partial<Record<ExploreField, string>>> };

/** The run a plan is for: the scenario and its parameters, as loaded in the app. */
export interface PlanTarget {
  readonly scenarioId: string;
  readonly params: Readonly<Record<string, number>>;
}

/**
 * Checks the form against the batch limits: seeds are whole numbers from 0 to 2^53 − 1 (what a
 * share link replays exactly), the last at or after the first, at most `batchSeedsMax` of them;
 * the duration a positive number of seconds up to `batchDurationSMax`.
 */
export function checkExploreForm(form: ExploreForm, target: PlanTarget): PlanCheck {
  const problems: Partial<Record<ExploreField, string>> = {};
  const seedFirst = parseSeed(form.seedFirst, 'first');
  const seedLast = parseSeed(form.seedLast, 'last');
  if (typeof seedFirst === 'string') problems.seedFirst = seedFirst;
  if (typeof seedLast === 'string') problems.seedLast = seedLast;
  if (typeof seedFirst === 'number' && typeof seedLast === 'number') {
    if (seedLast < seedFirst) {
      problems.seedLast = `The last seed must be at or after the first (${seedFirst}).`;
    } else if (seedLast - seedFirst + 1 > batchSeedsMax) {
      problems.seedLast = `At most ${batchSeedsMax} seeds per batch: use ${seedFirst + batchSeedsMax - 1} or less.`;
    }
  }
  const durationS = parseDurationS(form.durationS);
  if (typeof durationS === 'string') problems.durationS = durationS;
  if (
    Object.keys(problems).length > 0 ||
    typeof seedFirst !== 'number' ||
    typeof seedLast !== 'number' ||
    typeof durationS !== 'number'
  ) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    plan: {
      scenarioId: target.scenarioId,
      variant: form.variant,
      params: target.params,
      seedFirst,
      seedLast,
      durationUs: Math.round(durationS * 1_000_000),
      isChaos: form.isChaos,
    },
  };
}

function parseSeed(text: string, which: 'first' | 'last'): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter the ${which} seed: a whole number from 0 up.`;
  if (!/^\d+$/.test(trimmed)) return `The ${which} seed must be a whole number of 0 or more.`;
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) {
    return `The ${which} seed must be at most ${Number.MAX_SAFE_INTEGER} (2^53 − 1).`;
  }
  return value;
}

function parseDurationS(text: string): number | string {
  const trimmed = text.trim();
  const range = `more than 0 and at most ${batchDurationSMax} s`;
  if (trimmed === '') return `Enter a duration: ${range}.`;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return `The duration must be a number of seconds, ${range}.`;
  // Whole microseconds only, and at least one: the engine's clock has no finer grain.
  if (value * 1_000_000 < 1 || value > batchDurationSMax) return `Use a duration ${range}.`;
  return value;
}

/** The seeds of a plan, in order. */
export function seedsOf(plan: ExplorePlan): number[] {
  const seeds: number[] = [];
  for (let seed = plan.seedFirst; seed <= plan.seedLast; seed++) seeds.push(seed);
  return seeds;
}

/**
 * The run one seed of the batch makes: the chaos schedule, when on, is the one `sim sweep
 * --chaos` uses for the same seed and duration, so a seed found here reproduces from the CLI
 * and opens in the app with its faults in the command log.
 */
export function requestFor(model: ScenarioModel, plan: ExplorePlan, seed: number): RunRequest {
  return {
    scenarioId: plan.scenarioId,
    seed,
    variant: plan.variant,
    params: plan.params,
    commands: plan.isChaos
      ? chaosScheduleFor(model, seed, plan.variant, plan.params, plan.durationUs)
      : [],
  };
}
