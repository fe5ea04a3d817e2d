import { describe, expect, it } from 'vitest';
import type { RunSliceMessage } from '../../explore/messages.ts';
import type { ExplorePlan } from '../../explore/plan.ts';
import type { SeedOutcome } from '../../explore/results.ts';
import {
  ExplorePool,
  type ExploreWorkerEvents,
  type PoolProgress,
  poolSizeFor,
  workerFailuresInARowMax,
} from './explorePool.ts';

/** A worker the test drives by hand: it records what it was sent and answers when told. */
class FakeWorker {
  readonly events: ExploreWorkerEvents;
  readonly slices: RunSliceMessage[] = [];
  isTerminated = false;

  constructor(events: ExploreWorkerEvents) {
    this.events = events;
  }

  /** Seeds sent to this worker and not answered yet, in order. */
  pending: number[] = [];

  post(message: RunSliceMessage): void {
    this.slices.push(message);
    this.pending.push(...message.seeds);
  }

  terminate(): void {
    this.isTerminated = true;
  }

  /** Finishes the next pending seed (a clean run, or a safety violation on `violated`). */
  finishNext(violated = false): number {
    const seed = this.pending.shift();
    if (seed === undefined) throw new Error('nothing pending');
    this.events.onSeedDone({
      type: 'seed',
      outcome: outcome(seed, violated),
      remaining: this.pending.length,
    });
    return seed;
  }

  crash(reason: string): void {
    this.events.onError(reason);
  }
}

function outcome(seed: number, violated: boolean): SeedOutcome {
  return {
    kind: 'ran',
    seed,
    traceHash: '0',
    events: 1,
    metrics: [],
    safetyViolated: violated ? ['no-value-issued-twice'] : [],
    livenessMissed: [],
    firstViolation: null,
    firstViolationUs: null,
    request: {
      scenarioId: 'planted-violation',
      seed,
      variant: 'pattern',
      params: {},
      commands: [],
    },
    durationUs: 1,
  };
}

const plan: ExplorePlan = {
  scenarioId: 'planted-violation',
  variant: 'pattern',
  params: {},
  seedFirst: 1,
  seedLast: 6,
  durationUs: 1_000_000,
  isChaos: true,
};

function makePool(size: number, sliceSize = 1) {
  const workers: FakeWorker[] = [];
  const reports: PoolProgress[] = [];
  const notices: string[] = [];
  const pool = new ExplorePool({
    factory: (events) => {
      const worker = new FakeWorker(events);
      workers.push(worker);
      return worker;
    },
    size,
    sliceSize,
    onProgress: (progress) => reports.push(progress),
    onNotice: (text) => notices.push(text),
  });
  const seedsOf = (progress: PoolProgress) => progress.outcomes.map((each) => each.seed);
  return { pool, workers, reports, notices, seedsOf };
}

describe('poolSizeFor', () => {
  it('leaves a core for the page, and uses 1 to 4 workers', () => {
    expect([undefined, 1, 2, 3, 4, 5, 8, 64].map(poolSizeFor)).toEqual([1, 1, 1, 2, 3, 4, 4, 4]);
  });
});

