import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import { type AnswerLog, firstAnswer, logAnswer, newAnswerLog } from './answerLog.ts';
import { isBuggy } from './backend.ts';
import { type ClientDurable, type ClientState, recentOutcomesMax } from './client.ts';
import { facadeHousekeepingUs, type FacadeState } from './facade.ts';
import {
  clientRole,
  facadeId,
  legacyId,
  newServiceId,
  paramOf,
  routeCount,
  routeMixParams,
  routeNames,
  countParam,
} from './protocol.ts';
import { type FacadeDurable, isAllOnNew, usesNew } from './routing.ts';
import {
  clientsOf,
  facadeDurable,
  isLegacyRetired,
  legacyDurable,
  serviceDurable,
} from './world.ts';

/** Request ids remembered per client by the one-answer check; the oldest are forgotten. */
export const rememberedRequestsMax = 5000;
/** Distinct violations remembered, so each is reported once. */
const reportedViolationsMax = 1000;

// ---- Safety: one answer per request -------------------------------------------------------

/** A client's boot and delivery count when last checked: a change means a new delivery. */
interface DeliveryMark {
  boots: number;
  deliveries: number;
}

export interface OneAnswerMemory {
  readonly marks: Map<NodeId, DeliveryMark>;
  /** The answer id each request was first answered with, per client (answerLog.ts). */
  readonly answers: Map<NodeId, AnswerLog>;
  readonly reported: Set<string>;
}

/**
 * Every request is answered by exactly one implementation: a client never receives a shadow
 * copy, and never two different answers (two answer ids) to one request. A network duplicate of
 * the same answer is the same answer. Checked at the client after every delivery, so it sees
 * what the client saw, whatever the facade believes it sent.
 */
export const oneAnswerPerRequest: SafetyInvariant<OneAnswerMemory> = {
  id: 'one-answer-per-request',
  kind: 'safety',
  description: 'Every request gets one answer from one implementation, never a shadow copy',
  createMemory(): OneAnswerMemory {
    return { marks: new Map(), answers: new Map(), reported: new Set() };
  },
  check(world: WorldView, node: NodeView | undefined, memory: OneAnswerMemory): Violation | null {
    if (node !== undefined) return node.role === clientRole ? checkClient(node, memory) : null;
    let first: Violation | null = null;
    for (const each of world.nodes) {
      if (each.role === clientRole) first ??= checkClient(each, memory);
    }
    return first;
  },
};

function checkClient(node: NodeView, memory: OneAnswerMemory): Violation | null {
  const state = node.state as ClientState | undefined;
  if (state === undefined) return null;
  const boots = (node.durable as ClientDurable).boots;
  const mark = memory.marks.get(node.id);
  if (mark === undefined) {
    memory.marks.set(node.id, { boots, deliveries: state.deliveries });
  } else if (mark.boots === boots && mark.deliveries === state.deliveries) {
    return null;
  } else {
    mark.boots = boots;
    mark.deliveries = state.deliveries;
  }
  const delivery = state.lastDelivery;
  if (delivery === null) return null;
  if (delivery.isShadow) {
    const key = `${node.id}:${delivery.requestId}`;
    return reportOnce(memory.reported, key, {
      message: `${node.id} was answered with a shadow copy from ${delivery.producer} (request ${delivery.requestId})`,
      nodes: [node.id, delivery.producer],
    });
  }
  let log = memory.answers.get(node.id);
  if (log === undefined) {
    log = newAnswerLog();
    memory.answers.set(node.id, log);
  }
  const first = firstAnswer(log, rememberedRequestsMax, delivery.requestId);
  if (first === undefined) {
    logAnswer(log, rememberedRequestsMax, delivery.requestId, delivery.answerId);
    return null;
  }
  if (first === delivery.answerId) return null; // the network delivered one answer twice
  const key = `${node.id}:${delivery.requestId}`;
  return reportOnce(memory.reported, key, {
    message: `${node.id} got two answers to request ${delivery.requestId} (answers ${first} and ${delivery.answerId}, the second from ${delivery.producer})`,
    nodes: [node.id, delivery.producer],
  });
}

// ---- Safety: nothing routes to a retired legacy ------------------------------------------

export interface RetiredMemory {
  readonly reported: Set<string>;
}

/**
 * Once the facade has decided to retire legacy, no route may use it: every route is fully on
 * new with no shadow, and the facade sends it no call. And legacy never retires unless the
 * facade decided so.
 */
