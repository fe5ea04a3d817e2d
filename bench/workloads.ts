import { EventQueue } from '../src/engine/queue.ts';
import { bareHeapPush, bareHeapRemoveRoot, createBareHeap } from './heap.ts';
import { holdSimJs, queueSimJs, timersSimJs } from './simjsWorkloads.ts';
import {
  type HoldData,
  type QueueData,
  type TimerData,
  type WorkloadResult,
  type WorkloadSizes,
  drawHoldData,
  drawQueueData,
  drawTimerData,
  mixEvent,
} from './workloadData.ts';

/**
 * The four queue workloads of BENCHMARKS.md, each written three times: on the engine's
 * `EventQueue` driven by a tiny loop, on SIM.JS (simjsWorkloads.ts), and on the bare heap
 * (heap.ts). The three versions of a workload read the same pre-drawn inputs, fire the same
 * events in the same order and fold them into the same checksum; the benchmark voids a figure
 * whose three checksums differ.
 *
 * Every version allocates its own queue inside the timed call (the engine queue and the bare
 * heap both sized for the workload's peak, so neither grows) and includes its initial
 * scheduling in the time.
 */

export type { WorkloadResult } from './workloadData.ts';

/** The three implementations compared on every workload. */
export const implementations = ['engine', 'simjs', 'bare'] as const;
export type Implementation = (typeof implementations)[number];

/** One workload: a figure of the benchmark. */
export interface Workload {
  /** Figure name, used in the summary line and by the name filter. */
  readonly name: string;
  /** What runs, with its sizes. */
  readonly description: string;
  /** The engine/SIM.JS ratio BENCHMARKS.md asks for on this workload. */
  readonly simjsTargetRatio: number;
  /** Runs the workload once on each implementation. */
  readonly run: Readonly<Record<Implementation, () => WorkloadResult>>;
}

// ---- One-shot timers: schedule all, then drain --------------------------------------------

function timersEngine({ timesUs }: TimerData): WorkloadResult {
  const count = timesUs.length;
  const queue = new EventQueue(count);
  for (let i = 0; i < count; i++) queue.push(timesUs[i] as number, i);
  let checksum = 0;
  let events = 0;
  while (queue.size > 0) {
    const timeUs = queue.peekTime();
    const payload = queue.pop();
    checksum = mixEvent(checksum, timeUs, payload);
    events++;
  }
  return { events, checksum };
}

function timersBare({ timesUs }: TimerData): WorkloadResult {
  const count = timesUs.length;
  const { times, seqs, payloads } = createBareHeap(count);
  for (let i = 0; i < count; i++)
    bareHeapPush(times, seqs, payloads, i, timesUs[i] as number, i, i);
  let checksum = 0;
  let events = 0;
  for (let size = count; size > 0;) {
    const timeUs = times[0] as number;
    const payload = payloads[0] as number;
    bareHeapRemoveRoot(times, seqs, payloads, --size);
    checksum = mixEvent(checksum, timeUs, payload);
    events++;
  }
  return { events, checksum };
}

// ---- Hold model: pop one, push it back at now + hold time ----------------------------------

function holdEngine({ pendingCount, eventCount, drawsUs }: HoldData): WorkloadResult {
  const queue = new EventQueue(pendingCount);
  for (let i = 0; i < pendingCount; i++) queue.push(drawsUs[i] as number, i);
  let checksum = 0;
  for (let k = 0; k < eventCount; k++) {
    const timeUs = queue.peekTime();
    const payload = queue.pop();
    checksum = mixEvent(checksum, timeUs, payload);
    queue.push(timeUs + (drawsUs[pendingCount + k] as number), payload);
  }
  return { events: eventCount, checksum };
}

function holdBare({ pendingCount, eventCount, drawsUs }: HoldData): WorkloadResult {
  const { times, seqs, payloads } = createBareHeap(pendingCount);
  let seq = 0;
  for (let i = 0; i < pendingCount; i++) {
    bareHeapPush(times, seqs, payloads, i, drawsUs[i] as number, seq++, i);
  }
  let checksum = 0;
  const last = pendingCount - 1;
  for (let k = 0; k < eventCount; k++) {
    const timeUs = times[0] as number;
    const payload = payloads[0] as number;
    bareHeapRemoveRoot(times, seqs, payloads, last);
    checksum = mixEvent(checksum, timeUs, payload);
    const dueUs = timeUs + (drawsUs[pendingCount + k] as number);
    bareHeapPush(times, seqs, payloads, last, dueUs, seq++, payload);
  }
  return { events: eventCount, checksum };
}

// ---- M/M/1 queue: arrivals and departures, FIFO waiting line -------------------------------
// Payload 2c is customer c's arrival, 2c + 1 its departure.

