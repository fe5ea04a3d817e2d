import type { NodeContext, NodeId } from '../../engine/types.ts';
import { paramReader } from '../kit/params.ts';
import { stranglerFigParams } from './params.ts';

/** Typed readers of the parameters. */
export const { paramOf, msParamUs, secondsParamUs, countParam } = paramReader(
  'strangler-fig',
  stranglerFigParams,
);

/**
 * Messages, roles and shared rules of the strangler fig scenario. Clients talk only to the
 * facade; the facade talks to the legacy monolith and to one new service per capability
 * ("route"). Every answer is tagged with the node that produced it and whether it was a shadow
 * copy, so the invariants can tell who answered what.
 */

/** The capabilities being migrated, one route and one new service each, in a fixed order. */
export const routeNames = ['catalog', 'orders', 'payments', 'accounts'] as const;
export type RouteName = (typeof routeNames)[number];
export const routeCount = routeNames.length;

/** The workload parameter that weighs each route, in route order. */
export const routeMixParams: readonly (keyof typeof stranglerFigParams)[] = [
  'mixCatalog',
  'mixOrders',
  'mixPayments',
  'mixAccounts',
];

export const clientRole = 'client';
export const facadeRole = 'facade';
export const legacyRole = 'legacy';
export const newRole = 'new';

/**
 * The ids of the operator's controls and the release faults (controls.ts, backend.ts declare
 * and handle them). They live here so the storyline can name them without an import cycle.
 */
export const setRouteControl = 'set-route';
export const moveRouteControl = 'move-route';
export const moveAllControl = 'move-all-routes';
export const buggyReleaseFault = 'buggy-release';
export const fixReleaseControl = 'fix-release';

export const facadeId: NodeId = 'facade';
export const legacyId: NodeId = 'legacy';

/** The new services' ids in route order, built once: invariants look them up after every event. */
const serviceIds: readonly NodeId[] = routeNames.map((name) => `new-${name}`);

/** The new service that implements route `route` (0-based). */
export function newServiceId(route: number): NodeId {
  return serviceIds[route] ?? `new-${String(route)}`;
}

/** Items per route: a request asks about item `key` in 1…keyCount (the price of item k). */
export const keyCount = 1000;
/** Users are numbered `clientIndex × usersMax + user`, so ids never collide between clients. */
export const usersMax = 100;

/** A client asks the facade for the answer to (route, key) on behalf of one of its users. */
export interface RequestMessage {
  readonly type: 'Request';
  readonly requestId: number;
  readonly route: number;
  readonly key: number;
  readonly userId: number;
}

/** How a request ended, as the facade reports it. */
export type Outcome = 'ok' | 'error' | 'timeout';

/**
 * The facade's one answer to a request. `answerId` names the answer (unique per facade boot),
 * so a network duplicate of one answer can be told from a second answer.
 */
export interface ResponseMessage {
  readonly type: 'Response';
  readonly requestId: number;
  readonly answerId: string;
  readonly outcome: Outcome;
  readonly value: number | null;
  /** The node whose answer this is: `legacy`, a new service, or the facade for a timeout. */
  readonly producer: NodeId;
  /** True only if a shadow copy was passed on: the safety invariant forbids it. */
  readonly isShadow: boolean;
}

export type ClientMessage = RequestMessage | ResponseMessage;

/** The facade asks a back end for the answer that will be served. */
export interface CallMessage {
  readonly type: 'Call';
  readonly callId: number;
  readonly route: number;
  readonly key: number;
}

/** A copy of a served call sent to the new service only to compare its answer. */
export interface ShadowCallMessage {
  readonly type: 'ShadowCall';
  readonly callId: number;
  readonly route: number;
  readonly key: number;
}

/** A back end's answer to a Call. */
export interface ReplyMessage {
  readonly type: 'Reply';
  readonly callId: number;
  readonly isError: boolean;
  readonly value: number | null;
  readonly producer: NodeId;
}

/** A new service's answer to a ShadowCall. */
export interface ShadowReplyMessage {
  readonly type: 'ShadowReply';
  readonly callId: number;
  readonly isError: boolean;
  readonly value: number | null;
  readonly producer: NodeId;
}

/** The facade tells the idle monolith to shut down for good. */
export interface RetireMessage {
  readonly type: 'Retire';
}

/** The monolith confirms it has shut down (sent again for every repeated Retire). */
export interface RetireAckMessage {
  readonly type: 'RetireAck';
}

export type BackendMessage =
  | CallMessage
  | ShadowCallMessage
  | ReplyMessage
  | ShadowReplyMessage
  | RetireMessage
  | RetireAckMessage;

export type StranglerMessage = ClientMessage | BackendMessage;

/** Every message type of the scenario (the view hints colour each one). */
export const messageTypes = [
  'Request',
  'Response',
  'Call',
  'Reply',
  'ShadowCall',
  'ShadowReply',
  'Retire',
  'RetireAck',
] as const satisfies readonly StranglerMessage['type'][];

/**
 * A 32-bit integer mixer (the finaliser of MurmurHash3): integer operations only, so it gives
 * the same bits on every engine.
 */
export function mix32(input: number): number {
  let h = input | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The correct answer to (route, key), say the price of item `key` in cents: a fixed function
 * of the request, the same for legacy and a correct new service. That is what lets the facade
 * compare a shadow answer with legacy's, and lets the clients (as a test oracle) tell a wrong
 * answer from a right one.
 */
export function answerOf(route: number, key: number): number {
  return 100 + (mix32(route * 100_003 + key) % 99_900);
}

/** The canary bucket of a user, 0–99: a route at p % sends users in buckets below p to new. */
export function cohortOf(userId: number): number {
  return mix32(userId * 7919 + 17) % 100;
}

/** A service time draw: uniform in [0.5, 1.5] × the mean, in whole microseconds. */
export function serviceTimeUs(ctx: Pick<NodeContext, 'params' | 'random'>, meanMs: number): number {
  const meanUs = Math.max(1, Math.round(meanMs * 1000));
  return ctx.random.intBetween(Math.round(meanUs / 2), Math.round((meanUs * 3) / 2));
}
