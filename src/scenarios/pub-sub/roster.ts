import type { NodeId } from '../../engine/types.ts';
import { pubSubParams } from './params.ts';
import { paramReader } from '../kit/params.ts';

/** Typed readers of the parameters (a delay in ms as µs, a count inside its bounds). */
export const { paramOf, msParamUs, countParam, boundedCount } = paramReader(
  'pub-sub',
  pubSubParams,
);

/**
 * Who is who in a run, derived from the parameters alone so that behaviours, the monitor, the
 * invariants, the tour and the tests all agree: node ids, each subscriber's profile (durable or
 * in-memory, fast or slow, which topics) and which topic each message goes to.
 */

type Params = Readonly<Record<string, number>>;

export const brokerId: NodeId = 'broker';

/** How a subscriber is set up. */
export interface SubscriberProfile {
  readonly id: NodeId;
  /** 1-based position: s1 is 1. */
  readonly position: number;
  readonly isDurable: boolean;
  readonly isSlow: boolean;
  readonly topics: readonly string[];
}

/** Everything derived from one parameter set, computed once per set (see `rosterOf`). */
interface Roster {
  readonly publishers: readonly NodeId[];
  readonly subscribers: readonly NodeId[];
  readonly topics: readonly string[];
  readonly profiles: readonly SubscriberProfile[];
  readonly profileById: ReadonlyMap<NodeId, SubscriberProfile>;
}

/**
 * A cache of derived rosters by parameter object. The engine hands out the same object until a
 * parameter changes, and the roster is a pure function of it, so caching changes nothing but
 * speed (these are asked for after every event).
 */
const rosters = new WeakMap<Params, Roster>();

/** The roster asked for last: nearly every call in a run is for the same parameters. */
let lastRoster: { readonly params: Params; readonly roster: Roster } | null = null;

function rosterOf(params: Params): Roster {
  if (lastRoster?.params === params) return lastRoster.roster;
  const roster = rosters.get(params) ?? newRoster(params);
  lastRoster = { params, roster };
  return roster;
}

function newRoster(params: Params): Roster {
  const subscriberCount = boundedCount({ params }, 'subscriberCount');
  const profiles = Array.from({ length: subscriberCount }, (_, i) => profileAt(i + 1, params));
  const roster: Roster = {
    publishers: Array.from(
      { length: boundedCount({ params }, 'publisherCount') },
      (_, i) => `p${i + 1}`,
    ),
    subscribers: profiles.map((profile) => profile.id),
    topics: boundedCount({ params }, 'topicCount') === 1 ? ['t1'] : ['t1', 't2'],
    profiles,
    profileById: new Map(profiles.map((profile) => [profile.id, profile])),
  };
  rosters.set(params, roster);
  return roster;
}

export function publisherIds(params: Params): readonly NodeId[] {
  return rosterOf(params).publishers;
}

export function subscriberIds(params: Params): readonly NodeId[] {
  return rosterOf(params).subscribers;
}

export function topicsOf(params: Params): readonly string[] {
  return rosterOf(params).topics;
}

/** The topic of a publisher's message `seq`: publishers go round the topics in turn. */
export function topicOfSeq(seq: number, params: Params): string {
  return topicIn(topicsOf(params), seq);
}

/** `topicOfSeq` with the run's topics at hand (for loops over many messages). */
export function topicIn(topics: readonly string[], seq: number): string {
  return topics[(seq - 1) % topics.length] ?? 't1';
}

/**
 * Subscriber `position` (1-based): the last `slowSubscriberCount` are slow; the
 * `inMemorySubscriberCount` before them have in-memory subscriptions; with two topics, positions
 * 1, 4 take both, 2, 5 only t1, 3, 6 only t2.
 */
function profileAt(position: number, params: Params): SubscriberProfile {
  const count = boundedCount({ params }, 'subscriberCount');
  const slow = Math.min(count, boundedCount({ params }, 'slowSubscriberCount'));
  const inMemory = Math.min(count - slow, boundedCount({ params }, 'inMemorySubscriberCount'));
  const isSlow = position > count - slow;
  const isInMemory = !isSlow && position > count - slow - inMemory;
  const all: readonly string[] =
    boundedCount({ params }, 'topicCount') === 1 ? ['t1'] : ['t1', 't2'];
  const topics = all.length === 1 ? all : ([all, ['t1'], ['t2']][(position - 1) % 3] ?? all);
  return { id: `s${position}`, position, isDurable: !isInMemory, isSlow, topics };
}

export function subscriberProfiles(params: Params): readonly SubscriberProfile[] {
  return rosterOf(params).profiles;
}

/** The profile of subscriber `id`; unknown ids are a scenario bug. */
export function profileOf(id: NodeId, params: Params): SubscriberProfile {
  const profile = rosterOf(params).profileById.get(id);
  if (profile === undefined) throw new Error(`pub-sub: ${id} is not a subscriber`);
  return profile;
}

/** Whether subscriber `profile` is owed message `seq` of any publisher (its topic matches). */
export function isOwed(profile: SubscriberProfile, seq: number, params: Params): boolean {
  return profile.topics.includes(topicOfSeq(seq, params));
}
