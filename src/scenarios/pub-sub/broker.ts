import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  enqueue,
  isFull,
  pickNext,
  removeMessage,
  replaceAt,
  withNothingInFlight,
} from './brokerQueue.ts';
import type {
  BrokerConfig,
  BrokerDurable,
  BrokerSettings,
  BrokerState,
  QueueEntry,
  Subscription,
} from './brokerTypes.ts';
import type { AckMessage, BrokerMessage, PublishMessage, PullMessage } from './protocol.ts';

/**
 * A publish/subscribe message broker, reusable by any scenario: topics, one bounded queue per
 * subscription with an overflow policy, at-most-once or at-least-once delivery by long-polled
 * pulls, durable and in-memory subscriptions, and optional persistence. It speaks the protocol
 * in protocol.ts and knows nothing of the nodes around it but their ids. Numbered notes [n] are
 * at the end of the file (protocol.ts has notes [1]–[3]).
 */

type Context = NodeContext<BrokerMessage, BrokerDurable>;

const expireTimer = 'expire';
const deadlinePrefix = 'deadline:';

/** Builds a broker from its configuration (settings and durable subscriptions). */
export function brokerBehaviour(
  config: BrokerConfig,
): Behaviour<BrokerState, BrokerMessage, BrokerDurable> {
  return {
    initialDurable(): BrokerDurable {
      return { epoch: 0, store: null };
    },

    init(ctx: Context): BrokerState {
      return start(config, ctx);
    },

    receive(state: BrokerState, event: NodeEvent<BrokerMessage>, ctx: Context): BrokerState {
      switch (event.kind) {
        case 'message':
          return onMessage(config, state, event.from, event.message, ctx);
        case 'timer':
          return onTimer(config, state, event.name, ctx);
        case 'fault':
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(state: BrokerState): NodeSummary {
      let queued = 0;
      let fullest = 0;
      for (const sub of Object.values(state.subscriptions)) {
        queued += sub.queue.length;
        fullest = Math.max(fullest, sub.queue.length);
      }
      const isAtBound = fullest >= state.capacity;
      return {
        label: isAtBound ? 'full' : 'accepting',
        badge: `epoch ${state.epoch} · ${queued} queued`,
        health: isAtBound ? 'bad' : fullest * 5 >= state.capacity * 4 ? 'warn' : 'ok',
      };
    },
  };
}

/** [6] Start and restart: a new epoch, and the queues from disk when persistent. */
function start(config: BrokerConfig, ctx: Context): BrokerState {
  const settings = config.settings(ctx.params);
  const epoch = ctx.durable.epoch + 1;
  const store = settings.isPersistent ? ctx.durable.store : null;
  const subscriptions: Record<NodeId, Subscription> = {};
  let restored = 0;
  for (const spec of config.durableSubscriptions(ctx.params)) {
    const queue = withNothingInFlight(store?.queues[spec.subscriber] ?? []);
    restored += queue.length;
    subscriptions[spec.subscriber] = newSubscription(
      spec.subscriber,
      spec.topics,
      true,
      0,
      queue,
      ctx,
    );
  }
  const state: BrokerState = {
    epoch,
    capacity: settings.queueCapacity,
    lastAccepted: store?.lastAccepted ?? {},
    subscriptions,
  };
  ctx.persist({ epoch, store: settings.isPersistent ? storeOf(state) : null });
  ctx.setTimer(expireTimer, Math.max(1, Math.round(settings.sessionTimeoutUs / 2)));
  if (epoch > 1) {
    ctx.annotate(
      settings.isPersistent
        ? `restarts in epoch ${epoch} with ${restored} queued messages from disk`
        : `restarts in epoch ${epoch} with empty queues (persistence off)`,
    );
  }
  return state;
}

function onMessage(
  config: BrokerConfig,
  state: BrokerState,
  from: NodeId,
  message: BrokerMessage,
  ctx: Context,
): BrokerState {
  switch (message.type) {
    case 'Publish':
      return onPublish(config, state, from, message, ctx);
    case 'Pull':
      return onPull(config, state, from, message, ctx);
    case 'Ack':
      return onAck(config, state, from, message, ctx);
    case 'PublishAck':
    case 'PublishNack':
    case 'Deliver':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/** [1] [4] Accept a publish into every matching queue, persist, then ack; or refuse it. */
function onPublish(
  config: BrokerConfig,
  state: BrokerState,
  from: NodeId,
  message: PublishMessage,
  ctx: Context,
): BrokerState {
  const seq = message.seq;
  if (message.epoch !== state.epoch) {
    ctx.send(from, { type: 'PublishNack', seq, epoch: state.epoch, reason: 'epoch' });
    return state;
  }
  if (seq <= (state.lastAccepted[from] ?? 0)) {
    ctx.send(from, { type: 'PublishAck', seq, epoch: state.epoch }); // a repeat: already stored
    return state;
  }
  const settings = config.settings(ctx.params);
  const targets = Object.values(state.subscriptions).filter((sub) =>
    sub.topics.includes(message.topic),
  );
  if (
    settings.overflow === 'block-publisher' &&
    targets.some((sub) => isFull(sub.queue, settings.queueCapacity))
  ) {
    ctx.send(from, { type: 'PublishNack', seq, epoch: state.epoch, reason: 'full' });
    return withCapacity(state, settings);
  }
  const subscriptions = { ...state.subscriptions };
  for (const sub of targets) {
    const entry: QueueEntry = {
      publisher: from,
      seq,
      topic: message.topic,
      createdUs: message.createdUs,
      attempts: 0,
      inFlight: null,
    };
    const { queue, dropped } = enqueue(sub.queue, entry, settings.queueCapacity, settings.overflow);
    if (dropped !== null && config.metrics?.overflowDrops !== undefined) {
      ctx.metric(config.metrics.overflowDrops, 1);
    }
    subscriptions[sub.subscriber] = { ...sub, queue };
  }
  let next: BrokerState = {
    ...withCapacity(state, settings),
    lastAccepted: { ...state.lastAccepted, [from]: seq },
    subscriptions,
  };
  save(next, settings, ctx);
  ctx.send(from, { type: 'PublishAck', seq, epoch: state.epoch });
  for (const sub of targets) next = serve(config, next, sub.subscriber, settings, ctx);
  return next;
}

/** [2] [7] A pull: attach (or open) the subscription for this session, then answer or hold it. */
function onPull(
  config: BrokerConfig,
  state: BrokerState,
  from: NodeId,
  message: PullMessage,
  ctx: Context,
): BrokerState {
  const existing = state.subscriptions[from];
  let sub: Subscription;
  if (existing === undefined) {
    sub = newSubscription(from, message.topics, false, message.session, [], ctx);
  } else if (message.session < existing.session) {
    return state; // a pull from a connection that has since been replaced
  } else if (message.session > existing.session) {
    sub = existing.isDurable
      ? { ...existing, session: message.session, lastPull: 0, parkedPull: null }
      : replaceInMemory(existing, message, ctx);
  } else {
    sub = existing;
  }
  if (message.pull <= sub.lastPull) {
    return sub === existing ? state : withSubscription(state, sub);
  }
  sub = { ...sub, lastPull: message.pull, parkedPull: message.pull, lastSeenUs: ctx.localTimeUs };
  const settings = config.settings(ctx.params);
  const next = serve(config, withSubscription(state, sub), from, settings, ctx);
  if (existing?.queue !== next.subscriptions[from]?.queue) save(next, settings, ctx);
  return next;
}

/** [7] An in-memory subscription dies with its connection: a new session starts it afresh. */
function replaceInMemory(existing: Subscription, message: PullMessage, ctx: Context): Subscription {
  if (existing.queue.length > 0) {
    ctx.annotate(
      `drops the in-memory subscription of ${existing.subscriber} (new session): ${existing.queue.length} messages gone`,
    );
  }
  return newSubscription(existing.subscriber, message.topics, false, message.session, [], ctx);
}

/** [3] An ack: forget the message, which may let a held-back one go out. */
function onAck(
  config: BrokerConfig,
  state: BrokerState,
  from: NodeId,
  message: AckMessage,
  ctx: Context,
): BrokerState {
  const sub = state.subscriptions[from];
  if (sub === undefined) return state;
  const queue = removeMessage(sub.queue, message.publisher, message.seq);
  if (queue === sub.queue) return state;
  const settings = config.settings(ctx.params);
  const next = serve(config, withSubscription(state, { ...sub, queue }), from, settings, ctx);
  save(next, settings, ctx);
  return next;
}

function onTimer(
  config: BrokerConfig,
  state: BrokerState,
  name: string,
  ctx: Context,
): BrokerState {
  const settings = config.settings(ctx.params);
  if (name.startsWith(deadlinePrefix)) {
    const next = serve(config, state, name.slice(deadlinePrefix.length), settings, ctx);
    if (next !== state) save(next, settings, ctx);
    return next;
  }
  if (name !== expireTimer) return state;
  ctx.setTimer(expireTimer, Math.max(1, Math.round(settings.sessionTimeoutUs / 2)));
  return expireSessions(state, settings, ctx);
}

/** [7] Drops in-memory subscriptions that stopped pulling; stops holding pulls of quiet ones. */
function expireSessions(state: BrokerState, settings: BrokerSettings, ctx: Context): BrokerState {
  const now = ctx.localTimeUs;
  let changed = false;
  const subscriptions: Record<NodeId, Subscription> = {};
  for (const sub of Object.values(state.subscriptions)) {
    const isQuiet = sub.session > 0 && now - sub.lastSeenUs > settings.sessionTimeoutUs;
    if (!isQuiet) {
      subscriptions[sub.subscriber] = sub;
    } else if (!sub.isDurable) {
      changed = true;
      ctx.annotate(
        `drops the in-memory subscription of ${sub.subscriber} (no pull for ${settings.sessionTimeoutUs / 1000} ms): ${sub.queue.length} messages gone`,
      );
    } else {
      changed ||= sub.parkedPull !== null;
      subscriptions[sub.subscriber] = { ...sub, parkedPull: null };
    }
  }
  return changed ? { ...state, subscriptions } : state;
}

/**
 * [5] Answers the subscription's held pull with the next deliverable message, if any. When
 * everything is held back by messages out for delivery, wakes up at the earliest ack deadline.
 */
function serve(
  config: BrokerConfig,
  state: BrokerState,
  subscriber: NodeId,
  settings: BrokerSettings,
  ctx: Context,
): BrokerState {
  const sub = state.subscriptions[subscriber];
  if (sub === undefined || sub.parkedPull === null) return state;
  const now = ctx.localTimeUs;
  const { index, earliestDeadlineUs } = pickNext(sub.queue, sub.session, now);
  const entry = sub.queue[index];
  if (entry === undefined) {
    if (earliestDeadlineUs < Infinity) {
      ctx.setTimer(deadlinePrefix + subscriber, Math.max(0, earliestDeadlineUs - now));
    }
    return state;
  }
  const pull = sub.parkedPull;
  const attempts = entry.attempts + 1;
  const { publisher, seq, topic, createdUs } = entry;
  ctx.send(subscriber, {
    type: 'Deliver',
    session: sub.session,
    pull,
    publisher,
    seq,
    topic,
    createdUs,
    attempt: attempts,
  });
  if (attempts > 1 && config.metrics?.redeliveries !== undefined) {
    ctx.metric(config.metrics.redeliveries, 1);
  }
  const kept: QueueEntry | null = settings.isAtLeastOnce
    ? {
        ...entry,
        attempts,
        inFlight: { session: sub.session, pull, deadlineUs: now + settings.ackTimeoutUs },
      }
    : null;
  return withSubscription(state, {
    ...sub,
    queue: replaceAt(sub.queue, index, kept),
    parkedPull: null,
    lastResponse: { session: sub.session, pull, publisher, seq },
  });
}

function newSubscription(
  subscriber: NodeId,
  topics: readonly string[],
  isDurable: boolean,
  session: number,
  queue: readonly QueueEntry[],
  ctx: Context,
): Subscription {
  return {
    subscriber,
    topics,
    isDurable,
    session,
    lastPull: 0,
    parkedPull: null,
    lastSeenUs: ctx.localTimeUs,
    queue,
    lastResponse: null,
  };
}

function withSubscription(state: BrokerState, sub: Subscription): BrokerState {
  return { ...state, subscriptions: { ...state.subscriptions, [sub.subscriber]: sub } };
}

function withCapacity(state: BrokerState, settings: BrokerSettings): BrokerState {
  return state.capacity === settings.queueCapacity
    ? state
    : { ...state, capacity: settings.queueCapacity };
}

/** [6] A synchronous write of what a restart needs: durable queues and publisher positions. */
function save(state: BrokerState, settings: BrokerSettings, ctx: Context): void {
  if (!settings.isPersistent) return;
  ctx.persist({ epoch: state.epoch, store: storeOf(state) });
}

function storeOf(state: BrokerState): BrokerDurable['store'] {
  const queues: Record<NodeId, readonly QueueEntry[]> = {};
  for (const sub of Object.values(state.subscriptions)) {
    if (sub.isDurable) queues[sub.subscriber] = sub.queue;
  }
  return { lastAccepted: state.lastAccepted, queues };
}

/*
 * Notes
 *
 * [4] Bounded queues. Each subscription holds at most `queueCapacity` messages, the ones out for
 *     delivery included. When a publish would overflow one of its topic's queues, the policy
 *     decides: `block-publisher` refuses the whole publish (PublishNack "full") before storing it
 *     anywhere, so the publisher keeps it, backs off and retries, and nothing is lost, but every
 *     publisher of that topic waits for the slowest subscription; `drop-oldest` stores it and
 *     drops the full queue's oldest message that is not out for delivery, which that subscriber
 *     then never gets (the scenario counts it lost).
 *
 * [5] Delivery and order. A held pull is answered with the first message in queue order that is
 *     not out for delivery and not behind an earlier message of the same publisher that is. In
 *     at-least-once mode a delivered message stays in the queue, out for delivery, until its Ack
 *     removes it or its ack deadline passes (then it is delivered again, first, before anything
 *     later from that publisher); in at-most-once mode it leaves the queue when sent. Holding back
 *     a publisher's later messages while an earlier one is unacknowledged is what keeps each
 *     publisher's order per subscription under redelivery (the "ordering key" of cloud pub/sub
 *     services): a subscriber's first delivery of each message of one publisher comes in sequence
 *     order. Redeliveries repeat a message already processed, and the next one waits for it.
 *
 * [6] Persistence. A persistent broker writes its durable subscriptions' queues and the highest
 *     sequence number accepted from each publisher to durable state after every change and before
 *     any PublishAck that depends on it. A restart reloads them, with nothing out for delivery
 *     (every connection died with the process), in a new epoch. Without persistence a restart
 *     starts from empty queues: whatever they held is lost, and so is the deduplication record,
 *     so a publisher's retry of a message the old broker had already stored is stored again
 *     (a duplicate). In-memory subscriptions are never written to disk.
 *
 * [7] Sessions and subscriptions. A durable subscription is provisioned from the configuration
 *     and outlives its subscriber: a new session (the subscriber restarted) attaches to it and
 *     finds the queue where it was; messages that were out for delivery to the old session go out
 *     again at once. An in-memory subscription is opened by a subscriber's first pull and lives
 *     only as long as that connection: a new session replaces it with an empty one, and a
 *     subscription that has not pulled for `sessionTimeoutUs` is dropped. Messages published
 *     while it does not exist are never queued for that subscriber.
 */
