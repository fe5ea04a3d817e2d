import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { behindThreshold } from './moments.ts';
import { brokerId, publisherIds, subscriberProfiles } from './roster.ts';
import { storylineSubscriber } from './storyline.ts';
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
 * The guided tour, on the default run. Its storyline slows the last subscriber (s4) ten times
 * from 2 s for 14 s: with a broker s4 falls behind and catches up while the publishers go on; the
 * tour follows that ("Subscriber fell behind", "Subscriber caught up") and opens the baseline
 * beside it, where the same slowdown holds up the publishers. Crashes, lost acks and the broker's
 * crash are not in the storyline: the tour causes them by hand afterwards. Every action is
 * computed from the world when the step starts ("crash the first durable subscriber"), so it
 * works with any parameters that keep the roles it needs.
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

/** The subscriber the storyline slows down (s4 at the defaults). */
function slowed(world: WorldView): NodeId | undefined {
  return storylineSubscriber(world.params);
}

/** The storyline's subscriber has fallen behind: the "Subscriber fell behind" moment's test. */
export function hasFallenBehind(world: WorldView): boolean {
  const subscriber = slowed(world);
  return subscriber !== undefined && backlogOf(world, subscriber) >= behindThreshold(world);
}

/** Nothing waits for the storyline's subscriber any more ("Subscriber caught up"). */
export function hasCaughtUp(world: WorldView): boolean {
  const subscriber = slowed(world);
  return subscriber !== undefined && backlogOf(world, subscriber) === 0;
}

export const pubSubTour: readonly TourStep[] = [
  {
    id: 'fan-out',
    title: 'One publish, every subscriber',
    narration:
      'Two publishers (left) send messages to the broker (middle). The broker puts each message ' +
      'in the queue of every subscription to its topic, then acks the publisher: from then on the ' +
      'broker, not the publisher, is responsible for it. Each subscriber (right) asks for its next ' +
      'message (Pull), gets one (Deliver), processes it and acks it. In the Subscriptions figure ' +
      'next to the topology, each row is one subscription’s queue at the broker, drawn against its bound ' +
      'of 100, with how many are delivered but not acked yet (unack) and delivered again (redel.).',
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
        'subscriber takes it at its own pace. Publishers never talk to subscribers and do not know ' +
        'how many there are. (A work queue, where one consumer takes each message, is the other ' +
        'classic messaging pattern.)',
    },
    waitFor: {
      description: 'every subscriber has processed 10 messages',
      isMet: everyoneHasSome,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'slow-subscriber',
    title: 'A subscriber slows down',
    narration:
      'Nobody touches anything: from 2 s, s4 takes ten times longer per message for 14 seconds, ' +
      'as if a noisy neighbour had moved onto its host. The publishers keep publishing at the same ' +
      'rate. Watch s4’s row in the Subscriptions figure: its bar grows towards the tick a quarter ' +
      'of the way along, where the timeline gets a “Subscriber fell behind” tick.',
    question: {
      prompt: 'What happens to the other subscribers and the publishers while s4 is slow?',
      choices: [
        'They slow down too: the broker waits for the slowest',
        'Nothing: only s4’s queue grows',
        'The others get s4’s messages instead',
      ],
      answerIndex: 1,
      explanation:
        'Each subscription is its own queue: s4’s bar grows past the tick and turns amber while the ' +
        'other rows stay short and the publishers go on. “What just happened” says how many ' +
        'messages wait for s4. That is the decoupling a broker buys: a slow consumer costs ' +
        'memory at the broker, not time at the producer.',
    },
    waitFor: {
      description: 's4 has fallen behind (a quarter of its queue waits for it)',
      isMet: hasFallenBehind,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'catch-up',
    title: 'It catches up, and what happens without a broker',
    narration:
      'The slowdown ends at about 16 s; s4 then works off its queue faster than messages arrive. The ' +
      'run plays at 2× while it does: watch its bar shrink to nothing, and the timeline get a ' +
      '“Subscriber caught up” tick. Near the end of the slowdown the queue comes close to its ' +
      'bound of 100, where the overflow policy (here: refuse publishes) takes over.',
    speed: 2,
    question: {
      prompt:
        'The baseline has no broker: publishers call each subscriber directly. What does ' +
        'the same slowdown of s4 do there?',
      choices: [
        'Nothing: s4 just answers later',
        'It holds up both publishers, whose outboxes fill while they wait for s4',
        'The publishers skip s4 until it is fast again',
      ],
      answerIndex: 1,
      explanation:
        'Open the side-by-side view. With the broker (left) only s4 falls behind and catches up. ' +
        'Without it (right) every message waits until s4 has answered the one before, so the ' +
        'publishers’ outboxes fill: the timeline gets a “Publisher held up” tick around 15 s (50 ' +
        'messages waiting) and a “Publisher caught up” tick after the slowdown. Its figure shows ' +
        'the publishers’ outboxes, since there are no subscription queues.',
    },
    waitFor: {
      description: 's4 has caught up: nothing waits for it',
      isMet: hasCaughtUp,
      timeoutMs: 30_000,
    },
    comparesWithBaseline: true,
  },
  {
    id: 'crash-subscribers',
    title: 'Crash a durable and an in-memory subscriber',
    narration:
      'The storyline has no crashes, so the tour crashes two subscribers by hand: one with a ' +
      'durable subscription, one with an in-memory one. The broker keeps the durable ' +
      'subscription’s queue and goes on filling it: watch its row in the Subscriptions figure grow. ' +
      'The in-memory subscription lived on the connection: the broker drops it once the ' +
      'subscriber stops pulling for the session timeout.',
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
      'Both subscribers restart. Watch the durable one’s bar in the Subscriptions figure drain, ' +
      'and the in-memory one’s bar in the “Lost per subscriber” chart, which stops growing as soon ' +
      'as it subscribes again.',
    actions: restartAll,
    waitFor: {
      description: 'every durable backlog has drained and the in-memory subscriber lost some',
      isMet: (world) => durableDrained(world) && missing(world, cast(world).inMemory) > 3,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'lose-acks',
    title: 'Lose some acks',
    narration:
      'For three seconds a durable subscriber processes its messages but its acks never reach ' +
      'the broker, a fault the tour injects by hand. The broker cannot tell a lost ack from a ' +
      'lost message. Watch that subscriber’s unack and redel. columns in the Subscriptions figure.',
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
        'At-least-once means “again, when in doubt”: the broker redelivers after the ack timeout ' +
        '(the redel. column counts them) and the subscriber processes a duplicate. Subscribers ' +
        'must therefore be idempotent, or deduplicate by message id. Meanwhile that publisher’s ' +
        'later messages wait, to keep its order.',
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
      'subscribers’ pulls go unanswered, and the Subscriptions figure says the broker is down. ' +
      'Persistence is on: every queue was written to disk before each publish was acked.',
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
      'was not acked; subscribers pull again, and their rows in the Subscriptions figure drain.',
    actions: restartAll,
    question: {
      prompt: 'With persistence on, how many acknowledged messages do durable subscribers lose?',
      choices: ['None', 'Those queued when it crashed', 'Those published while it was down'],
      answerIndex: 0,
      explanation:
        'None: what was acked was on disk, and what was not acked is still at the publisher, ' +
        'which retries it. Set persistence off and repeat: the queued messages are gone, counted ' +
        'as lost.',
    },
    waitFor: {
      description: 'the broker is back and every durable backlog has drained',
      isMet: (world) => {
        const broker = brokerOf(world);
        return broker !== undefined && isUp(broker) && durableDrained(world);
      },
      timeoutMs: 15_000,
    },
  },
];
