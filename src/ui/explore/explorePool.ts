import type { RunSliceMessage, SeedDoneMessage } from '../../explore/messages.ts';
import { type ExplorePlan, seedsOf } from '../../explore/plan.ts';
import { insertBySeed, type SeedOutcome } from '../../explore/results.ts';

/** What the pool needs of a worker: post it a slice, terminate it. */
export interface ExploreWorkerPort {
  post(message: RunSliceMessage): void;
  terminate(): void;
}

/** What a worker reports back: an outcome, or that it died (with the reason). */
export interface ExploreWorkerEvents {
  onSeedDone(message: SeedDoneMessage): void;
  onError(reason: string): void;
}

/** Starts one worker; the real one is a module worker, tests pass a fake. */
export type ExploreWorkerFactory = (events: ExploreWorkerEvents) => ExploreWorkerPort;

/** Workers at most: more would starve the page's own simulation worker on small machines. */
export const poolSizeMax = 4;
/** Worker deaths in a row (no seed finishing in between) before a batch gives up. */
export const workerFailuresInARowMax = 3;

/** One worker per spare core (leave one for the page and its simulation), from 1 to 4. */
export function poolSizeFor(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(poolSizeMax, (hardwareConcurrency ?? 1) - 1));
}

/**
 * A batch's standing. `stopped`: the workers kept dying and the batch gave up; the outcomes so
 * far are kept either way.
 */
export interface PoolProgress {
  readonly status: 'idle' | 'running' | 'done' | 'cancelled' | 'stopped';
  readonly plan: ExplorePlan | null;
  readonly total: number;
  /** Outcomes so far, in seed order (failed seeds included). */
  readonly outcomes: readonly SeedOutcome[];
}

export interface ExplorePoolOptions {
  readonly factory: ExploreWorkerFactory;
  readonly size: number;
  /** Seeds handed to a worker at a time; 1 spreads the work most evenly. */
  readonly sliceSize?: number;
  onProgress(progress: PoolProgress): void;
  /** Something went wrong that the person should hear about (a worker died). */
  onNotice(text: string): void;
}

interface Slot {
  readonly port: ExploreWorkerPort;
  /** Seeds handed to this worker and not reported yet, in the order it runs them. */
  outstanding: number[];
  isRetired: boolean;
}

const idleProgress: PoolProgress = { status: 'idle', plan: null, total: 0, outcomes: [] };

/**
 * Runs a batch's seeds on a pool of workers: hands each idle worker the next slice of seeds,
 * collects outcomes in seed order and reports progress after each. A worker that dies costs
 * exactly the seed it was running (reported as failed, with a notice); the rest of its slice goes
 * back to the queue and a new worker takes its place. Cancel terminates every worker at once.
 */
export class ExplorePool {
  private readonly options: ExplorePoolOptions;
  private slots: Slot[] = [];
  private queue: number[] = [];
  private failuresInARow = 0;
  private current: PoolProgress = idleProgress;

  constructor(options: ExplorePoolOptions) {
    this.options = options;
  }

  get progress(): PoolProgress {
    return this.current;
  }

  /** Starts a batch, cancelling any batch still running. */
  start(plan: ExplorePlan): void {
    this.retireAll();
    this.queue = seedsOf(plan);
    this.failuresInARow = 0;
    this.update({ status: 'running', plan, total: this.queue.length, outcomes: [] });
    const size = Math.min(Math.max(1, this.options.size), this.queue.length);
    for (let i = 0; i < size && this.current.status === 'running'; i++) this.addWorker();
  }

  /** Stops the batch now; outcomes so far are kept. */
  cancel(): void {
    if (this.current.status !== 'running') return;
    this.retireAll();
    this.update({ ...this.current, status: 'cancelled' });
  }

  /** Terminates every worker without reporting (the panel is going away). */
  dispose(): void {
    this.retireAll();
  }

  private addWorker(): void {
    let port: ExploreWorkerPort;
    // The worker's callbacks need its slot, and the slot needs the port the factory returns.
    const slot: { current: Slot | null } = { current: null };
    try {
      port = this.options.factory({
        onSeedDone: (message) => {
          if (slot.current !== null) this.onSeedDone(slot.current, message);
        },
        onError: (reason) => {
          if (slot.current !== null) this.onWorkerError(slot.current, reason);
        },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.stop(`Could not start a worker to explore seeds: ${reason}`);
      return;
    }
    slot.current = { port, outstanding: [], isRetired: false };
    this.slots.push(slot.current);
    this.handOut(slot.current);
  }

  /** Gives an idle worker the next slice, or finishes the batch when nothing is left anywhere. */
  private handOut(slot: Slot): void {
    const plan = this.current.plan;
    if (plan === null || this.current.status !== 'running') return;
    if (this.queue.length > 0) {
      const seeds = this.queue.splice(0, Math.max(1, this.options.sliceSize ?? 1));
      slot.outstanding = seeds;
      slot.port.post({ type: 'run', plan, seeds });
      return;
    }
    if (this.slots.every((each) => each.outstanding.length === 0)) {
      this.retireAll();
      this.update({ ...this.current, status: 'done' });
    }
  }

  private onSeedDone(slot: Slot, message: SeedDoneMessage): void {
    if (slot.isRetired || this.current.status !== 'running') return;
    const seed = message.outcome.seed;
    slot.outstanding = slot.outstanding.filter((each) => each !== seed);
    this.failuresInARow = 0;
    this.record(message.outcome);
    if (slot.outstanding.length === 0) this.handOut(slot);
  }

  private onWorkerError(slot: Slot, reason: string): void {
    if (slot.isRetired || this.current.status !== 'running') return;
    this.retire(slot);
    this.slots = this.slots.filter((each) => each !== slot);
    // A worker runs its slice in order, so the first seed not reported is the one it died on.
    const [seed, ...rest] = slot.outstanding;
    this.queue = [...rest, ...this.queue];
    if (seed !== undefined) {
      const message = `The explore worker stopped while running seed ${seed}: ${reason}`;
      this.options.onNotice(message);
      this.record({ kind: 'failed', seed, message });
    }
    this.failuresInARow++;
    if (this.failuresInARow >= workerFailuresInARowMax) {
      this.stop(
        `Stopped exploring: the workers failed ${this.failuresInARow} times in a row. The seeds so far are kept.`,
      );
      return;
    }
    this.addWorker();
  }

  private record(outcome: SeedOutcome): void {
    this.update({ ...this.current, outcomes: insertBySeed(this.current.outcomes, outcome) });
  }

  private stop(notice: string): void {
    this.retireAll();
    this.options.onNotice(notice);
    this.update({ ...this.current, status: 'stopped' });
  }

  private retireAll(): void {
    for (const slot of this.slots) this.retire(slot);
    this.slots = [];
    this.queue = [];
  }

  private retire(slot: Slot): void {
    slot.isRetired = true;
    slot.port.terminate();
  }

  private update(progress: PoolProgress): void {
    this.current = progress;
    this.options.onProgress(progress);
  }
}
