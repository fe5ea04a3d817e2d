type Params = Readonly<Record<string, number>>;

/**
 * A value derived from a run's parameters, computed once per parameters object rather than on
 * every event. The engine never changes a parameters object: a parameter change replaces it
 * (the `Readonly` contract), so the object's identity tells whether the derived value still
 * holds, and the result is the same pure function of the parameters either way [1].
 *
 * Only the last object is remembered: two runs with different parameters interleaved in one
 * process (tests, the compare page) recompute on every switch, and stay correct. The Ambassador
 * uses it too.
 *
 * [1] Behaviours read a dozen parameters per event (limits, timeouts, the breaker's thresholds),
 *     each a property lookup, a check and some arithmetic; with this they are one comparison.
 */
export function memoByParams<T>(derive: (params: Params) => T): (params: Params) => T {
  let lastParams: Params | null = null;
  let last: T | null = null;
  return (params: Params): T => {
    if (params !== lastParams || last === null) {
      last = derive(params);
      lastParams = params;
    }
    return last;
  };
}
