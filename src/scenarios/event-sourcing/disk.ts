import type { Message, NodeContext, NodeId } from '../../engine/types.ts';

/**
 * A store's single worker: requests that cost time (loads, appends, writes) wait in arrival order
 * and are served one at a time, each for a time the store computes when it starts on it. Both
 * the event store and the baseline's CRUD store use it, so they are equally fast, and the "slow
 * store" fault slows both the same way. The queue is volatile: a crash loses what was waiting
 * (the senders time out), as a real server loses its in-memory request queue.
 */

/** Requests waiting (or in service) past this are refused: dropped with a note, never answered. */
export const diskQueueMax = 500;

const diskTimer = 'disk';

export interface QueuedRequest<M extends Message> {
  readonly from: NodeId;
  readonly message: M;
}

export interface Disk<M extends Message> {
  /** The head is in service while `isBusy`. */
  readonly queue: readonly QueuedRequest<M>[];
  readonly isBusy: boolean;
  /** Service times are multiplied by this ("slow store" fault); 1 when healthy. */
  readonly slowFactor: number;
}

export function idleDisk<M extends Message>(): Disk<M> {
  return diskOf([], false, 1);
}

/** A disk as an object literal (V8 copies `{ ...disk, field }` far slower; see stateCopies.ts). */
function diskOf<M extends Message>(
  queue: readonly QueuedRequest<M>[],
  isBusy: boolean,
  slowFactor: number,
): Disk<M> {
  return { queue, isBusy, slowFactor };
}

/** The time, in µs at normal speed, a request takes; computed when service starts. */
export type ServiceTime<M extends Message, C extends NodeContext> = (
  request: QueuedRequest<M>,
  ctx: C,
) => number;

/** Queues a request and starts on it if the worker is idle. */
export function admit<M extends Message, C extends NodeContext>(
  disk: Disk<M>,
  request: QueuedRequest<M>,
  ctx: C,
  serviceTimeUs: ServiceTime<M, C>,
): Disk<M> {
  if (disk.queue.length >= diskQueueMax) {
    ctx.annotate(
      `queue full (${diskQueueMax}): ${request.message.type} from ${request.from} dropped`,
    );
    return disk;
  }
  const queued = diskOf([...disk.queue, request], disk.isBusy, disk.slowFactor);
  return queued.isBusy ? queued : startNext(queued, ctx, serviceTimeUs);
}

/** Whether a timer event is the worker finishing its current request. */
export function isDiskTimer(name: string): boolean {
  return name === diskTimer;
}

/** The request just served (the head), and the disk without it; call `startNext` after handling. */
export function finish<M extends Message>(
  disk: Disk<M>,
): { readonly done: QueuedRequest<M> | null; readonly disk: Disk<M> } {
  const done = disk.queue[0];
  if (!disk.isBusy || done === undefined)
    return { done: null, disk: diskOf(disk.queue, false, disk.slowFactor) };
  return { done, disk: diskOf(disk.queue.slice(1), false, disk.slowFactor) };
}

/** Starts on the next waiting request, if any. */
export function startNext<M extends Message, C extends NodeContext>(
  disk: Disk<M>,
  ctx: C,
  serviceTimeUs: ServiceTime<M, C>,
): Disk<M> {
  const head = disk.queue[0];
  if (disk.isBusy || head === undefined) return disk;
  const timeUs = Math.max(1, Math.round(serviceTimeUs(head, ctx) * disk.slowFactor));
  ctx.setTimer(diskTimer, timeUs);
  return diskOf(disk.queue, true, disk.slowFactor);
}

/** The "slow store" fault and its recovery: service times × `factor` from the next request on. */
export function withSlowFactor<M extends Message>(disk: Disk<M>, factor: number): Disk<M> {
  return diskOf(disk.queue, disk.isBusy, Math.max(1, factor));
}
