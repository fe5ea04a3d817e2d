import { simjs } from './simjs.ts';
import {
  type HoldData,
  type QueueData,
  type TimerData,
  type WorkloadResult,
  mixEvent,
} from './workloadData.ts';

/**
 * The queue workloads written for SIM.JS, the way its documentation writes models: an entity
 * schedules requests with `setTimer(delay).done(callback)` and the simulator's `simulate` loop
 * delivers them. The request's data (`setData`) carries the payload, which the callback reads
 * from `callbackData`. SIM.JS orders its event list by (time, insertion order), as the engine
 * does, so with the same inputs it fires the same events in the same order.
 *
 * Entities are created with `addEntity` and scheduled right after, still at time 0, which is
 * what scheduling from `start()` would do. The M/M/1 model uses two timers (arrival and
 * departure) rather than a SIM.JS `Facility`, so its event count matches the other versions.
 */

class TimerEntity extends simjs.Entity {
  checksum = 0;
  events = 0;

  start(): void {
    // Scheduling happens in schedule(), called by the workload once the entity exists.
  }

  schedule({ timesUs }: TimerData): void {
    for (let i = 0; i < timesUs.length; i++) {
      this.setTimer(timesUs[i] as number)
        .done(this.fire)
        .setData(i);
    }
  }

  readonly fire = (): void => {
    this.checksum = mixEvent(this.checksum, this.time(), this.callbackData as number);
    this.events++;
  };
}

/** One-shot timers on SIM.JS. */
export function timersSimJs(data: TimerData): WorkloadResult {
  const sim = new simjs.Sim();
  const entity = sim.addEntity(TimerEntity);
  entity.schedule(data);
  sim.simulate(Infinity);
  return { events: entity.events, checksum: entity.checksum };
}

class HoldEntity extends simjs.Entity {
  checksum = 0;
  events = 0;
  private drawsUs: Float64Array = new Float64Array(0);
  private nextDraw = 0;

  start(): void {
    // Scheduling happens in schedule(), called by the workload once the entity exists.
  }

  schedule({ pendingCount, drawsUs }: HoldData): void {
    this.drawsUs = drawsUs;
    this.nextDraw = pendingCount;
    for (let i = 0; i < pendingCount; i++) {
      this.setTimer(drawsUs[i] as number)
        .done(this.fire)
        .setData(i);
    }
  }

  readonly fire = (): void => {
    const payload = this.callbackData as number;
    this.checksum = mixEvent(this.checksum, this.time(), payload);
    this.events++;
    this.setTimer(this.drawsUs[this.nextDraw++] as number)
      .done(this.fire)
      .setData(payload);
  };
}

/** A hold model on SIM.JS: `simulate` stops after exactly `eventCount` deliveries. */
export function holdSimJs(data: HoldData): WorkloadResult {
  const sim = new simjs.Sim();
  const entity = sim.addEntity(HoldEntity);
  entity.schedule(data);
  sim.simulate(Infinity, data.eventCount);
  return { events: entity.events, checksum: entity.checksum };
}

class QueueEntity extends simjs.Entity {
  checksum = 0;
  events = 0;
  private interArrivalUs: Float64Array = new Float64Array(0);
  private serviceUs: Float64Array = new Float64Array(0);
  private waiting = new Int32Array(0);
  private head = 0;
  private tail = 0;
  private isBusy = false;

  start(): void {
    // Scheduling happens in schedule(), called by the workload once the entity exists.
  }

  schedule({ interArrivalUs, serviceUs }: QueueData): void {
    this.interArrivalUs = interArrivalUs;
    this.serviceUs = serviceUs;
    this.waiting = new Int32Array(interArrivalUs.length);
    if (interArrivalUs.length > 0) {
      this.setTimer(interArrivalUs[0] as number)
        .done(this.arrive)
        .setData(0);
    }
  }

  private serve(customer: number): void {
    this.setTimer(this.serviceUs[customer] as number)
      .done(this.depart)
      .setData(customer);
  }

  readonly arrive = (): void => {
    const customer = this.callbackData as number;
    this.checksum = mixEvent(this.checksum, this.time(), customer << 1);
    this.events++;
    const next = customer + 1;
    if (next < this.interArrivalUs.length) {
      this.setTimer(this.interArrivalUs[next] as number)
        .done(this.arrive)
        .setData(next);
    }
    if (this.isBusy) {
      this.waiting[this.tail++] = customer;
    } else {
      this.isBusy = true;
      this.serve(customer);
    }
  };

  readonly depart = (): void => {
    const customer = this.callbackData as number;
    this.checksum = mixEvent(this.checksum, this.time(), (customer << 1) | 1);
    this.events++;
    if (this.head < this.tail) this.serve(this.waiting[this.head++] as number);
    else this.isBusy = false;
  };
}

/** The M/M/1 queue on SIM.JS. */
export function queueSimJs(data: QueueData): WorkloadResult {
  const sim = new simjs.Sim();
  const entity = sim.addEntity(QueueEntity);
  entity.schedule(data);
  sim.simulate(Infinity);
  return { events: entity.events, checksum: entity.checksum };
}
