import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { BrokerState, ResponseRecord, Subscription } from './brokerTypes.ts';
import type { DirectSubscriberState } from './direct.ts';
import { brokerRole } from './protocol.ts';
import { addSeq, forEachSeqAbove, hasSeq, maxSeq, type SeqRanges } from './ranges.ts';
import { isOwed, publisherIds, type SubscriberProfile, subscriberProfiles } from './roster.ts';
import {
  brokerOf,
  heldQueue,
  indexOfMessage,
  isUp,
  publisherStore,
  pullingState,
  subscriberStore,
} from './world.ts';

/**
 * Exact loss accounting. A subscriber is owed every message on its topics that a publisher has
 * had acknowledged (for the baseline: whose fan-out finished). An owed message is resolved when
 * the subscriber has processed it or when it is certainly lost: no copy of it remains anywhere
 * from which that subscriber could still process it. Numbered notes [n] are at the end.
 *
 * The accountant runs inside the monitor, which sees every node's state after every event but
 * not the wire; the protocol's rules are what make "no copy remains" decidable without it.
 */

/** Broker answers remembered per subscriber; older ones are dead once the subscriber moved on. */
const ledgerMax = 8;

export interface LossMemory {
  /** [2] The broker's recent answers to each subscriber's pulls, oldest first. */
  readonly ledger: Record<NodeId, ResponseRecord[]>;
  /** Messages certainly lost, per subscriber and publisher. */
  readonly lost: Record<NodeId, Record<NodeId, SeqRanges>>;
  /** Per subscriber and publisher: every owed message up to this number is resolved. */
  readonly resolvedUpTo: Record<NodeId, Record<NodeId, number>>;
}

export function createLossMemory(): LossMemory {
  return { ledger: {}, lost: {}, resolvedUpTo: {} };
}

/** [2] After a broker event: remember any new answer it sent (monitor `observe`). */
export function noteBrokerAnswers(node: NodeView | undefined, memory: LossMemory): void {
  if (node?.role !== brokerRole || !isUp(node)) return;
  const subscriptions = (node.state as BrokerState).subscriptions;
  for (const id in subscriptions) {
    const sub = subscriptions[id] as Subscription;
    const answer = sub.lastResponse;
    if (answer === null) continue;
    const ledger = (memory.ledger[sub.subscriber] ??= []);
    const newest = ledger.at(-1);
    // The broker keeps its last answer object until it answers again: usually the same object.
    const isKnown =
      newest === answer ||
      (newest !== undefined &&
        newest.session === answer.session &&
        newest.pull === answer.pull &&
        newest.publisher === answer.publisher &&
        newest.seq === answer.seq);
    if (isKnown) continue;
    ledger.push(answer);
    if (ledger.length > ledgerMax) ledger.shift();
  }
}

/**
 * [1] Resolves what can be resolved and calls `onLost` once per subscriber with the number of
 * messages that became certainly lost to it since the last sweep.
 */
export function sweepLosses(
  world: WorldView,
  memory: LossMemory,
  onLost: (subscriber: NodeId, count: number) => void,
): void {
  const params = world.params;
  const isPattern = brokerOf(world) !== undefined;
  const publishers = publisherIds(params);
  for (const profile of subscriberProfiles(params)) {
    const isLive = isPattern
      ? liveInPattern(world, profile.id, memory)
      : liveInBaseline(world, profile.id);
    const count = sweepSubscriber(world, profile, publishers, isLive, memory);
    if (count > 0) onLost(profile.id, count);
  }
}

function sweepSubscriber(
  world: WorldView,
  profile: SubscriberProfile,
  publishers: readonly NodeId[],
  isLive: (publisher: NodeId, seq: number) => boolean,
  memory: LossMemory,
): number {
  const subscriber = profile.id;
  const processed = subscriberStore(world, subscriber).processed;
  const lost = (memory.lost[subscriber] ??= {});
  const resolvedUpTo = (memory.resolvedUpTo[subscriber] ??= {});
  let count = 0;
  for (const publisher of publishers) {
    let upTo = resolvedUpTo[publisher] ?? 0;
    let isPrefix = true;
    forEachSeqAbove(publisherStore(world, publisher).acked, upTo, (seq) => {
      const isResolved =
        !isOwed(profile, seq, world.params) ||
        hasSeq(processed[publisher], seq) ||
        hasSeq(lost[publisher], seq);
      if (!isResolved && isLive(publisher, seq)) {
        isPrefix = false;
        return true;
      }
      if (!isResolved) {
        lost[publisher] = addSeq(lost[publisher], seq);
        count++;
      }
      if (isPrefix) upTo = seq;
      return true;
    });
    resolvedUpTo[publisher] = upTo;
  }
  return count;
}

