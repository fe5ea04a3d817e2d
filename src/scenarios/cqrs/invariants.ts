import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import { entryAt } from './appendLog.ts';
import type { LogEntry } from './commandService.ts';
import type { ProjectorDurable } from './projector.ts';
import { boundedCount, paramOf, projectorRole, replicaRole } from './protocol.ts';
import { fetchBatchMax } from './projector.ts';
import type { ReplicaDurable } from './queryReplica.ts';
import { isConverged, isPattern, writeLog } from './world.ts';
import { missedStatusesMax } from './loadBalancer.ts';

/** What the prefix check remembers of one replica: the write store as of its last position. */
interface ReplicaCheck {
  generation: number;
  applied: number;
  expected: number[];
  /** Reported already: not reported again until its generation changes. */
  isReported: boolean;
  /**
   * The read store last found equal to `expected` (states are immutable: the same array is
   * still equal while `expected` stays). A checkpoint's copy of it is a new array, so a
   * restored run compares again.
   */
  comparedModel: readonly number[] | null;
}

export interface PrefixMemory {
  /** Projection log positions already compared with the write log. */
  projectorChecked: number;
  isProjectorReported: boolean;
  readonly replicas: Map<NodeId, ReplicaCheck>;
}

/**
 * Every read model is a prefix of the write log. After every event it looks at the node that
 * acted (every node after a command): the projector's projection log must equal the write log's
 * first entries and never shrink; a replica's read store must equal the write store as of its
 * applied position, which must not pass the write log's head (a write not committed) nor move
 * back within one membership generation. Applying a change out of order, skipping one or
 * inventing one leaves a read store that equals no prefix, and is caught at that event. The
 * check is incremental: it folds only the log entries a replica moved past.
 */
export const readModelIsPrefix: SafetyInvariant<PrefixMemory> = {
  id: 'read-model-is-prefix',
  kind: 'safety',
  description: 'Every read model is a prefix of the write log',
  createMemory(): PrefixMemory {
    return { projectorChecked: 0, isProjectorReported: false, replicas: new Map() };
  },
  check(world: WorldView, node: NodeView | undefined, memory: PrefixMemory): Violation | null {
    if (!isPattern(world)) return null; // the baseline reads the write store itself
    if (node !== undefined) return checkNode(world, node, memory);
    let first: Violation | null = null;
    for (const each of world.nodes) first ??= checkNode(world, each, memory);
    return first;
  },
};

function checkNode(world: WorldView, node: NodeView, memory: PrefixMemory): Violation | null {
  if (node.role === projectorRole) return checkProjector(world, node, memory);
  if (node.role === replicaRole) return checkReplica(world, node, memory);
  return null;
}

function checkProjector(world: WorldView, node: NodeView, memory: PrefixMemory): Violation | null {
  if (memory.isProjectorReported) return null;
  const keys = (node.durable as ProjectorDurable).keys;
  const log = writeLog(world);
  let problem: string | null = null;
  if (keys.length < memory.projectorChecked) {
    problem = `went back from position ${memory.projectorChecked} to ${keys.length}`;
  } else if (keys.length > log.length) {
    problem = `applied position ${keys.length}, beyond the write log head ${log.length}`;
  } else {
    for (let index = memory.projectorChecked; index < keys.length; index++) {
      const written = (entryAt(log, index) as LogEntry).key;
      const applied = entryAt(keys, index);
      if (applied !== written) {
        problem = `position ${index + 1} says key ${applied}, the write log key ${written}`;
        break;
      }
    }
  }
  if (problem === null) {
    memory.projectorChecked = keys.length;
    return null;
  }
  memory.isProjectorReported = true;
  return { message: `projector: ${problem}`, nodes: [node.id] };
}