export const retiredLegacyStaysDark: SafetyInvariant<RetiredMemory> = {
  id: 'retired-legacy-gets-no-traffic',
  kind: 'safety',
  description: 'Nothing routes to legacy once it is retired, and it retires only when told',
  createMemory(): RetiredMemory {
    return { reported: new Set() };
  },
  check(world: WorldView, node: NodeView | undefined, memory: RetiredMemory): Violation | null {
    if (node !== undefined && node.id !== facadeId && node.id !== legacyId) return null;
    const durable: FacadeDurable = facadeDurable(world);
    if (legacyDurable(world).isRetired && durable.legacy === 'serving') {
      return reportOnce(memory.reported, 'unasked', {
        message: 'legacy retired while the facade still routes to it',
        nodes: [legacyId, facadeId],
      });
    }
    if (durable.legacy === 'serving') return null;
    if (!isAllOnNew(durable.routes)) {
      const route = durable.routes.findIndex(
        (config) => config.percentNew < 100 || config.isShadow,
      );
      return reportOnce(memory.reported, `route:${route}`, {
        message: `route ${routeNames[route] ?? route} can reach legacy after it was retired`,
        nodes: [facadeId],
      });
    }
    const state = world.node(facadeId).state as FacadeState | undefined;
    if (state !== undefined && state.legacyCallsAfterRetire > 0) {
      return reportOnce(memory.reported, 'calls', {
        message: `the facade sent ${state.legacyCallsAfterRetire} call(s) to retired legacy`,
        nodes: [facadeId, legacyId],
      });
    }
    return null;
  },
};

// ---- Safety: routes on healthy new services stay there -----------------------------------

export interface RollbackMemory {
  /** Per route: the last time (simulated) its new service could legitimately have failed. */
  readonly troubleUs: number[];
  /** Per route: rollbacks already seen. */
  readonly rollbacks: number[];
}

/**
 * "Routes moved to healthy new services stay there", checked as a safety property: a rollback
 * is only allowed with a cause. A route's new service counts as healthy while no fault is in
 * force anywhere (no node down or paused, no partition, no held or changed link) and no fault
 * command has just been applied, it runs a good release, and it is fast enough for the facade's
 * timeout even in the worst case (link latency ±50 % both ways plus its service time ±50 %). A
 * rollback after the service has been healthy for longer than the rollback window plus the
 * call timeout (every failure the facade could still remember is older than that) is a
 * violation. Conservative: any fault anywhere excuses a rollback.
 */
export const rollbackNeedsCause: SafetyInvariant<RollbackMemory> = {
  id: 'rollback-needs-cause',
  kind: 'safety',
  description: 'A route on a healthy new service is never rolled back',
  createMemory(): RollbackMemory {
    return { troubleUs: routeNames.map(() => 0), rollbacks: routeNames.map(() => 0) };
  },
  check(world: WorldView, node: NodeView | undefined, memory: RollbackMemory): Violation | null {
    const now = world.nowUs;
    const isTroubled = world.hasActiveFaults || !isFastEnough(world.params);
    // A fault command marks trouble at its instant even when it healed something.
    const faultChangeUs = world.lastFaultChangeUs;
    for (let route = 0; route < routeCount; route++) {
      const troubleUs = Math.max(memory.troubleUs[route] ?? 0, faultChangeUs);
      const isRouteTroubled = isTroubled || isBuggy(serviceDurable(world, route));
      memory.troubleUs[route] = isRouteTroubled ? now : troubleUs;
    }
    if (node !== undefined && node.id !== facadeId) return null;
    const routes = facadeDurable(world).routes;
    let first: Violation | null = null;
    for (let route = 0; route < routeCount; route++) {
      const count = routes[route]?.rollbacks ?? 0;
      if (count <= (memory.rollbacks[route] ?? 0)) continue;
      memory.rollbacks[route] = count;
      const healthyForUs = now - (memory.troubleUs[route] ?? 0);
      const calmUs =
        paramOf(world, 'rollbackWindowMs') * 1000 +
        paramOf(world, 'callTimeoutMs') * 1000 +
        calmMarginUs;
      if (healthyForUs <= calmUs) continue;
      first ??= {
        message: `route ${routeNames[route] ?? route} was rolled back although ${newServiceId(route)} had been healthy for ${healthyForUs / 1000} ms`,
        nodes: [facadeId, newServiceId(route)],
      };
    }
    return first;
  },
};

/** Slack for the facade's event ordering around the window edge. */
const calmMarginUs = 100_000;

/** `isFastEnough` per parameter set (a new object whenever one changes): it runs every event. */
const fastEnough = new WeakMap<Readonly<Record<string, number>>, boolean>();

/** Whether a healthy new service always answers before the facade's call timeout. */
export function isFastEnough(params: Readonly<Record<string, number>>): boolean {
  let isFast = fastEnough.get(params);
  if (isFast === undefined) {
    const oneWayMs = 1.5 * paramOf({ params }, 'linkLatencyMs');
    const serviceMs = 1.5 * paramOf({ params }, 'newServiceMs');
    isFast = 2 * oneWayMs + serviceMs + 1 < paramOf({ params }, 'callTimeoutMs');
    fastEnough.set(params, isFast);
  }
  return isFast;
}

