import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import type { AmbassadorDurable } from './ambassador.ts';
import type { LogEntry, PendingRequest } from './ambassadorState.ts';
import { recentOutcomesMax } from './app.ts';
import { allowanceOf, totalsOf } from './budget.ts';
import { breakerProbeCalls, isOn, localSlackUs, paramOf, msParamUs } from './protocol.ts';
import { ambassadorStateOf, appStateOf, appsOf, hasRemoteFaults } from './world.ts';

/**
 * The scenario's invariants. The safety checks run after every event on the node that acted
 * (on every node after a command) and compare counters in its state with what they saw last, so
 * each new answer, attempt or retry is judged once, when it happens. A counter that goes down
 * means the node restarted with fresh state.
 */

/** Per node, the counters last seen. */
type Seen = Map<NodeId, number>;

/** Advances a counter; how much it grew since last seen (a restart counts from zero). */
function growth(seen: Seen, id: NodeId, value: number): number {
  const last = seen.get(id) ?? 0;
  seen.set(id, value);
  return value >= last ? value - last : value;
}

/**
 * Runs `check` on the node that acted, or on every node after a command. The checks are plain
 * functions of (world, node, memory) rather than closures, as they run after every event.
 */
function eachActing<M>(
  world: WorldView,
  node: NodeView | undefined,
  memory: M,
  check: (world: WorldView, node: NodeView, memory: M) => Violation | null,
): Violation | null {
  if (node !== undefined) return check(world, node, memory);
  let first: Violation | null = null;
  for (const each of world.nodes) first ??= check(world, each, memory);
  return first;
}

/**
 * Each app request gets at most one answer. The app remembers the answer id of each of its
 * latest 64 answered requests; an answer with another id for the same request is a second answer
 * (a copy the network duplicated has the same id and does not count).
 */
export const oneAnswerPerRequest: SafetyInvariant<Seen> = {
  id: 'one-answer-per-request',
  kind: 'safety',
  description: 'Every app request gets at most one answer',
  createMemory: () => new Map(),
  check(world, node, seen) {
    return eachActing(world, node, seen, checkOneAnswer);
  },
};

function checkOneAnswer(_world: WorldView, each: NodeView, seen: Seen): Violation | null {
  const app = appStateOf(each);
  if (app === null) return null;
  if (growth(seen, each.id, app.extraAnswers) === 0) return null;
  return {
    message: `${each.id}: ${app.lastExtraAnswer ?? 'a second answer'}`,
    nodes: [each.id],
  };
}

/**
 * No request is attempted more often than the maximum number of attempts in force when it
 * arrived (retries and hedges included). Checked on every request in progress and on each newly
 * logged one.
 */
export const attemptsWithinMax: SafetyInvariant<Seen> = {
  id: 'attempts-within-max',
  kind: 'safety',
  description: 'No request is attempted more than max attempts times',
  createMemory: () => new Map(),
  check(world, node, seen) {
    return eachActing(world, node, seen, checkAttempts);
  },
};

function checkAttempts(_world: WorldView, each: NodeView, seen: Seen): Violation | null {
  const state = ambassadorStateOf(each);
  if (state === null) return null;
  const logged = growth(seen, each.id, state.counters.answered);
  let over: PendingRequest | LogEntry | undefined;
  for (const request of state.pending) {
    if (request.attempts > request.maxAttempts) {
      over = request;
      break;
    }
  }
  // The newly logged entries: the last `logged` of the log.
  const log = state.log;
  for (
    let index = Math.max(0, log.length - logged);
    over === undefined && index < log.length;
    index++
  ) {
    const entry = log[index];
    if (entry !== undefined && entry.attempts > entry.maxAttempts) over = entry;
  }
  if (over === undefined) return null;
  return {
    message: `${each.id} made ${over.attempts} attempts for ${over.app}'s request ${over.requestId} (max ${over.maxAttempts})`,
    nodes: [each.id],
  };
}

/**
 * With the budget on, every retry or hedge leaves the window's retries within the allowance:
 * share × requests in the window + minimum rate × window. Checked when a node's retry and
 * hedge count grows, against the window counts in its state and the parameters then in force.
 */
export const retriesWithinBudget: SafetyInvariant<Seen> = {
  id: 'retries-within-budget',
  kind: 'safety',
  description: 'With the retry budget on, retries and hedges stay within it',
  createMemory: () => new Map(),
  check(world, node, seen) {
    return eachActing(world, node, seen, checkBudget);
  },
};

function checkBudget(world: WorldView, each: NodeView, seen: Seen): Violation | null {
  const state = ambassadorStateOf(each);
  if (state === null) return null;
  const extra = state.counters.retries + state.counters.hedges;
  if (growth(seen, each.id, extra) === 0 || !isOn(world, 'isRetryBudgetOn')) return null;
  const totals = totalsOf(state.budget);
  const allowance = allowanceOf(totals.requests, world.params);
  if (totals.retries <= allowance + 1e-9) return null;
  return {
    message: `${each.id} sent ${totals.retries} retries and hedges against ${totals.requests} requests in the window (allowance ${Math.floor(allowance)})`,
    nodes: [each.id],
  };
}

