import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { brokerId, publisherIds, subscriberProfiles } from './roster.ts';
import { countSeqs } from './ranges.ts';
import {
  backlogOf,
  brokerOf,
  firstDeliveries,
  isUp,
  publisherStore,
  subscriberStore,
} from './world.ts';

/**
 * The guided tour. Every action is computed from the world when the step starts ("crash the
 * first durable subscriber"), so it works with any parameters that keep the roles it needs.
 */

/** The first fast durable subscriber, the first in-memory one and the slowest one. */
function cast(world: WorldView) {
  const profiles = subscriberProfiles(world.params);
  const durable = profiles.find((profile) => profile.isDurable && !profile.isSlow);
  const inMemory = profiles.find((profile) => !profile.isDurable);
  const slow = profiles.find((profile) => profile.isSlow) ?? profiles.at(-1);
  return { durable: durable?.id, inMemory: inMemory?.id, slow: slow?.id };
}

function restartAll(world: WorldView): Command[] {
  return world.nodes
    .filter((node) => !isUp(node))
    .map((node) => ({ type: 'node.restart', node: node.id }));
}

/**
 * Acknowledged messages a subscriber has neither processed nor waiting for it at the broker:
 * what it lost, give or take the one or two on their way to it right now.
 */
function missing(world: WorldView, subscriber: NodeId | undefined): number {
  if (subscriber === undefined) return 0;
  let acked = 0;
  for (const publisher of publisherIds(world.params)) {
    acked += countSeqs(publisherStore(world, publisher).acked);
  }
  return acked - firstDeliveries(world, subscriber) - backlogOf(world, subscriber);
}

const everyoneHasSome = (world: WorldView): boolean =>
  subscriberProfiles(world.params).every((profile) => firstDeliveries(world, profile.id) >= 10);

const durableDrained = (world: WorldView): boolean => {
  const allowance = publisherIds(world.params).length;
  return subscriberProfiles(world.params).every(
    (profile) => !profile.isDurable || backlogOf(world, profile.id) <= allowance,
  );
};

