import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { laggingThreshold } from './moments.ts';
import { balancerId, projectorId, replicaIds } from './protocol.ts';
import {
  isConverged,
  isServing,
  maxLag,
  projectorApplied,
  replicaDurable,
  wantedActive,
  writeLog,
} from './world.ts';

/**
 * The guided tour. It follows the default run's storyline first: from 5 s to 11 s the projector
 * is 40 times slower (an index rebuild on its host), so the read side lags and catches up, and at
 * 15 s the operator's planned scale-out brings in q3. The lessons the storyline does not play
 * (read-your-writes mode, a projector crash, a heavy read load) are caused by hand. Actions are
 * computed from the world when the step starts, and every wait is a condition on the world (a
 * client's counters, the replicas' positions), never a timer.
 */

/**
 * The read side's lag as the "Projection lagging" moment measures it: the projector's, or a
 * serving replica's, whichever is furthest behind the write log's head.
 */
function readSideLag(world: WorldView): number {
  const head = writeLog(world).length;
  let lag = head - projectorApplied(world);
  for (const id of replicaIds(world.params)) {
    if (isServing(world, id)) lag = Math.max(lag, head - replicaDurable(world, id).applied);
  }
  return lag;
}

const servingCount = (world: WorldView): number =>
  wantedActive(world).filter((id) => isServing(world, id)).length;

const control = (fault: string): Command => ({
  type: 'scenario.fault',
  fault,
  node: balancerId,
});