function checkReplica(world: WorldView, node: NodeView, memory: PrefixMemory): Violation | null {
  const durable = node.durable as ReplicaDurable;
  const keyCount = boundedCount(world, 'keyCount');
  let check = memory.replicas.get(node.id);
  if (check?.generation !== durable.generation) {
    check = {
      generation: durable.generation,
      applied: 0,
      expected: Array.from({ length: keyCount }, () => 0),
      isReported: false,
      comparedModel: null,
    };
    memory.replicas.set(node.id, check);
  }
  if (check.isReported || durable.applied === check.applied) {
    if (check.isReported || check.comparedModel === durable.model) return null;
    return compareModel(node, durable, check, keyCount);
  }
  const log = writeLog(world);
  let problem: string | null = null;
  if (durable.applied < check.applied) {
    problem = `went back from position ${check.applied} to ${durable.applied}`;
  } else if (durable.applied > log.length) {
    problem = `shows position ${durable.applied}, beyond the write log head ${log.length} (not committed)`;
  }
  if (problem !== null) {
    check.isReported = true;
    return { message: `${node.id}: ${problem}`, nodes: [node.id] };
  }
  for (let index = check.applied; index < durable.applied; index++) {
    const entry = entryAt(log, index) as LogEntry;
    check.expected[entry.key - 1] = index + 1;
  }
  check.applied = durable.applied;
  return compareModel(node, durable, check, keyCount);
}

/** The read store must equal the write store as of the replica's applied position. */
function compareModel(
  node: NodeView,
  durable: ReplicaDurable,
  check: ReplicaCheck,
  keyCount: number,
): Violation | null {
  for (let index = 0; index < keyCount; index++) {
    const shown = durable.model[index] ?? 0;
    const expected = check.expected[index] ?? 0;
    if (shown === expected) continue;
    check.isReported = true;
    return {
      message:
        `${node.id}: key ${index + 1} shows the write at position ${shown}, but the write log up ` +
        `to position ${durable.applied} has it at ${expected}`,
      nodes: [node.id],
    };
  }
  check.comparedModel = durable.model;
  return null;
}

/**
 * Once faults heal, the read side converges: the projector and every replica the operator wants
 * active apply the whole write log and serve. Checked on the monitor tick; with writes still
 * coming it holds at any tick at which nothing is in flight, which at a workload below capacity
 * comes within the bound. The bound, with L the largest one-way latency (1.5 × mean) and Q the
 * feed queue bound:
 *
 * - recovery: a publish back-off (8 publish timeouts at most), an ack timeout and two pull
 *   waits (a pull or fetch lost at the heal; projector.ts [4]), and enough status intervals for the load
 *   balancer to see a replica serving again;
 * - the backlog: at most Q changes waiting in the broker (beyond that the command service is
 *   refused and keeps them in its log, which the same pace then drains), each taking the
 *   projector's delay plus an ack, a pull and a delivery (3L), and each applied by a replica
 *   (`replicaApplyMs`) in fetches of up to 100 (a round trip each).
 *
 * It assumes the backlog after the faults is at most Q changes: a fault phase long enough to
 * commit more than Q writes with the read side cut off takes longer to drain (proportionally).
 */
export const readModelsConverge: LivenessInvariant = {
  id: 'read-models-converge',
  kind: 'liveness',
  description: 'Every read model converges to the write store',
  boundUs(params: Readonly<Record<string, number>>): number {
    const holder = { params };
    const latencyUs = 1.5 * paramOf(holder, 'linkLatencyMs') * 1000;
    const backlog = paramOf(holder, 'feedQueueCapacity');
    const ackUs = paramOf(holder, 'ackTimeoutMs') * 1000;
    const pullWaitUs =
      1.1 * Math.max(paramOf(holder, 'pullTimeoutMs') * 1000, ackUs + 3 * (latencyUs / 1.5));
    const recoveryUs =
      8 * paramOf(holder, 'publishTimeoutMs') * 1000 +
      ackUs +
      2 * pullWaitUs +
      (missedStatusesMax + 1) * paramOf(holder, 'statusIntervalMs') * 1000;
    const perChangeUs =
      paramOf(holder, 'projectorDelayMs') * 1000 +
      3 * latencyUs +
      paramOf(holder, 'replicaApplyMs') * 1000;
    const fetchesUs = (Math.ceil(backlog / fetchBatchMax) + 1) * 2 * latencyUs;
    return Math.round(recoveryUs + backlog * perChangeUs + fetchesUs);
  },
  isExpected(world: WorldView): boolean {
    return !world.hasActiveFaults;
  },
  holds: isConverged,
};
