import type { MomentSink, MomentSpec, WorldView } from '../../engine/types.ts';
import type { BreakerStateName } from './breaker.ts';
import { countParam, paramOf } from './protocol.ts';
import { busyWorkers, type ServiceState } from './service.ts';
import { serviceId } from './world.ts';

/**
 * The moments a learner wants marked: the breaker's three transitions (pattern only; the
 * operator's forced states count as the opening or closing they amount to), and the
 * service's worker pool running out and coming back (both variants: the cascade the breaker is
 * there to stop, and the one the baseline suffers).
 */
export const circuitBreakerMoments: readonly MomentSpec[] = [
  { id: 'breaker-opened', label: 'Breaker opened' },
  { id: 'breaker-half-open', label: 'Breaker half-open' },
  { id: 'breaker-closed', label: 'Breaker closed' },
  { id: 'service-saturated', label: 'Service saturated' },
  { id: 'service-recovered', label: 'Service recovered' },
];

/** What the moments need to remember between events (plain data, in the monitor's memory). */
export interface MomentMemory {
  /** The breaker as last reported; `none` before the first look and in the baseline. */
  reportedBreaker: BreakerStateName | 'none';
  /** Whether the service was last reported saturated (queue full). */
  isSaturated: boolean;
}

export function createMomentMemory(): MomentMemory {
  return { reportedBreaker: 'none', isSaturated: false };
}

/**
 * Reports the transitions of the service's breaker and pool since the last look. `service` is
 * null while the service is down: nothing is reported then, and the state it comes back in is
 * compared with the one reported before it went down (a restart brings a fresh, closed breaker).
 */
export function noticeMoments(
  world: WorldView,
  service: ServiceState | null,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  if (service === null) return;
  const breaker = service.breaker;
  if (breaker !== null && breaker.value !== memory.reportedBreaker) {
    // The first look at a closed breaker is the start of the run, not a transition.
    if (memory.reportedBreaker !== 'none' || breaker.value !== 'closed') {
      reportBreaker(world, breaker.value, breaker.context.reason, moment);
    }
    memory.reportedBreaker = breaker.value;
  }
  // Hysteresis: saturated when the wait queue is full (requests are turned away), recovered only
  // once the queue is empty and a worker is free again, so a queue hovering at full is one moment.
  if (!memory.isSaturated) {
    if (service.queueMax > 0 && service.queue.length >= service.queueMax) {
      memory.isSaturated = true;
      moment(
        'service-saturated',
        `${serviceId} is saturated: all ${service.poolSize} workers are busy and its queue of ` +
          `${service.queueMax} is full, so new requests are turned away`,
        [serviceId],
      );
    }
  } else if (service.queue.length === 0 && busyWorkers(service) < service.poolSize) {
    memory.isSaturated = false;
    const free = service.poolSize - busyWorkers(service);
    moment(
      'service-recovered',
      `${serviceId} recovered: its queue is empty and ${free} of its ${service.poolSize} ` +
        `workers are free again`,
      [serviceId],
    );
  }
}

function reportBreaker(
  world: WorldView,
  value: BreakerStateName,
  reason: string,
  moment: MomentSink,
): void {
  const nodes = [serviceId];
  switch (value) {
    case 'open': {
      const waitS = paramOf(world, 'waitInOpenMs') / 1000;
      moment(
        'breaker-opened',
        `${serviceId}'s breaker opened (${reason}): no calls reach the dependency for ${waitS} s`,
        nodes,
      );
      return;
    }
    case 'half-open':
      moment(
        'breaker-half-open',
        `${serviceId}'s breaker is half-open after its wait in open: up to ` +
          `${countParam(world, 'permittedHalfOpenCalls')} trial calls go to the dependency`,
        nodes,
      );
      return;
    case 'closed':
      moment(
        'breaker-closed',
        reason === 'initial state'
          ? `${serviceId} restarted with a new breaker, closed: every call goes through again`
          : `${serviceId}'s breaker closed (${reason}): every call goes through again`,
        nodes,
      );
      return;
    // The operator's forced states: marked as the opening or closing they amount to.
    case 'forced-open':
      moment(
        'breaker-opened',
        `${serviceId}'s breaker is held open by the operator: no calls reach the dependency ` +
          'until it is reset',
        nodes,
      );
      return;
    case 'disabled':
      moment(
        'breaker-closed',
        `${serviceId}'s breaker is disabled by the operator: every call goes through and ` +
          'nothing is recorded until it is reset',
        nodes,
      );
      return;
    case 'metrics-only':
      moment(
        'breaker-closed',
        `${serviceId}'s breaker is set to metrics only by the operator: every call goes ` +
          'through and is recorded, but it will not open until it is reset',
        nodes,
      );
      return;
    default: {
      const unknownValue: never = value;
      return unknownValue;
    }
  }
}