/**
 * [2] Pattern: a copy is live while the broker holds it for the subscriber (in memory, or on
 * disk while it is down), or while an answer carrying it is on its way to a pull the subscriber
 * is still waiting on.
 */
function liveInPattern(
  world: WorldView,
  subscriber: NodeId,
  memory: LossMemory,
): (publisher: NodeId, seq: number) => boolean {
  const held = heldQueue(world, subscriber) ?? [];
  const state = pullingState(world, subscriber);
  const session = subscriberStore(world, subscriber).session;
  const ledger = memory.ledger[subscriber] ?? [];
  // Answers to pulls the subscriber has left behind can never be taken: forget them.
  const current = ledger.filter(
    (answer) => state !== null && answer.session === session && answer.pull >= state.pull,
  );
  memory.ledger[subscriber] = current;
  const onTheWay =
    state?.phase === 'waiting' ? current.filter((answer) => answer.pull === state.pull) : [];
  // Looked up by number, in increasing order per publisher: see `indexOfMessage`.
  let hint = 0;
  return (publisher, seq) => {
    const at = indexOfMessage(held, publisher, seq, hint);
    if (at >= 0) {
      hint = at + 1;
      return true;
    }
    return onTheWay.some((answer) => answer.publisher === publisher && answer.seq === seq);
  };
}

/**
 * [3] Baseline: a copy is live while it waits in the subscriber's own queue, or while a call
 * carrying it could still be taken (it is newer than anything taken from that publisher).
 */
function liveInBaseline(
  world: WorldView,
  subscriber: NodeId,
): (publisher: NodeId, seq: number) => boolean {
  const node = world.node(subscriber);
  const state = isUp(node) ? (node.state as DirectSubscriberState) : null;
  const processed = subscriberStore(world, subscriber).processed;
  return (publisher, seq) => {
    if (state === null) return seq > maxSeq(processed[publisher]);
    if (state.waiting.some((item) => item.publisher === publisher && item.seq === seq)) return true;
    return seq > (state.highestTaken[publisher] ?? 0);
  };
}

/*
 * Notes
 *
 * [1] When a loss becomes certain, by cause (each is found by the same sweep, every monitor
 *     sample, so it is counted within one sample interval of becoming certain):
 *     - overflow (drop-oldest): the broker dropped the message from the subscription queue and
 *       no answer carrying it is on its way to a current pull;
 *     - broker crash, persistence off: the queues were in volatile state only; once the broker is
 *       down nothing holds the message for the subscriber;
 *     - in-memory subscription: a message published while the subscription did not exist was
 *       never queued for it, and one queued when it was dropped (new session, session timeout)
 *       went with it; either is lost as soon as the broker holds no copy;
 *     - at-most-once on the wire: the broker forgot the message when it sent it; if the Deliver
 *       is dropped (or the subscriber crashes, or gives up on the pull) the subscriber moves to a
 *       new pull and will discard the Deliver even if it turns up, so the loss is certain when
 *       the pull it answered is no longer current;
 *     - baseline: the publisher gave up on the subscriber, and the subscriber has since taken a
 *       later message from that publisher (it never takes an older one after that).
 *     A resolved message never becomes unresolved again: a subscriber's processed record only
 *     grows, and a dead copy cannot come back (a publisher resends only what is not yet acked,
 *     and a restarted broker refuses publishes from its previous epoch, protocol.ts [1]).
 *
 * [2] The ledger. The broker records its last answer per subscription; the monitor copies each
 *     new one here after every broker event, so the record outlives a broker crash. An answer is
 *     live only while the subscriber is up, in the same session, still waiting on that very pull
 *     (subscriber.ts [2]); several answers to one pull are possible after a broker restart (a
 *     duplicated pull reaches the new incarnation), so the ledger keeps a few per subscriber.
 *
 * [3] The baseline has no broker and no pulls; its subscriber's in-order rule (direct.ts [3])
 *     plays the same part. Until a later message is taken, a given-up message stays unresolved:
 *     a delayed call could still bring it.
 */