describe('ExplorePool', () => {
  it('hands seeds to idle workers, reports progress and collects outcomes in seed order', () => {
    const { pool, workers, reports, seedsOf } = makePool(2);
    pool.start(plan);
    expect(workers).toHaveLength(2);
    const [a, b] = workers as [FakeWorker, FakeWorker];
    expect(a.pending).toEqual([1]);
    expect(b.pending).toEqual([2]);
    b.finishNext(true); // seed 2 finishes first; b takes seed 3
    expect(pool.progress.outcomes.map((each) => each.seed)).toEqual([2]);
    expect(b.pending).toEqual([3]);
    a.finishNext(); // seed 1; a takes 4
    b.finishNext(); // seed 3; b takes 5
    a.finishNext(); // seed 4; a takes 6
    b.finishNext(); // seed 5; nothing left for b
    expect(b.pending).toEqual([]);
    expect(pool.progress.status).toBe('running');
    a.finishNext(); // seed 6: done
    const last = reports[reports.length - 1];
    expect(last?.status).toBe('done');
    expect(last === undefined ? [] : seedsOf(last)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(last?.total).toBe(6);
    // Progress grows by one seed per report while running.
    const done = reports.map((report) => report.outcomes.length);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 6]);
    expect(workers.every((worker) => worker.isTerminated)).toBe(true);
  });

  it('starts no more workers than there are seeds', () => {
    const { pool, workers } = makePool(4);
    pool.start({ ...plan, seedLast: 2 });
    expect(workers).toHaveLength(2);
  });

  it('cancel terminates every worker at once, keeps the outcomes and ignores late answers', () => {
    const { pool, workers, seedsOf } = makePool(2);
    pool.start(plan);
    const [a, b] = workers as [FakeWorker, FakeWorker];
    a.finishNext();
    pool.cancel();
    expect(workers.every((worker) => worker.isTerminated)).toBe(true);
    expect(pool.progress.status).toBe('cancelled');
    b.finishNext(); // an answer already on its way when the worker was terminated
    expect(seedsOf(pool.progress)).toEqual([1]);
    pool.cancel();
    expect(pool.progress.status).toBe('cancelled');
  });

  it('reports the seed a dying worker was running, requeues the rest of its slice, replaces it', () => {
    const { pool, workers, notices, seedsOf } = makePool(1, 3);
    pool.start(plan);
    const [first] = workers as [FakeWorker];
    expect(first.pending).toEqual([1, 2, 3]);
    first.finishNext();
    first.crash('out of memory');
    expect(first.isTerminated).toBe(true);
    expect(notices).toEqual(['The explore worker stopped while running seed 2: out of memory']);
    const failed = pool.progress.outcomes.find((each) => each.seed === 2);
    expect(failed).toEqual({
      kind: 'failed',
      seed: 2,
      message: 'The explore worker stopped while running seed 2: out of memory',
    });
    const second = workers[1];
    expect(second?.pending).toEqual([3, 4, 5]);
    first.finishNext(); // the dead worker's late answer for seed 3 is ignored
    expect(seedsOf(pool.progress)).toEqual([1, 2]);
    second?.finishNext();
    second?.finishNext();
    second?.finishNext();
    second?.finishNext();
    expect(pool.progress.status).toBe('done');
    expect(seedsOf(pool.progress)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it(`gives up after ${workerFailuresInARowMax} worker deaths in a row, keeping what it has`, () => {
    const { pool, workers, notices, seedsOf } = makePool(1);
    pool.start(plan);
    workers[0]?.finishNext();
    for (let i = 0; i < workerFailuresInARowMax; i++) workers[workers.length - 1]?.crash('bad');
    expect(pool.progress.status).toBe('stopped');
    expect(seedsOf(pool.progress)).toEqual([1, 2, 3, 4]);
    expect(notices[notices.length - 1]).toMatch(/failed 3 times in a row/);
    expect(workers).toHaveLength(workerFailuresInARowMax);
    expect(workers.every((worker) => worker.isTerminated)).toBe(true);
  });

  it('stops with a notice when no worker can be started', () => {
    const notices: string[] = [];
    const pool = new ExplorePool({
      factory: () => {
        throw new Error('Workers are disabled');
      },
      size: 2,
      onProgress: () => undefined,
      onNotice: (text) => notices.push(text),
    });
    pool.start(plan);
    expect(pool.progress.status).toBe('stopped');
    expect(notices).toEqual(['Could not start a worker to explore seeds: Workers are disabled']);
  });

  it('a new batch replaces a running one', () => {
    const { pool, workers, seedsOf } = makePool(1);
    pool.start(plan);
    workers[0]?.finishNext();
    pool.start({ ...plan, seedFirst: 10, seedLast: 11 });
    expect(workers[0]?.isTerminated).toBe(true);
    expect(pool.progress.outcomes).toEqual([]);
    workers[1]?.finishNext();
    workers[1]?.finishNext();
    expect(seedsOf(pool.progress)).toEqual([10, 11]);
    expect(pool.progress.status).toBe('done');
  });
});
