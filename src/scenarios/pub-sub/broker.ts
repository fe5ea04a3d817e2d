import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  earliestDeadlineUs,
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
  ResponseRecord,
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
type Params = Readonly<Record<string, number>>;

const expireTimer = 'expire';
const deadlinePrefix = 'deadline:';

/**
 * The broker's settings for the current parameters. [8] The engine hands out the same parameter
 * object until a parameter changes, and the settings are a pure function of it, so each broker
 * keeps the last answer instead of rebuilding it on every event.
 */
interface SettingsMemo {
  params: Params | null;
  settings: BrokerSettings | null;
}

function settingsOf(config: BrokerConfig, memo: SettingsMemo, params: Params): BrokerSettings {
  if (memo.params !== params || memo.settings === null) {
    memo.settings = config.settings(params);
    memo.params = params;
  }
  return memo.settings;
}

/** Builds a broker from its configuration (settings and durable subscriptions). */
export function brokerBehaviour(
  config: BrokerConfig,
): Behaviour<BrokerState, BrokerMessage, BrokerDurable> {
  const memo: SettingsMemo = { params: null, settings: null };
  const broker: Broker = { config, settings: (params) => settingsOf(config, memo, params) };
  return {
    initialDurable(): BrokerDurable {
      return { epoch: 0, store: null };
    },

    init(ctx: Context): BrokerState {
      return start(broker, ctx);
    },

    receive(state: BrokerState, event: NodeEvent<BrokerMessage>, ctx: Context): BrokerState {
      switch (event.kind) {
        case 'message':
          return onMessage(broker, state, event.from, event.message, ctx);
        case 'timer':
          return onTimer(broker, state, event.name, ctx);
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
      const subscriptions = state.subscriptions;
      for (const id in subscriptions) {
        const length = (subscriptions[id] as Subscription).queue.length;
        queued += length;
        fullest = Math.max(fullest, length);
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

/** What every handler needs: the configuration and the settings for the current parameters. */
interface Broker {
  readonly config: BrokerConfig;
  settings(params: Params): BrokerSettings;
}

/** [6] Start and restart: a new epoch, and the queues from disk when persistent. */
function start(broker: Broker, ctx: Context): BrokerState {
  const settings = broker.settings(ctx.params);
  const epoch = ctx.durable.epoch + 1;
  const store = settings.isPersistent ? ctx.durable.store : null;
  const subscriptions: Record<NodeId, Subscription> = {};
  let restored = 0;
  for (const spec of broker.config.durableSubscriptions(ctx.params)) {
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
  const state = brokerState(
    epoch,
    settings.queueCapacity,
    store?.lastAccepted ?? {},
    subscriptions,
  );
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
  broker: Broker,
  state: BrokerState,
  from: NodeId,
  message: BrokerMessage,
  ctx: Context,
): BrokerState {
  switch (message.type) {
    case 'Publish':
      return onPublish(broker, state, from, message, ctx);
    case 'Pull':
      return onPull(broker, state, from, message, ctx);
    case 'Ack':
      return onAck(broker, state, from, message, ctx);
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
  broker: Broker,
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
  const settings = broker.settings(ctx.params);
  const topic = message.topic;
  const current = state.subscriptions;
  if (settings.overflow === 'block-publisher') {
    for (const id in current) {
      const sub = current[id] as Subscription;
      if (sub.topics.includes(topic) && isFull(sub.queue, settings.queueCapacity)) {
        ctx.send(from, { type: 'PublishNack', seq, epoch: state.epoch, reason: 'full' });
        return withCapacity(state, settings);
      }
    }
  }
  // A fresh record, filled in below before anyone else sees it.
  const subscriptions: Record<NodeId, Subscription> = { ...current };
  for (const id in current) {
    const sub = current[id] as Subscription;
    if (!sub.topics.includes(topic)) continue;
    const entry: QueueEntry = {
      publisher: from,
      seq,
      topic,
      createdUs: message.createdUs,
      attempts: 0,
      inFlight: null,
    };
    const queue = enqueue(sub.queue, entry, settings.queueCapacity, settings.overflow);
    const isDrop = queue.length === sub.queue.length;
    if (isDrop && broker.config.metrics?.overflowDrops !== undefined) {
      ctx.metric(broker.config.metrics.overflowDrops, 1);
    }
    subscriptions[id] = withQueue(sub, queue);
  }
  const lastAccepted: Record<NodeId, number> = { ...state.lastAccepted };
  lastAccepted[from] = seq;
  const next = brokerState(state.epoch, settings.queueCapacity, lastAccepted, subscriptions);
  save(next, settings, ctx);
  ctx.send(from, { type: 'PublishAck', seq, epoch: state.epoch });
  for (const id in current) {
    if ((current[id] as Subscription).topics.includes(topic)) {
      subscriptions[id] = served(broker, subscriptions[id] as Subscription, settings, ctx);
    }
  }
  return next;
}

/** [2] [7] A pull: attach (or open) the subscription for this session, then answer or hold it. */
function onPull(
  broker: Broker,
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
      ? withSession(existing, message.session)
      : replaceInMemory(existing, message, ctx);
  } else {
    sub = existing;
  }
  if (message.pull <= sub.lastPull) {
    return sub === existing ? state : withSubscription(state, sub);
  }
  const settings = broker.settings(ctx.params);
  const held = withHeldPull(sub, message.pull, ctx.localTimeUs);
  const next = withSubscription(state, served(broker, held, settings, ctx));
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
  broker: Broker,
  state: BrokerState,
  from: NodeId,
  message: AckMessage,
  ctx: Context,
): BrokerState {
  const sub = state.subscriptions[from];
  if (sub === undefined) return state;
  const queue = removeMessage(sub.queue, message.publisher, message.seq);
  if (queue === sub.queue) return state;
  const settings = broker.settings(ctx.params);
  const next = withSubscription(state, served(broker, withQueue(sub, queue), settings, ctx));
  save(next, settings, ctx);
  return next;
}

function onTimer(broker: Broker, state: BrokerState, name: string, ctx: Context): BrokerState {
  const settings = broker.settings(ctx.params);
  if (name.startsWith(deadlinePrefix)) {
    const sub = state.subscriptions[name.slice(deadlinePrefix.length)];
    if (sub === undefined) return state;
    const next = served(broker, sub, settings, ctx);
    if (next === sub) return state;
    const changed = withSubscription(state, next);
    save(changed, settings, ctx);
    return changed;
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
      subscriptions[sub.subscriber] = withParkedPull(sub, null, sub.lastResponse);
    }
  }
  return changed ? { ...state, subscriptions } : state;
}

/**
 * [5] The subscription after answering its held pull with the next deliverable message, if any
 * (the same object when nothing goes out). When everything is held back by messages out for
 * delivery, wakes up at the earliest ack deadline.
 */
function served(
  broker: Broker,
  sub: Subscription,
  settings: BrokerSettings,
  ctx: Context,
): Subscription {
  if (sub.parkedPull === null) return sub;
  const now = ctx.localTimeUs;
  const index = pickNext(sub.queue, sub.session, now);
  const entry = sub.queue[index];
  if (entry === undefined) {
    const deadlineUs = earliestDeadlineUs(sub.queue, sub.session, now);
    if (deadlineUs < Infinity) {
      ctx.setTimer(deadlinePrefix + sub.subscriber, Math.max(0, deadlineUs - now));
    }
    return sub;
  }
  const pull = sub.parkedPull;
  const attempts = entry.attempts + 1;
  const { publisher, seq, topic, createdUs } = entry;
  ctx.send(sub.subscriber, {
    type: 'Deliver',
    session: sub.session,
    pull,
    publisher,
    seq,
    topic,
    createdUs,
    attempt: attempts,
  });
  const metrics = broker.config.metrics;
  if (attempts > 1 && metrics?.redeliveries !== undefined) ctx.metric(metrics.redeliveries, 1);
  const kept: QueueEntry | null = settings.isAtLeastOnce
    ? {
        publisher,
        seq,
        topic,
        createdUs,
        attempts,
        inFlight: { session: sub.session, pull, deadlineUs: now + settings.ackTimeoutUs },
      }
    : null;
  const answer: ResponseRecord = { session: sub.session, pull, publisher, seq };
  return withParkedPull(withQueue(sub, replaceAt(sub.queue, index, kept)), null, answer);
}

// ---- Building states --------------------------------------------------------------------------
// [8] Whole literals, in one field order per type, rather than spreads with overrides.

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

/** A durable subscription attached to a new session of its subscriber. */
function withSession(sub: Subscription, session: number): Subscription {
  return {
    subscriber: sub.subscriber,
    topics: sub.topics,
    isDurable: sub.isDurable,
    session,
    lastPull: 0,
    parkedPull: null,
    lastSeenUs: sub.lastSeenUs,
    queue: sub.queue,
    lastResponse: sub.lastResponse,
  };
}

/** The subscription holding pull `pull`, heard at `nowUs`. */
function withHeldPull(sub: Subscription, pull: number, nowUs: number): Subscription {
  return {
    subscriber: sub.subscriber,
    topics: sub.topics,
    isDurable: sub.isDurable,
    session: sub.session,
    lastPull: pull,
    parkedPull: pull,
    lastSeenUs: nowUs,
    queue: sub.queue,
    lastResponse: sub.lastResponse,
  };
}

function withQueue(sub: Subscription, queue: readonly QueueEntry[]): Subscription {
  return {
    subscriber: sub.subscriber,
    topics: sub.topics,
    isDurable: sub.isDurable,
    session: sub.session,
    lastPull: sub.lastPull,
    parkedPull: sub.parkedPull,
    lastSeenUs: sub.lastSeenUs,
    queue,
    lastResponse: sub.lastResponse,
  };
}

function withParkedPull(
  sub: Subscription,
  parkedPull: number | null,
  lastResponse: ResponseRecord | null,
): Subscription {
  return {
    subscriber: sub.subscriber,
    topics: sub.topics,
    isDurable: sub.isDurable,
    session: sub.session,
    lastPull: sub.lastPull,
    parkedPull,
    lastSeenUs: sub.lastSeenUs,
    queue: sub.queue,
    lastResponse,
  };
}

function brokerState(
  epoch: number,
  capacity: number,
  lastAccepted: Readonly<Record<NodeId, number>>,
  subscriptions: Readonly<Record<NodeId, Subscription>>,
): BrokerState {
  return { epoch, capacity, lastAccepted, subscriptions };
}

/** The state with `sub` in place of its subscriber's subscription (added last if new). */
function withSubscription(state: BrokerState, sub: Subscription): BrokerState {
  const subscriptions: Record<NodeId, Subscription> = { ...state.subscriptions };
  subscriptions[sub.subscriber] = sub;
  return brokerState(state.epoch, state.capacity, state.lastAccepted, subscriptions);
}

function withCapacity(state: BrokerState, settings: BrokerSettings): BrokerState {
  return state.capacity === settings.queueCapacity
    ? state
    : brokerState(state.epoch, settings.queueCapacity, state.lastAccepted, state.subscriptions);
}

/** [6] A synchronous write of what a restart needs: durable queues and publisher positions. */
function save(state: BrokerState, settings: BrokerSettings, ctx: Context): void {
  if (!settings.isPersistent) return;
  ctx.persist({ epoch: state.epoch, store: storeOf(state) });
}

function storeOf(state: BrokerState): BrokerDurable['store'] {
  const queues: Record<NodeId, readonly QueueEntry[]> = {};
  const subscriptions = state.subscriptions;
  for (const id in subscriptions) {
    const sub = subscriptions[id] as Subscription;
    if (sub.isDurable) queues[id] = sub.queue;
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
 *
 * [8] Speed. States are rebuilt as whole literals (one field order per type) instead of
 *     `{ ...sub, field }`: V8 11 builds a spread with overrides several times slower, and the
 *     broker rebuilds a subscription on almost every event it handles. An update touches one
 *     copy of the subscription record, whatever else changed; the record built by a publish is
 *     filled in (queues, then the answers to held pulls) before anything else can see it.
 */