// ---- Liveness ----------------------------------------------------------------------------

/** Whether some new service that carries traffic runs a buggy release (a scenario fault). */
function hasBugInTraffic(world: WorldView): boolean {
  const routes = facadeDurable(world).routes;
  for (let route = 0; route < routeCount; route++) {
    const config = routes[route];
    if (config !== undefined && usesNew(config) && isBuggy(serviceDurable(world, route))) {
      return true;
    }
  }
  return false;
}

/**
 * Once every fault has healed (and no buggy release carries traffic), requests are answered
 * again: each client's last few outcomes are all good, and every route that gets traffic has a
 * good latest outcome at some client. The bound: requests sent into the faults time out at the
 * client (client timeout); the facade's own timeouts (call timeout); then K + 1 arrivals at
 * twice the mean gap, on the sparsest route or client; plus a second for latency and service.
 */
export const requestsAnswered: LivenessInvariant = {
  id: 'requests-answered',
  kind: 'liveness',
  description: 'After faults heal, every client and every route gets good answers again',
  boundUs(params: Readonly<Record<string, number>>): number {
    const clientUs = paramOf({ params }, 'clientTimeoutMs') * 1000;
    const callUs = paramOf({ params }, 'callTimeoutMs') * 1000;
    const gapUs = sparsestGapUs(params);
    return Math.round(clientUs + callUs + 2 * (recentOutcomesMax + 1) * gapUs + 1_000_000);
  },
  isExpected(world: WorldView): boolean {
    return !world.hasActiveFaults && !hasBugInTraffic(world);
  },
  holds(world: WorldView): boolean {
    const weights = routeMixParams.map((key) => Math.round(paramOf(world, key)));
    if (weights.every((weight) => weight <= 0)) return true;
    const clients = clientsOf(world);
    const isEachClientServed = clients.every(
      (client) =>
        client.state !== undefined &&
        client.state.recent.length >= recentOutcomesMax &&
        client.state.recent.every((isGood) => isGood),
    );
    if (!isEachClientServed) return false;
    return weights.every(
      (weight, route) =>
        weight <= 0 || clients.some((client) => client.state?.lastByRoute[route] === true),
    );
  },
};

/** The mean gap between requests of one client, or of all clients for the lightest route. */
function sparsestGapUs(params: Readonly<Record<string, number>>): number {
  const rate = Math.max(1, paramOf({ params }, 'requestRatePerS'));
  const clients = countParam({ params }, 'clientCount');
  const weights = routeMixParams.map((key) => Math.max(0, Math.round(paramOf({ params }, key))));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const lightest = Math.min(...weights.filter((weight) => weight > 0));
  const routeRate = total === 0 ? rate : (clients * rate * lightest) / total;
  return 1_000_000 / Math.min(rate, routeRate);
}

/**
 * Once every route is fully on new (no canary, no shadow) and faults have healed, legacy is
 * retired: the facade decides after the quiet period (checked every housekeeping interval) and
 * the monolith acknowledges. Bound: the quiet period, a pending legacy call timing out, two
 * housekeeping rounds (the decision and one resend), the round trip, and a second of slack.
 */
export const legacyRetiredWhenIdle: LivenessInvariant = {
  id: 'legacy-retired-when-idle',
  kind: 'liveness',
  description: 'With every route on new, legacy is retired after the quiet period',
  boundUs(params: Readonly<Record<string, number>>): number {
    const quietUs = paramOf({ params }, 'retireQuietS') * 1_000_000;
    const callUs = paramOf({ params }, 'callTimeoutMs') * 1000;
    const roundTripUs = 3 * paramOf({ params }, 'linkLatencyMs') * 1000;
    return Math.round(quietUs + callUs + 2 * facadeHousekeepingUs + roundTripUs + 1_000_000);
  },
  isExpected(world: WorldView): boolean {
    return !world.hasActiveFaults && isAllOnNew(facadeDurable(world).routes);
  },
  holds: isLegacyRetired,
};

// ---- Helpers -----------------------------------------------------------------------------

function reportOnce(reported: Set<string>, key: string, violation: Violation): Violation | null {
  if (reported.has(key)) return null;
  if (reported.size >= reportedViolationsMax) forgetOldest(reported);
  reported.add(key);
  return violation;
}

/** Drops the first-inserted key (Map and Set iterate in insertion order). */
function forgetOldest<K>(collection: { keys(): Iterator<K>; delete(key: K): boolean }): void {
  const oldest = collection.keys().next();
  if (oldest.done !== true) collection.delete(oldest.value);
}

export const stranglerFigInvariants = [
  oneAnswerPerRequest,
  retiredLegacyStaysDark,
  rollbackNeedsCause,
  requestsAnswered,
  legacyRetiredWhenIdle,
];
