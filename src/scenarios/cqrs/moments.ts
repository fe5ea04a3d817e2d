import type { MomentSink, MomentSpec, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { BalancerDurable, Membership } from './loadBalancer.ts';
import {
  balancerId,
  commandId,
  paramOf,
  projectorId,
  replicaIds,
  replicaRole,
} from './protocol.ts';
import { isPattern, isServing, projectorApplied, replicaDurable, writeLog } from './world.ts';

/**
 * The moments of CQRS, all on the read side (the baseline has none: it reads the store it
 * writes): the read models fall behind the write log and catch up again [1], and a replica the
 * operator added joins the rotation once it has replayed the projection log, or leaves it [2].
 */

export const cqrsMoments: readonly MomentSpec[] = [
  { id: 'projection-lagging', label: 'Projection lagging' },
  { id: 'projection-caught-up', label: 'Projection caught up' },
  { id: 'replica-joined', label: 'Replica joined' },
  { id: 'replica-left', label: 'Replica left' },
];

export interface ReadSideSeen {
  /** When the read side started lagging (−1: it is not), and the largest lag seen since. */
  laggingSinceUs: number;
  peakLag: number;
  /** The load balancer's wanted membership as last compared (null before the first look). */
  wanted: BalancerDurable['wanted'] | null;
  /** When each replica was added by the operator, while it does not serve yet (−1: not joining). */
  readonly joining: Record<NodeId, number>;
}

export function createReadSideSeen(): ReadSideSeen {
  return { laggingSinceUs: -1, peakLag: 0, wanted: null, joining: {} };
}

/** Lag, in changes, at which the read side counts as lagging: a second's worth of writes. */
export function laggingThreshold(world: { readonly params: Readonly<Record<string, number>> }) {
  const writesPerSecond =
    (paramOf(world, 'clientCount') *
      paramOf(world, 'opsPerSecond') *
      paramOf(world, 'writePercent')) /
    100;
  return Math.max(5, Math.round(writesPerSecond));
}

export function observeReadSide(
  world: WorldView,
  node: NodeView | undefined,
  seen: ReadSideSeen,
  moment: MomentSink,
): void {
  if (!isPattern(world)) return;
  const id = node?.id;
  if (id === undefined || id === balancerId) observeMembership(world, seen, moment);
  if (id === undefined || node?.role === replicaRole) noteJoined(world, id, seen, moment);
  // Only a new write can start a lag, and only the read side's own progress can end it.
  const isLagging = seen.laggingSinceUs >= 0;
  if (
    id === undefined ||
    (isLagging ? id === projectorId || node?.role === replicaRole : id === commandId)
  ) {
    checkLag(world, seen, moment);
  }
}

/** The largest lag on the read side: the projector's, or a serving replica's. */
function readSideLag(world: WorldView): number {
  const head = writeLog(world).length;
  let lag = head - projectorApplied(world);
  for (const id of replicaIds(world.params)) {
    if (isServing(world, id)) lag = Math.max(lag, head - replicaDurable(world, id).applied);
  }
  return lag;
}

/** Who is furthest behind: the projector, or the first serving replica with the largest lag. */
function furthestBehind(world: WorldView): NodeId {
  const head = writeLog(world).length;
  let lag = head - projectorApplied(world);
  let worst = projectorId;
  for (const id of replicaIds(world.params)) {
    if (isServing(world, id) && head - replicaDurable(world, id).applied > lag) {
      lag = head - replicaDurable(world, id).applied;
      worst = id;
    }
  }
  return worst;
}

function checkLag(world: WorldView, seen: ReadSideSeen, moment: MomentSink): void {
  const lag = readSideLag(world);
  if (seen.laggingSinceUs < 0) {
    const threshold = laggingThreshold(world);
    if (lag < threshold) return;
    seen.laggingSinceUs = world.nowUs;
    seen.peakLag = lag;
    const worst = furthestBehind(world);
    const who = worst === projectorId ? 'the projector' : `replica ${worst}`;
    moment(
      'projection-lagging',
      `The read side is lagging: ${who} is ${lag} changes behind the write log ` +
        `(${threshold} is about a second of writes), so reads miss recent writes`,
      [worst],
    );
    return;
  }
  if (lag > seen.peakLag) seen.peakLag = lag;
  if (lag > 0) return;
  const seconds = ((world.nowUs - seen.laggingSinceUs) / 1_000_000).toFixed(1);
  moment(
    'projection-caught-up',
    `The read side caught up: the projector and every serving replica have applied all ` +
      `${writeLog(world).length} changes, after ${seconds} s lagging by up to ${seen.peakLag} changes`,
    [projectorId, ...replicaIds(world.params).filter((each) => isServing(world, each))],
  );
  seen.laggingSinceUs = -1;
  seen.peakLag = 0;
}

/** [2] The operator's decisions, as the load balancer keeps them. */
function observeMembership(world: WorldView, seen: ReadSideSeen, moment: MomentSink): void {
  const wanted = (world.node(balancerId).durable as BalancerDurable).wanted;
  if (wanted === seen.wanted) return;
  const before = seen.wanted;
  seen.wanted = wanted;
  if (before === null) return;
  for (const id of replicaIds(world.params)) {
    const was = before[id]?.isActive === true;
    const is = wanted[id]?.isActive === true;
    if (is && !was) seen.joining[id] = world.nowUs;
    if (was && !is) {
      seen.joining[id] = -1;
      moment(
        'replica-left',
        `${id} left the rotation: the operator removed it and it dropped its read store ` +
          `(${activeCount(wanted)} active replicas remain)`,
        [id, balancerId],
      );
    }
  }
}

function activeCount(wanted: Readonly<Record<NodeId, Membership>>): number {
  let count = 0;
  for (const id in wanted) if (wanted[id]?.isActive === true) count++;
  return count;
}

/** A replica the operator added serves once it has replayed the projection log. */
function noteJoined(
  world: WorldView,
  id: NodeId | undefined,
  seen: ReadSideSeen,
  moment: MomentSink,
): void {
  if (id !== undefined) {
    if ((seen.joining[id] ?? -1) >= 0) joinIfServing(world, id, seen, moment);
    return;
  }
  for (const each of replicaIds(world.params)) {
    if ((seen.joining[each] ?? -1) >= 0) joinIfServing(world, each, seen, moment);
  }
}

function joinIfServing(world: WorldView, id: NodeId, seen: ReadSideSeen, moment: MomentSink) {
  const addedUs = seen.joining[id] ?? world.nowUs;
  if (!isServing(world, id)) return;
  seen.joining[id] = -1;
  const seconds = ((world.nowUs - addedUs) / 1_000_000).toFixed(1);
  moment(
    'replica-joined',
    `${id} joined the rotation: it replayed ${replicaDurable(world, id).applied} changes ` +
      `from the projection log in ${seconds} s and now serves reads`,
    [id, balancerId],
  );
}

/*
 * Notes
 *
 * [1] Hysteresis. The read side trails every write by a few milliseconds, so a change or two of
 *     lag is normal. It counts as lagging only at about a second's worth of writes (the rate
 *     the clients' parameters ask for, at least 5), and as caught up only when the projector
 *     and every serving replica have applied the whole log: nothing is reported in between.
 *     A replica that is catching up after it joined or restarted does not serve and is not
 *     counted: its lag is its replay, reported by `replica-joined`.
 * [2] The load balancer's durable `wanted` membership changes only when the operator adds or
 *     removes a replica; it is an immutable value, so an unchanged reference means nothing to
 *     compare.
 */