function queueEngine({ interArrivalUs, serviceUs }: QueueData): WorkloadResult {
  const customerCount = interArrivalUs.length;
  const queue = new EventQueue(2);
  const waiting = new Int32Array(customerCount);
  let head = 0;
  let tail = 0;
  let isBusy = false;
  let checksum = 0;
  let events = 0;
  if (customerCount > 0) queue.push(interArrivalUs[0] as number, 0);
  while (queue.size > 0) {
    const timeUs = queue.peekTime();
    const payload = queue.pop();
    checksum = mixEvent(checksum, timeUs, payload);
    events++;
    const customer = payload >> 1;
    if ((payload & 1) === 0) {
      const next = customer + 1;
      if (next < customerCount) queue.push(timeUs + (interArrivalUs[next] as number), next << 1);
      if (isBusy) {
        waiting[tail++] = customer;
      } else {
        isBusy = true;
        queue.push(timeUs + (serviceUs[customer] as number), (customer << 1) | 1);
      }
    } else if (head < tail) {
      const served = waiting[head++] as number;
      queue.push(timeUs + (serviceUs[served] as number), (served << 1) | 1);
    } else {
      isBusy = false;
    }
  }
  return { events, checksum };
}

function queueBare({ interArrivalUs, serviceUs }: QueueData): WorkloadResult {
  const customerCount = interArrivalUs.length;
  const { times, seqs, payloads } = createBareHeap(2);
  const waiting = new Int32Array(customerCount);
  let size = 0;
  let seq = 0;
  let head = 0;
  let tail = 0;
  let isBusy = false;
  let checksum = 0;
  let events = 0;
  if (customerCount > 0)
    bareHeapPush(times, seqs, payloads, size++, interArrivalUs[0] as number, seq++, 0);
  while (size > 0) {
    const timeUs = times[0] as number;
    const payload = payloads[0] as number;
    bareHeapRemoveRoot(times, seqs, payloads, --size);
    checksum = mixEvent(checksum, timeUs, payload);
    events++;
    const customer = payload >> 1;
    if ((payload & 1) === 0) {
      const next = customer + 1;
      if (next < customerCount) {
        const dueUs = timeUs + (interArrivalUs[next] as number);
        bareHeapPush(times, seqs, payloads, size++, dueUs, seq++, next << 1);
      }
      if (isBusy) {
        waiting[tail++] = customer;
      } else {
        isBusy = true;
        const dueUs = timeUs + (serviceUs[customer] as number);
        bareHeapPush(times, seqs, payloads, size++, dueUs, seq++, (customer << 1) | 1);
      }
    } else if (head < tail) {
      const served = waiting[head++] as number;
      const dueUs = timeUs + (serviceUs[served] as number);
      bareHeapPush(times, seqs, payloads, size++, dueUs, seq++, (served << 1) | 1);
    } else {
      isBusy = false;
    }
  }
  return { events, checksum };
}

// ---- The figures -----------------------------------------------------------------------------

function count(value: number): string {
  if (value >= 1_000_000 && value % 1_000_000 === 0) return `${value / 1_000_000}M`;
  if (value >= 1_000 && value % 1_000 === 0) return `${value / 1_000}k`;
  return String(value);
}

/**
 * Draws the inputs of the four workloads for `seed` and returns them as figures. Drawing happens
 * here, once, before anything is timed.
 */
export function createWorkloads(sizes: WorkloadSizes, seed: number): Workload[] {
  const timers = drawTimerData(seed, sizes.timerCount);
  const holdSmall = drawHoldData(seed, sizes.holdSmallPendingCount, sizes.holdEventCount);
  const holdLarge = drawHoldData(seed, sizes.holdLargePendingCount, sizes.holdEventCount);
  const customers = drawQueueData(seed, sizes.customerCount);
  const holdFigure = (data: HoldData): Workload => ({
    name: `hold-${count(data.pendingCount).toLowerCase()}`,
    description: `hold model, ${count(data.pendingCount)} pending, ${count(data.eventCount)} events`,
    simjsTargetRatio: 3,
    run: {
      engine: () => holdEngine(data),
      simjs: () => holdSimJs(data),
      bare: () => holdBare(data),
    },
  });
  return [
    {
      name: `timers-${count(sizes.timerCount).toLowerCase()}`,
      description: `${count(sizes.timerCount)} one-shot timers, schedule all then drain`,
      simjsTargetRatio: 8,
      run: {
        engine: () => timersEngine(timers),
        simjs: () => timersSimJs(timers),
        bare: () => timersBare(timers),
      },
    },
    holdFigure(holdSmall),
    holdFigure(holdLarge),
    {
      name: `mm1-${count(sizes.customerCount).toLowerCase()}`,
      description: `M/M/1 queue, ρ = 0.9, ${count(sizes.customerCount)} customers (${count(2 * sizes.customerCount)} events)`,
      simjsTargetRatio: 3,
      run: {
        engine: () => queueEngine(customers),
        simjs: () => queueSimJs(customers),
        bare: () => queueBare(customers),
      },
    },
  ];
}
