import type {
  LivenessInvariant,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import type { BreakerStateName } from './breaker.ts';
import { sampleIntervalUs } from './monitor.ts';
import { countParam, paramOf } from './protocol.ts';
import {
  breakerValueOf,
  isDependencyHealed,
  isWholeAndConnected,
  serviceBootsOf,
  serviceId,
  serviceStateOf,
} from './world.ts';

export interface CallsSentMemory {
  /** The service boot the figures below belong to (0: none seen yet). */
  boots: number;
  /** The service's count of calls put on the wire, as of its last event. */
  callsSent: number;
  value: BreakerStateName;
  generation: number;
  /** The half-open period being counted, the calls sent in it and the largest allowance seen. */
  halfOpenGeneration: number;
  halfOpenSent: number;
  halfOpenAllowed: number;
}

/**
 * The breaker's promise, checked against what the service actually sent: after every service
 * event it compares the service's count of calls put on the wire with the count before the
 * event. Calls sent in an event that leaves the breaker `open` (or the operator's `forced-open`)
 * were sent while it was open (the service changes breaker state only on results, timers and
 * controls, none of which sends a call, and on a call that finds the wait over, which leaves it
 * half-open; so the state after the event is the state the calls went out in). In `half-open` the
 * calls of each period (one breaker generation) are added up and must not exceed the permitted
 * trial calls (the largest value the live parameter had during the period).
 */
export const noCallsWhileOpen: SafetyInvariant<CallsSentMemory> = {
  id: 'no-calls-while-open',
  kind: 'safety',
  description:
    'No call reaches the wire while the breaker is open, and at most the permitted trial calls per half-open period',
  createMemory(): CallsSentMemory {
    return {
      boots: 0,
      callsSent: 0,
      value: 'closed',
      generation: 0,
      halfOpenGeneration: -1,
      halfOpenSent: 0,
      halfOpenAllowed: 0,
    };
  },
  check(world: WorldView, node: NodeView | undefined, memory: CallsSentMemory): Violation | null {
    if (node !== undefined && node.id !== serviceId) return null;
    const service = serviceStateOf(world);
    const breaker = service?.breaker ?? null;
    if (service === null || breaker === null) {
      memory.boots = 0;
      return null;
    }
    const boots = serviceBootsOf(world);
    const sent = service.callsSent - memory.callsSent;
    const isNewBoot = boots !== memory.boots;
    const { value, context } = breaker;
    memory.boots = boots;
    // A restarted service counts generations from 0 again: forget the old half-open period.
    if (isNewBoot) memory.halfOpenGeneration = -1;
    memory.callsSent = service.callsSent;
    memory.value = value;
    memory.generation = context.generation;
    if (value === 'half-open' && memory.halfOpenGeneration !== context.generation) {
      memory.halfOpenGeneration = context.generation;
      memory.halfOpenSent = 0;
      memory.halfOpenAllowed = 0;
    }
    const allowed = countParam(world, 'permittedHalfOpenCalls');
    memory.halfOpenAllowed = Math.max(memory.halfOpenAllowed, allowed);
    // A fresh start sends nothing in `init`: its figures are the new baseline.
    if (isNewBoot || sent <= 0) return null;
    if (value === 'open' || value === 'forced-open') {
      return {
        message: `service sent ${sent} call(s) to the dependency while its breaker was ${value} (generation ${context.generation})`,
        nodes: [serviceId],
      };
    }
    if (value !== 'half-open') return null;
    memory.halfOpenSent += sent;
    if (memory.halfOpenSent <= memory.halfOpenAllowed) return null;
    return {
      message: `service sent ${memory.halfOpenSent} calls in one half-open period (generation ${context.generation}); ${memory.halfOpenAllowed} permitted`,
      nodes: [serviceId],
    };
  },
};

/**
 * After the dependency heals, the breaker closes. Owed while every node is up, every link passes
 * messages both ways [1], and the dependency is healed (no slowdown, no errors, the incident
 * over). The bound, in phases:
 *
 * - flush, D + T + G (+ the time window): calls sent before the heal, and calls queued at the
 *   dependency behind its backlog, end within the dependency's drain time D plus the call
 *   timeout T; their failures may still trip the breaker. G is the time for a few new requests
 *   to arrive. A time window also keeps old failures for its length, and as old successes
 *   leave it the failure rate can still rise; a count window's rate cannot rise on successes.
 * - two rounds of W + G + D + P: the wait in open, trial requests arriving, the trial calls
 *   possibly waiting behind a backlog, and their round trip. The first round may fail (its trial
 *   calls slow behind the backlog when the wait is shorter than the drain time); in the second
 *   nothing is left in front of them (no calls are made while open).
 * - one monitor tick, the granularity at which the engine checks.
 *
 * D = (dependency queue + concurrency) / concurrency × 1.5 × service time (the longest draw),
 * G = 5 × trial calls / total request rate (Poisson arrivals: a longer gap is rarer than 1 in
 * 10^4 with the defaults), P = own work + trial call + two round trips at 1.5 × link latency.
 *
 * [1] A crashed or paused client also suspends the promise (fewer arrivals than G assumes), and
 *     so does any network fault in force (`hasActiveFaults`: a partly lossy or slowed link,
 *     over which trial calls fail at random and the breaker rightly stays open).
 * [2] The operator's forced states (held open, disabled, metrics only) also suspend it. A max
 *     wait in half-open shorter than a trial call keeps the breaker from ever closing, and the
 *     invariant rightly reports it; so does a slow-call threshold below the healthy latency.
 */
export const closesAfterHeal: LivenessInvariant = {
  id: 'closes-after-heal',
  kind: 'liveness',
  description: 'The breaker closes after the dependency heals',
  boundUs(params: Readonly<Record<string, number>>): number {
    return closeBoundUs(params);
  },
  isExpected(world: WorldView): boolean {
    return (
      !world.hasActiveFaults &&
      isWholeAndConnected(world) &&
      isDependencyHealed(world) &&
      !isHeldByOperator(breakerValueOf(world))
    );
  },
  holds(world: WorldView): boolean {
    const value = breakerValueOf(world);
    return value === 'closed' || value === 'none';
  },
};

/** A forced state stays until the operator ends it [2]: no closing is owed meanwhile. */
function isHeldByOperator(value: BreakerStateName | 'none' | null): boolean {
  return value === 'forced-open' || value === 'disabled' || value === 'metrics-only';
}

/** The liveness bound in µs (see `closesAfterHeal`). */
export function closeBoundUs(params: Readonly<Record<string, number>>): number {
  const source = { params };
  const ms = (key: Parameters<typeof paramOf>[1]): number => paramOf(source, key) * 1000;
  const concurrency = countParam(source, 'dependencyConcurrency');
  const queueMax = countParam(source, 'dependencyQueueMax', 0);
  const drainUs = ((queueMax + concurrency) / concurrency) * 1.5 * ms('dependencyServiceMs');
  const ratePerUs =
    (countParam(source, 'clientCount') * paramOf(source, 'requestRatePerSecond')) / 1_000_000;
  const arrivalsUs = (5 * countParam(source, 'permittedHalfOpenCalls')) / ratePerUs;
  const roundTripUs = 2 * 1.5 * ms('linkLatencyMs');
  const trialUs = ms('serviceWorkMs') + 1.5 * ms('dependencyServiceMs') + 2 * roundTripUs;
  const windowUs = paramOf(source, 'windowKind') >= 1 ? paramOf(source, 'windowTimeS') * 1e6 : 0;
  const flushUs = drainUs + ms('callTimeoutMs') + arrivalsUs + windowUs;
  const roundUs = ms('waitInOpenMs') + arrivalsUs + drainUs + trialUs;
  return Math.round(flushUs + 2 * roundUs + sampleIntervalUs);
}
