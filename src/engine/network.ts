import { exponential, normal, uniform } from './distributions.ts';
import type { Rng } from './rng.ts';

/**
 * How long a message takes on a link, in microseconds. Every variant can add a slow tail: with
 * `slowTailProbability` a draw is multiplied by `slowTailFactor` (a GC pause on the far side, a
 * retransmission, a congested switch).
 */
export type LatencySpec =
  | { readonly kind: 'constant'; readonly us: number; readonly slowTail?: SlowTail }
  | {
      readonly kind: 'uniform';
      readonly minUs: number;
      readonly maxUs: number;
      readonly slowTail?: SlowTail;
    }
  | {
      readonly kind: 'normal';
      readonly meanUs: number;
      readonly sdUs: number;
      readonly minUs: number;
      readonly slowTail?: SlowTail;
    }
  | {
      readonly kind: 'exponential';
      readonly minUs: number;
      readonly meanExtraUs: number;
      readonly slowTail?: SlowTail;
    };

/** A rare multiplier on a latency draw. */
export interface SlowTail {
  readonly probability: number;
  readonly factor: number;
}

/** Everything a directional link does to the messages crossing it. */
export interface LinkConfig {
  readonly latency: LatencySpec;
  readonly lossProbability: number;
  readonly duplicateProbability: number;
  /** Serialisation rate; when set, messages queue behind each other on the link. */
  readonly bandwidthBytesPerMs?: number;
}

/** A link that delivers every message after one millisecond. */
export const defaultLinkConfig: LinkConfig = {
  latency: { kind: 'uniform', minUs: 800, maxUs: 1200 },
  lossProbability: 0,
  duplicateProbability: 0,
};

/** Limits checked on every link configuration (user input arrives here through commands). */
export const linkLimits = {
  latencyUsMax: 60_000_000,
  slowTailFactorMax: 1000,
  bandwidthBytesPerMsMin: 1,
} as const;

/**
 * Checks a link configuration and returns a description of the first problem, or null. Commands
 * from share links and fault files are untrusted, so nothing reaches the network unchecked.
 */
export function linkConfigProblem(config: LinkConfig): string | null {
  const probabilityProblem = (name: string, value: number): string | null =>
    Number.isFinite(value) && value >= 0 && value <= 1
      ? null
      : `${name} must be a probability between 0 and 1 (got ${String(value)})`;
  const latencyProblem = latencySpecProblem(config.latency);
  if (latencyProblem !== null) return latencyProblem;
  const loss = probabilityProblem('lossProbability', config.lossProbability);
  if (loss !== null) return loss;
  const duplicate = probabilityProblem('duplicateProbability', config.duplicateProbability);
  if (duplicate !== null) return duplicate;
  const bandwidth = config.bandwidthBytesPerMs;
  if (bandwidth !== undefined && !(bandwidth >= linkLimits.bandwidthBytesPerMsMin)) {
    return `bandwidthBytesPerMs must be at least ${linkLimits.bandwidthBytesPerMsMin}`;
  }
  return null;
}

function latencySpecProblem(spec: LatencySpec): string | null {
  const inRange = (name: string, value: number): string | null =>
    Number.isFinite(value) && value >= 0 && value <= linkLimits.latencyUsMax
      ? null
      : `latency ${name} must be between 0 and ${linkLimits.latencyUsMax} µs (got ${String(value)})`;
  const checks: (string | null)[] = [];
  switch (spec.kind) {
    case 'constant':
      checks.push(inRange('us', spec.us));
      break;
    case 'uniform':
      checks.push(inRange('minUs', spec.minUs), inRange('maxUs', spec.maxUs));
      if (spec.maxUs < spec.minUs) checks.push('latency maxUs must not be below minUs');
      break;
    case 'normal':
      checks.push(inRange('meanUs', spec.meanUs), inRange('sdUs', spec.sdUs));
      checks.push(inRange('minUs', spec.minUs));
      break;
    case 'exponential':
      checks.push(inRange('minUs', spec.minUs), inRange('meanExtraUs', spec.meanExtraUs));
      break;
    default: {
      const unknownSpec: never = spec;
      return `unknown latency kind ${JSON.stringify(unknownSpec)}`;
    }
  }
  const tail = spec.slowTail;
  if (tail !== undefined) {
    if (!(tail.probability >= 0 && tail.probability <= 1)) {
      checks.push('slowTail.probability must be between 0 and 1');
    }
    if (!(tail.factor >= 1 && tail.factor <= linkLimits.slowTailFactorMax)) {
      checks.push(`slowTail.factor must be between 1 and ${linkLimits.slowTailFactorMax}`);
    }
  }
  return checks.find((problem) => problem !== null) ?? null;
}

/** Draws one latency, in whole microseconds, never negative. */
export function sampleLatencyUs(spec: LatencySpec, rng: Rng): number {
  let us: number;
  switch (spec.kind) {
    case 'constant':
      us = spec.us;
      break;
    case 'uniform':
      us = uniform(rng, spec.minUs, spec.maxUs);
      break;
    case 'normal':
      us = Math.max(spec.minUs, normal(rng, spec.meanUs, spec.sdUs));
      break;
    case 'exponential':
      us = spec.minUs + (spec.meanExtraUs > 0 ? exponential(rng, spec.meanExtraUs) : 0);
      break;
    default: {
      const unknownSpec: never = spec;
      throw new Error(`unknown latency kind ${JSON.stringify(unknownSpec)}`);
    }
  }
  const tail = spec.slowTail;
  if (tail !== undefined && tail.probability > 0 && rng.chance(tail.probability)) {
    us *= tail.factor;
  }
  return Math.max(0, Math.round(us));
}

/** The mean of a latency spec, in microseconds (used for layouts and summaries). */
export function meanLatencyUs(spec: LatencySpec): number {
  let mean: number;
  switch (spec.kind) {
    case 'constant':
      mean = spec.us;
      break;
    case 'uniform':
      mean = (spec.minUs + spec.maxUs) / 2;
      break;
    case 'normal':
      mean = Math.max(spec.minUs, spec.meanUs);
      break;
    case 'exponential':
      mean = spec.minUs + spec.meanExtraUs;
      break;
    default: {
      const unknownSpec: never = spec;
      throw new Error(`unknown latency kind ${JSON.stringify(unknownSpec)}`);
    }
  }
  const tail = spec.slowTail;
  return tail === undefined ? mean : mean * (1 + tail.probability * (tail.factor - 1));
}

/** Mutable runtime state of one directional link. */
export interface LinkState {
  exists: boolean;
  config: LinkConfig;
  /** When the link finishes serialising what it already carries (bandwidth-limited links). */
  busyUntilUs: number;
  isHeld: boolean;
  /** Event-pool slots of messages waiting on a held link, in arrival order. */
  held: number[];
  /** The link's random stream, fetched on first use (`link:<from>><to>`). */
  rng: Rng | null;
}
