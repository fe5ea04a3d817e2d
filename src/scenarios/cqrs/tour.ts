import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { balancerId, clientIds, projectorId } from './protocol.ts';
import { clientDurable, isConverged, isServing, maxLag, wantedActive, writeLog } from './world.ts';

/**
 * The guided tour. Actions are computed from the world when the step starts, and every wait is a
 * condition on the world (a client's counters, the replicas' positions), never a timer.
 */

const ryowViolations = (world: WorldView): number =>
  clientIds(world.params).reduce((sum, id) => sum + clientDurable(world, id).ryowViolations, 0);

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
      'in order and keeps them; the two query replicas fetch them from it into their read stores. ' +
      'Queries (reads) go through the load balancer to a replica, never to the command service.',
    waitFor: {
      description: 'both replicas serve and the log has 20 writes',
      isMet: (world) => servingCount(world) >= 2 && writeLog(world).length >= 20,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'own-write-missing',
    title: 'Write, then read',
    narration:
      'The projector has just become slow: it takes 40 times longer to apply each change. Writes ' +
      'are still acknowledged at once, since the command service does not wait for the read side. ' +
      'Now a client writes a key and, a moment later, reads.',
    actions: () => [
      {
        type: 'scenario.fault',
        fault: 'slow-projector',
        node: projectorId,
        args: { factor: 40, durationMs: 6000 },
      },
    ],
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
        'whose read model is the log up to its applied position, which trails the head by the lag. ' +
        'A read below the client’s own write position is a read-your-own-writes violation: watch ' +
        'the counter and the lag bars climb.',
    },
    waitFor: {
      description: 'a client reads without its own write',
      isMet: (world) => ryowViolations(world) > 0,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'ryow-mode',
    title: 'Read your writes, at a price',
    narration:
      'Read-your-writes mode is on: each query now carries the position of its client’s last ' +
      'write, and a replica that has not applied that far holds the query until it has. No more ' +
      'violations, but those reads wait for the lag (read latency p99 rises), and give up as ' +
      'unavailable after half a second. When the projector recovers the lag drains.',
    actions: () => [{ type: 'param.set', key: 'ryowMode', value: 1 }],
    waitFor: {
      description: 'the read side catches up',
      isMet: (world) => maxLag(world) <= 2,
      timeoutMs: 20_000,
    },
  },
  {
    id: 'crash-projector',
    title: 'Crash the projector',
    narration:
      'The projector crashed. Writes carry on; the command service keeps publishing to the broker, ' +
      'which holds every change in the projector’s durable subscription.',
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
        'The replicas keep serving what they have; nothing new reaches them, so the lag grows with ' +
        'every write and more and more reads are stale. The write side does not notice.',
    },
    waitFor: {
      description: 'the read models lag 30 changes behind',
      isMet: (world) => maxLag(world) >= 30,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'restart-projector',
    title: 'Restart it: nothing is lost',
    narration:
      'The projector restarts and opens a new session with the broker. Its durable subscription ' +
      'kept every change published while it was down, in order; it applies the backlog and the ' +
      'replicas fetch it. Watch the lag bars drain to zero.',
    actions: () => [{ type: 'node.restart', node: projectorId }],
    waitFor: {
      description: 'every read model has caught up',
      isMet: (world) => maxLag(world) <= 2,
      timeoutMs: 20_000,
    },
  },
  {
    id: 'add-replicas',
    title: 'More reads than two replicas can serve',
    narration:
      'Each client now issues 80 operations per second: about 256 reads per second in all, more than ' +
      'the two replicas can serve (about 100 each). Queues fill, latency climbs, some reads are ' +
      'refused. The operator adds two query replicas. Each starts empty, replays the whole feed ' +
      'from position 1, and only then joins the rotation.',
    actions: () => [
      { type: 'param.set', key: 'opsPerSecond', value: 80 },
      control('add-replica'),
      control('add-replica'),
    ],
    question: {
      prompt: 'What happens to the write side when replicas are added?',
      choices: [
        'Writes get slower: there are more copies to update',
        'Nothing: writes never wait for the read side',
        'Writes get faster too',
      ],
      answerIndex: 1,
      explanation:
        'Read throughput rises and read latency falls as the new replicas take their share; the ' +
        'command service does the same work as before. Each replica is one more copy to feed, but ' +
        'the feed runs behind the write path, not on it.',
    },
    waitFor: {
      description: 'four replicas serve',
      isMet: (world) => servingCount(world) >= 4,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'converge',
    title: 'Stop writing: everything converges',
    narration:
      'Writes stop (the mix is set to all reads). Every read model reaches the write log’s head ' +
      'and stays there: eventual consistency. Switch to the baseline, one service for both, to ' +
      'see the other side: never stale, but reads and writes queue for the same workers, and at ' +
      'this load write latency suffers.',
    actions: () => [{ type: 'param.set', key: 'writePercent', value: 0 }],
    waitFor: {
      description: 'every read model equals the write store',
      isMet: isConverged,
      timeoutMs: 10_000,
    },
  },
];
