import { exponential } from '../src/engine/distributions.ts';
import { RngStreams } from '../src/engine/rng.ts';

/**
 * The seeded inputs of the queue workloads, and the checksum every implementation folds over the
 * events it fires.
 *
 * Every random number a workload needs is drawn here, before any timing, into a Float64Array
 * that all three implementations (engine queue, SIM.JS, bare heap) read in the same order. So
 * the random-number cost is identical (zero) for all of them and outside the comparison, and the
 * three see exactly the same draws. Draws come from the engine's own seeded streams, one named
 * stream per workload, and are whole microseconds (the engine's time unit), so equal times do
 * occur and every implementation's (time, insertion order) tie-breaking is exercised.
 */

/** What one implementation reports after running a workload. */
export interface WorkloadResult {
  /** Events fired. */
  readonly events: number;
  /** Order-sensitive fold of (time, payload) over the fired events, in firing order. */
  readonly checksum: number;
}

/**
 * Folds one fired event into the checksum. Changing the order of two events, an event's time or
 * its payload changes the result (murmur3-style mixing of each 32-bit word). Times are whole
 * microseconds below 2^53, so `^` sees them exactly modulo 2^32.
 */
export function mixEvent(checksum: number, timeUs: number, payload: number): number {
  let h = Math.imul(checksum ^ timeUs, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ payload, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The sizes of the four queue workloads. */
export interface WorkloadSizes {
  /** One-shot timers scheduled, then drained. */
  readonly timerCount: number;
  /** Events fired by each hold model. */
  readonly holdEventCount: number;
  /** Pending entries of the small and the large hold model. */
  readonly holdSmallPendingCount: number;
  readonly holdLargePendingCount: number;
  /** Customers through the M/M/1 queue (two events each). */
  readonly customerCount: number;
}

/** The sizes of BENCHMARKS.md. */
export const fullSizes: WorkloadSizes = {
  timerCount: 1_000_000,
  holdEventCount: 1_000_000,
  holdSmallPendingCount: 1_000,
  holdLargePendingCount: 100_000,
  customerCount: 1_000_000,
};

/** Timers spread uniformly over one simulated second. */
const timerSpanUs = 1_000_000;
/** Mean hold time of the hold models. */
const holdMeanUs = 1_000;
/** Mean time between M/M/1 arrivals, and mean service time: utilisation ρ = 0.9. */
const interArrivalMeanUs = 1_000;
const serviceMeanUs = 900;

/** Inputs of the one-shot timer workload: timer i fires at timesUs[i]. */
export interface TimerData {
  readonly timesUs: Float64Array;
}

/**
 * Inputs of a hold model: entity i starts pending at drawsUs[i] (i < pendingCount); the k-th
 * event fired re-schedules its entity drawsUs[pendingCount + k] later.
 */
export interface HoldData {
  readonly pendingCount: number;
  readonly eventCount: number;
  readonly drawsUs: Float64Array;
}

/** Inputs of the M/M/1 queue: customer c arrives interArrivalUs[c] after c − 1 and needs serviceUs[c]. */
export interface QueueData {
  readonly interArrivalUs: Float64Array;
  readonly serviceUs: Float64Array;
}

/** Draws the timers' fire times. */
export function drawTimerData(seed: number, timerCount: number): TimerData {
  const rng = new RngStreams(seed).get('bench:timers');
  const timesUs = new Float64Array(timerCount);
  for (let i = 0; i < timerCount; i++) timesUs[i] = rng.int(timerSpanUs);
  return { timesUs };
}

/** Draws a hold model's initial times and hold times (exponential, rounded to whole µs). */
export function drawHoldData(seed: number, pendingCount: number, eventCount: number): HoldData {
  const rng = new RngStreams(seed).get(`bench:hold-${pendingCount}`);
  const drawsUs = new Float64Array(pendingCount + eventCount);
  for (let i = 0; i < drawsUs.length; i++) drawsUs[i] = Math.round(exponential(rng, holdMeanUs));
  return { pendingCount, eventCount, drawsUs };
}

/** Draws the M/M/1 queue's inter-arrival and service times (exponential, whole µs). */
export function drawQueueData(seed: number, customerCount: number): QueueData {
  const streams = new RngStreams(seed);
  const arrivals = streams.get('bench:mm1-arrivals');
  const services = streams.get('bench:mm1-services');
  const interArrivalUs = new Float64Array(customerCount);
  const serviceUs = new Float64Array(customerCount);
  for (let i = 0; i < customerCount; i++) {
    interArrivalUs[i] = Math.round(exponential(arrivals, interArrivalMeanUs));
    serviceUs[i] = Math.round(exponential(services, serviceMeanUs));
  }
  return { interArrivalUs, serviceUs };
}
