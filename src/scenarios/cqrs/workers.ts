import { exponential } from '../../engine/distributions.ts';
import type { NodeContext } from '../../engine/types.ts';

/**
 * A service's bounded capacity: `busy.length` workers and a bounded queue in front of them. Each
 * job takes an exponentially distributed service time (an M/M/c server), so latency grows with
 * load the way it does on a real server, and a full queue makes the service answer "busy". Used
 * by the command service, each query replica and the baseline's single service. Pools are
 * rebuilt as whole literals `{ busy, queue }`, which V8 makes several times faster than spreads.
 */

/** The pool: what each worker is doing (null: idle) and what waits, oldest first. */
export interface Pool<J> {
  readonly busy: readonly (J | null)[];
  readonly queue: readonly J[];
}

type Context = Pick<NodeContext, 'random' | 'setTimer'>;

const workerPrefix = 'worker:';
/** Timer names of the first workers, built once rather than on every job. */
const workerTimers = Array.from({ length: 32 }, (_, index) => `${workerPrefix}${index}`);

export function newPool<J>(workers: number): Pool<J> {
  return { busy: Array.from({ length: Math.max(1, workers) }, () => null), queue: [] };
}

/** Whether the timer `name` is a worker finishing its job. */
export function isWorkerTimer(name: string): boolean {
  return name.startsWith(workerPrefix);
}

/** Jobs in the pool, running and waiting. */
export function load<J>(pool: Pool<J>): number {
  let running = 0;
  for (const job of pool.busy) if (job !== null) running++;
  return pool.queue.length + running;
}

/**
 * Takes `job`: straight to an idle worker, else into the queue; null when the queue is at
 * `queueMax` (the caller answers busy). `meanUs(job)` is the job's mean service time.
 */
export function admit<J>(
  pool: Pool<J>,
  job: J,
  queueMax: number,
  meanUs: (job: J) => number,
  ctx: Context,
): Pool<J> | null {
  const idle = pool.busy.indexOf(null);
  if (idle >= 0) return startOn(pool, idle, job, meanUs, ctx);
  if (pool.queue.length >= queueMax) return null;
  const queue = pool.queue.slice();
  queue.push(job);
  return { busy: pool.busy, queue };
}

/** A worker is done: its job, and the pool with the next waiting job started on that worker. */
export function finish<J>(
  pool: Pool<J>,
  timerName: string,
  meanUs: (job: J) => number,
  ctx: Context,
): { readonly pool: Pool<J>; readonly job: J | null } {
  const index = Number(timerName.slice(workerPrefix.length));
  const job = pool.busy[index] ?? null;
  const busy = pool.busy.slice();
  busy[index] = null;
  const next = pool.queue[0];
  if (next === undefined) return { pool: { busy, queue: pool.queue }, job };
  return { pool: startOn({ busy, queue: pool.queue.slice(1) }, index, next, meanUs, ctx), job };
}

/** Empties the pool (jobs are dropped; their timers fire into idle workers and are ignored). */
export function drain<J>(pool: Pool<J>): { readonly pool: Pool<J>; readonly jobs: J[] } {
  const jobs = [...pool.busy.filter((job): job is J => job !== null), ...pool.queue];
  return { pool: newPool<J>(pool.busy.length), jobs };
}

function startOn<J>(
  pool: Pool<J>,
  index: number,
  job: J,
  meanUs: (job: J) => number,
  ctx: Context,
): Pool<J> {
  const busy = pool.busy.slice();
  busy[index] = job;
  const mean = Math.max(1, meanUs(job));
  const name = workerTimers[index] ?? `${workerPrefix}${index}`;
  ctx.setTimer(name, Math.max(1, Math.round(exponential(ctx.random, mean))));
  return { busy, queue: pool.queue };
}