export const pubSubTour: readonly TourStep[] = [
  {
    id: 'fan-out',
    title: 'One publish, every subscriber',
    narration:
      'Two publishers (left) send messages to the broker (middle). The broker puts each message ' +
      'in the queue of every subscription to its topic, then acks the publisher: from then on the ' +
      'broker, not the publisher, is responsible for it. Each subscriber (right) asks for its next ' +
      'message (Pull), gets one (Deliver), processes it and acks it. Publishers never talk to ' +
      'subscribers, and do not even know how many there are.',
    question: {
      prompt: 'A publisher publishes one message. How many Deliver messages does the broker send?',
      choices: [
        'One: the fastest subscriber takes it',
        'One per subscription to the topic: every subscriber gets its own copy',
        'None until every subscriber is ready',
      ],
      answerIndex: 1,
      explanation:
        'Pub/sub fans out: each subscription has its own queue and its own copy, and each ' +
        'subscriber takes it at its own pace. (A work queue, where one consumer takes each ' +
        'message, is the other classic messaging pattern.)',
    },
    waitFor: {
      description: 'every subscriber has processed 10 messages',
      isMet: everyoneHasSome,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'slow-subscriber',
    title: 'A slow subscriber',
    narration:
      'The slow subscriber now takes five times longer per message, for 10 seconds. Watch its ' +
      'backlog chart, and the latency of the others.',
    actions(world) {
      const { slow } = cast(world);
      if (slow === undefined) return [];
      const args = { factor: 5, durationMs: 10_000 };
      return [{ type: 'scenario.fault', fault: 'slow-subscriber', node: slow, args }];
    },
    question: {
      prompt: 'What happens to the other subscribers while this one is slow?',
      choices: [
        'They slow down too: the broker waits for the slowest',
        'Nothing: only the slow one’s queue grows',
        'They get its messages instead',
      ],
      answerIndex: 1,
      explanation:
        'Each subscription is its own queue: the slow one’s backlog grows while the others keep ' +
        'their latency. That is the decoupling a broker buys. The limit is the queue bound: once ' +
        'the slow queue is full, the overflow policy decides (block the publishers, or drop the ' +
        'oldest message of that queue).',
    },
    waitFor: {
      description: 'the slow subscriber has a backlog of 15 messages',
      isMet: (world) => {
        const { slow } = cast(world);
        return slow !== undefined && backlogOf(world, slow) >= 15;
      },
      timeoutMs: 12_000,
    },
  },
  {
    id: 'crash-subscribers',
    title: 'Crash a durable and an in-memory subscriber',
    narration:
      'Two subscribers crash: one with a durable subscription, one with an in-memory one. The ' +
      'broker keeps the durable subscription’s queue and goes on filling it. The in-memory ' +
      'subscription lived on the connection: the broker drops it once the subscriber stops ' +
      'pulling for the session timeout.',
    actions(world) {
      const { durable, inMemory } = cast(world);
      return [durable, inMemory].flatMap((node) =>
        node === undefined ? [] : [{ type: 'node.crash', node } as const],
      );
    },
    question: {
      prompt: 'When both come back, which one gets the messages published while it was down?',
      choices: ['Both', 'Only the durable one', 'Neither: they were down'],
      answerIndex: 1,
      explanation:
        'The durable subscription resumes where it stopped and works off its backlog. The ' +
        'in-memory one starts a fresh subscription: what was published meanwhile is lost to it, ' +
        'and the lost counter says exactly how many.',
    },
    waitFor: {
      description: 'the durable subscriber’s backlog has grown to 20',
      isMet: (world) => {
        const { durable } = cast(world);
        return durable !== undefined && backlogOf(world, durable) >= 20;
      },
      timeoutMs: 10_000,
    },
  },
  {
    id: 'restart-subscribers',
    title: 'Bring them back',
    narration:
      'Both subscribers restart. Watch the durable one’s backlog drain, and the in-memory one’s ' +
      'lost count, which stops growing as soon as it subscribes again.',
    actions: restartAll,
    waitFor: {
      description: 'every durable backlog has drained and the in-memory subscriber lost some',
      isMet: (world) => durableDrained(world) && missing(world, cast(world).inMemory) > 3,
      timeoutMs: 20_000,
    },
  },
  {
    id: 'lose-acks',
    title: 'Lose some acks',
    narration:
      'For three seconds a durable subscriber processes its messages but its acks never reach ' +
      'the broker. The broker cannot tell a lost ack from a lost message.',
    actions(world) {
      const { durable } = cast(world);
      if (durable === undefined) return [];
      const args = { durationMs: 3000 };
      return [{ type: 'scenario.fault', fault: 'lose-acks', node: durable, args }];
    },
    question: {
      prompt: 'What does the broker do with a message whose ack never comes?',
      choices: [
        'Drops it',
        'Delivers it again after the ack timeout, so it is processed twice',
        'Waits forever',
      ],
      answerIndex: 1,
      explanation:
        'At-least-once means "again, when in doubt": the broker redelivers after the ack timeout ' +
        'and the subscriber processes a duplicate. Subscribers must therefore be idempotent ' +
        '(or deduplicate by message id). Meanwhile that publisher’s later messages wait, to keep ' +
        'its order.',
    },
    waitFor: {
      description: 'the subscriber has processed 3 duplicates',
      isMet: (world) => {
        const { durable } = cast(world);
        return durable !== undefined && subscriberStore(world, durable).duplicateCount >= 3;
      },
      timeoutMs: 8000,
    },
  },
  {
    id: 'crash-broker',
    title: 'Crash the broker',
    narration:
      'Now the broker itself crashes. Publishers get no acks and keep retrying the same message; ' +
      'subscribers’ pulls go unanswered. Persistence is on: every queue was written to disk ' +
      'before each publish was acked.',
    actions: () => [{ type: 'node.crash', node: brokerId }],
    waitFor: {
      description: 'the broker is down',
      isMet: (world) => {
        const broker = brokerOf(world);
        return broker !== undefined && !isUp(broker);
      },
      timeoutMs: 1000,
    },
  },
  {
    id: 'restart-broker',
    title: 'Restart the broker',
    narration:
      'The broker restarts in a new epoch and reloads its queues from disk. Publishers reconnect ' +
      '(their first publish names the old epoch and is refused with the new one) and resend what ' +
      'was not acked; subscribers pull again.',
    actions: restartAll,
    question: {
      prompt: 'With persistence on, how many acknowledged messages do durable subscribers lose?',
      choices: ['None', 'Those queued when it crashed', 'Those published while it was down'],
      answerIndex: 0,
      explanation:
        'None: what was acked was on disk, and what was not acked is still at the publisher, ' +
        'which retries it. Set persistence off and repeat: the queued messages are gone, counted ' +
        'as lost. Then switch to the baseline, where publishers call subscribers directly, and ' +
        'crash a subscriber: it misses messages, and every publish waits for its timeouts.',
    },
    waitFor: {
      description: 'the broker is back and every durable backlog has drained',
      isMet: (world) => {
        const broker = brokerOf(world);
        return broker !== undefined && isUp(broker) && durableDrained(world);
      },
      timeoutMs: 20_000,
    },
  },
];
