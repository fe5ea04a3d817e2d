import type { ParamSpec } from '../../engine/types.ts';

/** Anything that carries a run's parameter values: a node's context, a world view, a holder. */
export interface ParamSource {
  readonly params: Readonly<Record<string, number>>;
}

/**
 * Typed readers of one scenario's parameters, made once from its spec table. A key is one of the
 * table's keys, so a misspelt or removed parameter fails the typecheck rather than at run time.
 * A key that is missing from the values at run time is a scenario bug and fails loudly. The readers
 * are plain functions (no `this`), so a scenario exports them by destructuring.
 */
export interface ParamReader<K extends string> {
  /** The parameter's current value. */
  readonly paramOf: (source: ParamSource, key: K) => number;
  /** A millisecond parameter in whole microseconds. */
  readonly msParamUs: (source: ParamSource, key: K) => number;
  /** A second parameter in whole microseconds. */
  readonly secondsParamUs: (source: ParamSource, key: K) => number;
  /** A count parameter as a whole number of at least `floor`. */
  readonly countParam: (source: ParamSource, key: K, floor?: number) => number;
  /** A count parameter as a whole number inside the spec's bounds. */
  readonly boundedCount: (source: ParamSource, key: K) => number;
  /** Whether an on/off parameter (0 or 1) is on. */
  readonly isOn: (source: ParamSource, key: K) => boolean;
}

/** The readers of the parameters `specs` declares, naming `scenarioId` in their errors. */
export function paramReader<K extends string>(
  scenarioId: string,
  specs: Readonly<Record<K, ParamSpec>>,
): ParamReader<K> {
  const paramOf = (source: ParamSource, key: K): number => {
    const value = source.params[key];
    if (value === undefined) throw new Error(`${scenarioId}: parameter ${key} is missing`);
    return value;
  };
  return {
    paramOf,
    msParamUs: (source, key) => Math.round(paramOf(source, key) * 1000),
    secondsParamUs: (source, key) => Math.round(paramOf(source, key) * 1_000_000),
    countParam: (source, key, floor = 1) => Math.max(floor, Math.round(paramOf(source, key))),
    boundedCount: (source, key) => {
      const { min, max } = specs[key];
      return Math.min(max, Math.max(min, Math.round(paramOf(source, key))));
    },
    isOn: (source, key) => paramOf(source, key) >= 1,
  };
}
