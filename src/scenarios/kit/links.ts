import type { LinkConfig } from '../../engine/network.ts';
import type { ParamSpec } from '../../engine/types.ts';

/*
 * The network most scenarios run on: every link has the same mean one-way latency, a parameter,
 * and each message takes a uniform draw between half and one and a half times it, enough for
 * messages to overtake one another now and then. No loss or duplication unless a fault adds it.
 */

/** The `linkLatencyMs` parameter, with the scenario's default and bounds. */
export function linkLatencyParam(bounds: {
  readonly default: number;
  readonly max: number;
  readonly min?: number;
}): ParamSpec {
  return {
    label: 'Link latency',
    default: bounds.default,
    min: bounds.min ?? 0,
    max: bounds.max,
    step: 1,
    unit: 'ms',
    help: 'Mean one-way latency on every link; each message takes between half and one and a half times it, so messages can overtake.',
  };
}

/** Links with uniform jitter of ±50% around a mean of `meanMs` milliseconds. */
export function jitteredLink(meanMs: number): LinkConfig {
  const meanUs = meanMs * 1000;
  return {
    latency: {
      kind: 'uniform',
      minUs: Math.round(meanUs / 2),
      maxUs: Math.round((meanUs * 3) / 2),
    },
    lossProbability: 0,
    duplicateProbability: 0,
  };
}
