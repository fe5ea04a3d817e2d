import type { WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { BreakerStateName } from './breaker.ts';
import { minimumCallsOf } from './breakerConfig.ts';
import { failureBit, type OutcomeBits, type OutcomeWindow, slowBit } from './outcomeWindow.ts';
import { serviceRole, settingsOf } from './protocol.ts';
import type { ServiceState } from './service.ts';

/**
 * The breaker as Resilience4j describes it: a state machine (closed, open, half-open), a sliding
 * window of recent outcomes judged against the failure-rate and slow-call-rate thresholds once it
 * holds the minimum number of calls, the wait in open, and the trial calls of half-open. The
 * operator's forced states (held open, disabled, metrics only) light the box they behave like,
 * dashed and named for the forced state; the description says which it is.
 */
export interface BreakerInstrumentData {
  /** `none`: the baseline has no breaker; `down`: the service is not running. */
  readonly state: BreakerStateName | 'none' | 'down';
  readonly windowKind: 'count' | 'time';
  /** The count window's size in calls, or the time window's length in µs. */
  readonly windowSize: number;
  /** The newest outcomes in the window, oldest first (failure bit 1, slow bit 2), at most `outcomesShownMax`. */
  readonly outcomes: readonly OutcomeBits[];
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
  /** The calls the window needs before it is judged (for a count window, at most its size). */
  readonly minimumCalls: number;
  /** Thresholds as fractions (0–1); a slow-call threshold above 1 is off. */
  readonly failureRateThreshold: number;
  readonly slowCallRateThreshold: number;
  /**
   * Time left in open before trial calls (0: the next call goes half-open), and the whole wait;
   * null when not open.
   */
  readonly openRemainingUs: number | null;
  readonly waitInOpenUs: number;
  readonly probesStarted: number;
  readonly probesFinished: number;
  readonly permittedHalfOpenCalls: number;
  readonly trips: number;
}

/** Outcomes drawn at most (a time window can hold thousands). */
export const outcomesShownMax = 40;

/** The newest `max` outcomes of a window, oldest first, without walking the whole window. */
export function newestOutcomes(window: OutcomeWindow, max: number): OutcomeBits[] {
  const newest: OutcomeBits[] = [];
  const tail = window.tail.bits;
  for (let i = tail.length - 1; i >= 0 && newest.length < max; i--) newest.push(tail[i] ?? 0);
  for (let c = window.full.length - 1; c >= 0 && newest.length < max; c--) {
    const bits = window.full[c]?.bits ?? [];
    const first = c === 0 ? window.head : 0;
    for (let i = bits.length - 1; i >= first && newest.length < max; i--) newest.push(bits[i] ?? 0);
  }
  return newest.reverse();
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function seconds(us: number): string {
  return `${(us / 1_000_000).toFixed(1)} s`;
}

/** The breaker's state in one sentence, as the figure's accessible name. */
export function describeBreaker(data: BreakerInstrumentData): string {
  if (data.state === 'none') return 'Circuit breaker: none in the baseline; every call is made.';
  if (data.state === 'down') return 'Circuit breaker: the service is down.';
  const window =
    data.windowKind === 'count'
      ? `${data.failures} of ${data.calls} recent calls failed, ${data.slow} slow`
      : `${data.failures} of ${data.calls} calls in the last ${seconds(data.windowSize)} failed, ${data.slow} slow`;
  if (data.state === 'open') {
    const remainingUs = data.openRemainingUs;
    const wait =
      remainingUs === null
        ? ''
        : remainingUs > 0
          ? `, half-open in ${seconds(remainingUs)}`
          : ', half-open at the next call';
    return `Circuit breaker: open, calls are cut off${wait}.`;
  }
  if (data.state === 'forced-open')
    return 'Circuit breaker: held open by the operator, every call is cut off until it is reset.';
  if (data.state === 'disabled')
    return 'Circuit breaker: disabled by the operator, every call goes through and none is recorded.';
  if (data.state === 'metrics-only')
    return `Circuit breaker: metrics only, set by the operator: ${window}; it never opens.`;
  if (data.state === 'half-open')
    return `Circuit breaker: half-open, ${data.probesStarted} of ${data.permittedHalfOpenCalls} trial calls let through, ${data.probesFinished} back.`;
  const judged =
    data.calls < data.minimumCalls
      ? `not judged until ${data.minimumCalls} calls`
      : `opens at ${percent(data.failureRateThreshold)} failed`;
  return `Circuit breaker: closed, ${window}; ${judged}.`;
}

/** Reads the service's breaker (the first service node's). */
export function readBreaker(world: WorldView): BreakerInstrumentData {
  const settings = settingsOf(world.params);
  const config = settings.breaker;
  const service = world.nodes.find((node) => node.role === serviceRole);
  const state = service?.state as ServiceState | undefined;
  const base = {
    windowKind: config.windowKind,
    windowSize: config.windowKind === 'count' ? config.windowCalls : config.windowUs,
    minimumCalls: minimumCallsOf(config),
    failureRateThreshold: config.failureRateThreshold,
    slowCallRateThreshold: config.slowCallRateThreshold,
    waitInOpenUs: settings.waitInOpenUs,
    permittedHalfOpenCalls: config.permittedHalfOpenCalls,
  };
  const empty = {
    ...base,
    outcomes: [],
    calls: 0,
    failures: 0,
    slow: 0,
    openRemainingUs: null,
    probesStarted: 0,
    probesFinished: 0,
    trips: 0,
  };
  if (service === undefined || service.status !== 'up' || state === undefined)
    return { ...empty, state: 'down' };
  const breaker = state.breaker;
  if (breaker === null) return { ...empty, state: 'none' };
  const { context } = breaker;
  // The wait as it was set when the breaker opened (a live change applies to the next one).
  const openRemainingUs =
    breaker.value === 'open' ? Math.max(0, context.retryAfterUs - world.nowUs) : null;
  return {
    ...base,
    state: breaker.value,
    outcomes: newestOutcomes(context.window, outcomesShownMax),
    calls: context.window.calls,
    failures: context.window.failures,
    slow: context.window.slow,
    openRemainingUs,
    probesStarted: context.probesStarted,
    probesFinished: context.probesFinished,
    trips: context.trips,
  };
}

export const circuitBreakerInstrument: Instrument = {
  title: 'Breaker',
  read(world): InstrumentReading {
    const data = readBreaker(world);
    return { description: describeBreaker(data), data };
  },
};

/** Whether an outcome failed or was slow (for the drawing). */
export function outcomeKind(bits: OutcomeBits): 'failed' | 'slow' | 'ok' {
  if ((bits & failureBit) !== 0) return 'failed';
  if ((bits & slowBit) !== 0) return 'slow';
  return 'ok';
}