export const cqrsTour: readonly TourStep[] = [
  {
    id: 'two-paths',
    title: 'Writes and reads take separate paths',
    narration:
      'Four clients issue commands and queries. Commands (writes) go to the command service, which ' +
      'appends each one to its log on disk, gives it the next position, acknowledges it, and ' +
      'publishes it to the broker: the change feed. The projector takes the changes from the feed ' +
      'in order; the two query replicas fetch them from it into their read stores, and queries ' +
      'go through the load balancer to a replica. In the "Write log and read models" figure (next ' +
      'to the topology) each reader is a marker at its position along the log, with its lag to the head ' +
      'drawn as a bar: green at zero.',
    waitFor: {
      description: 'both replicas serve and the log has 20 writes',
      isMet: (world) => servingCount(world) >= 2 && writeLog(world).length >= 20,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'own-write-missing',
    title: 'Write, then read, while the projector is slow',
    narration:
      'At 5 s, as part of this run, an index rebuild starts on the projector’s host: for 6 s it ' +
      'takes 40 times longer to apply each change. Writes are still acknowledged at once, since ' +
      'the command service does not wait for the read side. Watch the projector’s lag bar grow ' +
      'and turn amber, and a client that writes a key and, a moment later, reads it.',
    question: {
      prompt: 'Does the client’s read show the write it was just told succeeded?',
      choices: [
        'Yes: the write was acknowledged, so it is there',
        'Not necessarily: the replica may not have applied it yet',
        'No: reads never show recent writes',
      ],
      answerIndex: 1,
      explanation:
        'The acknowledgement only says the write is in the write log. The read goes to a replica ' +
        'whose read model is the log up to its applied position, which trails the head by the ' +
        'lag. Even a lag of a change or two can hide a write; now the lag is a second’s worth of ' +
        'writes and growing, and the timeline gets a "Projection lagging" tick. A read below the ' +
        'client’s own write position counts as a read-your-own-writes violation: the ' +
        'ryow-violations chart climbs.',
    },
    waitFor: {
      description: 'the read side lags a second’s worth of writes behind',
      isMet: (world) => readSideLag(world) >= laggingThreshold(world),
      timeoutMs: 12_000,
    },
  },
  {
    id: 'ryow-mode',
    title: 'Read your writes, at a price',
    narration:
      'The tour turns read-your-writes mode on: each query now carries the position of its ' +
      'client’s last write, and a replica that has not applied that far holds the query until it ' +
      'has. Once the reads already on their way are answered, no more violations; but reads now ' +
      'wait for the lag (read latency p99 rises) and ' +
      'give up as unavailable after half a second. When the rebuild ends, the lag bars drain and ' +
      'the timeline gets a "Projection caught up" tick.',
    actions: () => [{ type: 'param.set', key: 'ryowMode', value: 1 }],
    waitFor: {
      description: 'the read side catches up',
      isMet: (world) => readSideLag(world) <= 2,
      timeoutMs: 12_000,
    },
  },
  {
    id: 'replica-joins',
    title: 'A planned scale-out: q3 joins',
    narration:
      'At 15 s the operator’s planned scale-out happens, as part of this run: the load balancer ' +
      'brings in q3. It starts from an empty store, replays the projection log from position 1 ' +
      '(its marker races along the log in the figure), and only then joins the rotation: a ' +
      '"Replica joined" tick.',
    question: {
      prompt: 'What happens to the write side when a replica is added?',
      choices: [
        'Writes get slower: there are more copies to update',
        'Nothing: writes never wait for the read side',
        'Writes get faster too',
      ],
      answerIndex: 1,
      explanation:
        'The write-latency chart does not move: the command service does the same work as ' +
        'before. Each replica is one more copy to feed, but the feed runs behind the write path, ' +
        'not on it; reads spread over three replicas instead of two.',
    },
    waitFor: {
      description: 'three replicas serve',
      isMet: (world) => servingCount(world) >= 3,
      timeoutMs: 12_000,
    },
  },
  {
    id: 'crash-projector',
    title: 'Crash the projector',
    narration:
      'The storyline is over. The tour switches read-your-writes off again and crashes the ' +
      'projector. Writes carry on; the command service keeps publishing to the broker, which ' +
      'holds every change in the projector’s durable subscription.',
    actions: () => [
      { type: 'param.set', key: 'ryowMode', value: 0 },
      { type: 'node.crash', node: projectorId },
    ],
    question: {
      prompt: 'What happens to the read side while the projector is down?',
      choices: [
        'Reads fail',
        'Reads are still answered, from read models that fall further and further behind',
        'Writes are refused until it returns',
      ],
      answerIndex: 1,
      explanation:
        'The replicas keep serving what they have; nothing new reaches them, so their lag bars ' +
        'grow with every write ("Projection lagging" on the timeline) and more and more reads ' +
        'are stale. The write side does not notice.',
    },
    waitFor: {
      description: 'the read models lag 30 changes behind',
      isMet: (world) => maxLag(world) >= 30,
      timeoutMs: 12_000,
    },
  },
  {
    id: 'restart-projector',
    title: 'Restart it: nothing is lost',
    narration:
      'The tour restarts the projector and it opens a new session with the broker. Its durable ' +
      'subscription kept every change published while it was down, in order; it applies the ' +
      'backlog and the replicas fetch it. Watch the lag bars drain to zero and the timeline get ' +
      'a "Projection caught up" tick.',
    actions: () => [{ type: 'node.restart', node: projectorId }],
    waitFor: {
      description: 'every read model has caught up',
      isMet: (world) => readSideLag(world) <= 2,
      timeoutMs: 12_000,
    },
  },
  {
    id: 'read-load',
    title: 'A heavy read load, side by side with one service',
    narration:
      'Each client now issues 80 operations per second: about 256 reads and 64 writes per ' +
      'second in all, close to what three replicas can serve (about 100 reads a second each), ' +
      'so the tour adds a fourth (another "Replica joined"). Then open this run beside its ' +
      'baseline: one service with the same hardware serves reads and writes from one store. ' +
      'Compare the write-latency and write-success charts on the two sides from this point on.',
    actions: () => [{ type: 'param.set', key: 'opsPerSecond', value: 80 }, control('add-replica')],
    comparesWithBaseline: true,
    question: {
      prompt: 'What does this read load do to the baseline’s writes?',
      choices: [
        'Nothing: writes are a small share of the load',
        'They queue behind reads for the same workers: write latency climbs and some writes are refused',
        'They get faster: there is no feed to publish to',
      ],
      answerIndex: 1,
      explanation:
        'On the baseline side reads and writes share one pool of workers and one queue, so a ' +
        'read load beyond its capacity slows and refuses writes too; its timeline has no ' +
        'moments at all, since it is never stale and has nothing to catch up. Here the write ' +
        'side is untouched by the reads, and read capacity grew by adding a replica.',
    },
    waitFor: {
      description: 'four replicas serve',
      isMet: (world) => servingCount(world) >= 4,
      timeoutMs: 12_000,
    },
  },
  {
    id: 'converge',
    title: 'Stop writing: everything converges',
    narration:
      'The tour stops the writes (the mix is set to all reads). Every read model reaches the ' +
      'write log’s head and stays there: in the figure every lag bar turns green at zero. That ' +
      'is eventual consistency: the read side is always right about some moment of the log, ' +
      'and once writes pause it is right about the latest one.',
    actions: () => [{ type: 'param.set', key: 'writePercent', value: 0 }],
    waitFor: {
      description: 'every read model equals the write store',
      isMet: isConverged,
      timeoutMs: 10_000,
    },
  },
];