interface BreakerMemory {
  /** `node` → attempts sent per instance, as last seen. */
  readonly sent: Map<NodeId, readonly number[]>;
  /**
   * `node:index` → the half-open period (the ambassador's incarnation and the breaker's
   * generation: a restarted ambassador numbers generations afresh) and the attempts sent in it.
   */
  readonly probes: Map<string, { period: string; count: number }>;
}

/**
 * With breakers on, no attempt goes to an instance whose breaker is open, and at most the
 * permitted trial attempts go to one that is half-open. (Within one event the ambassador
 * settles results before it sends, so the breaker state after the event is the one the send saw.)
 */
export const breakerRespected: SafetyInvariant<BreakerMemory> = {
  id: 'breaker-respected',
  kind: 'safety',
  description: 'No attempt goes to an instance whose breaker is open, beyond half-open trials',
  createMemory: () => ({ sent: new Map(), probes: new Map() }),
  check(world, node, memory) {
    return eachActing(world, node, memory, checkBreakers);
  },
};

function checkBreakers(world: WorldView, each: NodeView, memory: BreakerMemory): Violation | null {
  const state = ambassadorStateOf(each);
  if (state === null) return null;
  const last = memory.sent.get(each.id) ?? [];
  const sent = state.instances.sent;
  memory.sent.set(each.id, sent);
  // Nothing was sent since the last look (the same array: tables are never changed in place).
  if (sent === last || !isOn(world, 'isBreakerOn')) return null;
  for (let index = 0; index < sent.length; index++) {
    const before = last[index] ?? 0;
    const now = sent[index] ?? 0;
    const added = now >= before ? now - before : now;
    const breaker = state.instances.breakers[index];
    if (added === 0 || breaker === undefined) continue;
    const remote = state.instances.remotes[index] ?? '?';
    if (breaker.value === 'open') {
      return {
        message: `${each.id} sent to ${remote} while its breaker is open`,
        nodes: [each.id, remote],
      };
    }
    if (breaker.value !== 'half-open') continue;
    const key = `${each.id}:${index}`;
    const period = `${incarnationOf(each.durable)}:${breaker.context.generation}`;
    const probes = memory.probes.get(key);
    const count = (probes?.period === period ? probes.count : 0) + added;
    memory.probes.set(key, { period, count });
    if (count > breakerProbeCalls) {
      return {
        message: `${each.id} sent ${count} attempts to half-open ${remote} (trials allowed: ${breakerProbeCalls})`,
        nodes: [each.id, remote],
      };
    }
  }
  return null;
}

function incarnationOf(durable: unknown): number {
  const incarnation = (durable as Partial<AmbassadorDurable> | null)?.incarnation;
  return typeof incarnation === 'number' ? incarnation : 0;
}

/** Completions an app needs before its recent outcomes are judged. */
const judgedOutcomesMin = 3;

/**
 * Once every node is up, the network healed and no remote has a scenario fault, the apps'
 * requests succeed again: each app's latest completed requests (at least three, up to five) are
 * mostly successes. The bound adds up what can delay that:
 *
 * - the request deadline plus the local hop: requests sent before the heal fail by then;
 * - a full remote queue drained at normal speed (queue × 1.5 × service time ÷ workers): work
 *   queued during an overload still goes first;
 * - with breakers on, three rounds of wait-in-open plus a trial attempt: a breaker opened by the
 *   faults needs its wait and two passing trials, and a trial lost on a lossy WAN reopens it;
 * - twenty mean request intervals, for the fresh requests that show the recovery.
 */
export const requestsSucceed: LivenessInvariant = {
  id: 'requests-succeed',
  kind: 'liveness',
  description: 'After faults heal, most of each app’s latest requests succeed',
  boundUs(params) {
    const context = { params };
    const drainUs =
      (paramOf(context, 'remoteQueueMax') * 1.5 * msParamUs(context, 'serviceTimeMs')) /
      Math.max(1, paramOf(context, 'remoteWorkers'));
    const breakerUs = isOn(context, 'isBreakerOn')
      ? 3 * (msParamUs(context, 'breakerWaitMs') + msParamUs(context, 'tryTimeoutMs'))
      : 0;
    const freshUs = (20 * 1_000_000) / Math.max(0.001, paramOf(context, 'requestRatePerSec'));
    const marginUs = 1_000_000;
    return Math.round(
      msParamUs(context, 'requestTimeoutMs') +
        localSlackUs +
        drainUs +
        breakerUs +
        freshUs +
        marginUs,
    );
  },
  isExpected(world) {
    return !world.hasActiveFaults && !hasRemoteFaults(world);
  },
  holds(world) {
    return appsOf(world).every((app) => {
      const recent = app.state?.recent ?? [];
      if (recent.length < Math.min(judgedOutcomesMin, recentOutcomesMax)) return false;
      const successes = recent.filter((isOk) => isOk).length;
      return successes * 2 > recent.length;
    });
  },
};

export const ambassadorInvariants = [
  oneAnswerPerRequest,
  attemptsWithinMax,
  retriesWithinBudget,
  breakerRespected,
  requestsSucceed,
];
