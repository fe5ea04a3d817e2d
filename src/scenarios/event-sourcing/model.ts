import type {
  Behaviour,
  NodeId,
  ScenarioFaultSpec,
  Topology,
  TopologyNode,
  Variant,
} from '../../engine/types.ts';
import { defineScenario } from '../define.ts';
import { clientBehaviour } from './client.ts';
import { crudStoreBehaviour } from './crudStore.ts';
import { type EventStoreConfig, type EventStoreMode, eventStoreBehaviour } from './eventStore.ts';
import { handlerBehaviour } from './handler.ts';
import { projectionEqualsFold, replayEqualsLive } from './foldInvariants.ts';
import { eventSourcingInstrument } from './instrument.ts';
import { gapTimeoutUs, projectionsCatchUp, streamVersionsContiguous } from './invariants.ts';
import { eventSourcingMoments } from './moments.ts';
import { eventSourcingMetrics, eventSourcingMonitor } from './monitor.ts';
import { eventSourcingParams } from './params.ts';
import {
  type ProjectionConfig,
  type ProjectionDefinition,
  type ProjectionMode,
  projectionBehaviour,
} from './projection.ts';
import {
  auditId,
  balancesId,
  clientIdsFor,
  clientRole,
  countParam,
  crudStoreId,
  crudStoreRole,
  eventStoreId,
  eventStoreRole,
  handlerIdsFor,
  handlerRole,
  msParamUs,
  paramOf,
  projectionRole,
} from './protocol.ts';
import { eventSourcingTour } from './tour.ts';
import { auditView, balancesView } from './views.ts';
import { jitteredLink } from '../kit/links.ts';

type Params = Readonly<Record<string, number>>;

/** The event store as this scenario runs it: its speed comes from the parameters. */
export function eventSourcingStoreConfig(mode: EventStoreMode = 'append-only'): EventStoreConfig {
  return {
    mode,
    settings: (params) => ({
      requestUs: msParamUs({ params }, 'storeOpMs'),
      readUsPerEvent: paramOf({ params }, 'readUsPerEvent'),
      batchMax: countParam({ params }, 'batchMax'),
    }),
  };
}

/** A projection as this scenario runs it. */
export function eventSourcingProjectionConfig<M>(
  definition: ProjectionDefinition<M>,
  mode: ProjectionMode = 'ordered',
): ProjectionConfig<M> {
  return {
    definition,
    storeRole: eventStoreRole,
    mode,
    settings: (params) => ({
      resubscribeUs: msParamUs({ params }, 'resubscribeMs'),
      gapTimeoutUs: gapTimeoutUs(params),
      checkpointEvery: countParam({ params }, 'projectionCheckpointEvery', 0),
    }),
  };
}

/** Behaviours to run instead of the scenario's own (the tests' deliberately broken ones). */
export interface BehaviourOverrides {
  readonly store?: Behaviour;
  readonly handler?: Behaviour;
  readonly projection?: Behaviour;
}

const patternStore = eventStoreBehaviour(eventSourcingStoreConfig());
const patternHandler = handlerBehaviour('event-sourced');
const crudHandler = handlerBehaviour('crud');
const balancesProjection = projectionBehaviour(eventSourcingProjectionConfig(balancesView));
const auditProjection = projectionBehaviour(eventSourcingProjectionConfig(auditView));

export function clientCountOf(params: Params): number {
  const { min, max } = eventSourcingParams.clientCount;
  return Math.min(max, Math.max(min, countParam({ params }, 'clientCount')));
}

export function handlerCountOf(params: Params): number {
  const { min, max } = eventSourcingParams.handlerCount;
  return Math.min(max, Math.max(min, countParam({ params }, 'handlerCount')));
}

/** Evenly spread heights for `count` nodes in a column. */
function column(count: number): number[] {
  return Array.from({ length: count }, (_, index) => (index + 1) / (count + 1));
}

/**
 * Clients on the left, command handlers next, the store in the middle of the right half, and
 * the projections on the far right (the baseline has a CRUD store and no projections). Links
 * exist where messages flow: every client to every handler, every handler to the store, the
 * store to every projection.
 */
export function buildTopology(
  params: Params,
  variant: Variant,
  overrides: BehaviourOverrides = {},
): Topology {
  const clientIds = clientIdsFor(clientCountOf(params));
  const handlerIds = handlerIdsFor(handlerCountOf(params));
  const isPattern = variant === 'pattern';
  const storeId = isPattern ? eventStoreId : crudStoreId;
  // Handlers spread wider than clients, so a client's label and a handler's are never side by side.
  const clientHeights = column(clientIds.length).map((y) => y * 1.2 - 0.1);
  const handlerHeights = column(handlerIds.length).map((y) => y * 2 - 0.5);
  const nodes: TopologyNode[] = [
    ...clientIds.map((id, index) => ({
      id,
      role: clientRole,
      behaviour: clientBehaviour,
      layout: { x: 0.08, y: clientHeights[index] ?? 0.5 },
    })),
    ...handlerIds.map((id, index) => ({
      id,
      role: handlerRole,
      behaviour: overrides.handler ?? (isPattern ? patternHandler : crudHandler),
      layout: { x: 0.36, y: handlerHeights[index] ?? 0.5 },
    })),
    {
      id: storeId,
      role: isPattern ? eventStoreRole : crudStoreRole,
      behaviour: isPattern ? (overrides.store ?? patternStore) : crudStoreBehaviour,
      layout: { x: 0.64, y: 0.5 },
    },
  ];
  if (isPattern) {
    nodes.push(
      {
        id: balancesId,
        role: projectionRole,
        behaviour: overrides.projection ?? balancesProjection,
        layout: { x: 0.9, y: 0.3 },
      },
      {
        id: auditId,
        role: projectionRole,
        behaviour: auditProjection,
        layout: { x: 0.9, y: 0.7 },
      },
    );
  }
  const links: (readonly [NodeId, NodeId])[] = [
    ...clientIds.flatMap((client) => handlerIds.map((handler) => [client, handler] as const)),
    ...handlerIds.map((handler) => [handler, storeId] as const),
    ...(isPattern
      ? [balancesId, auditId].map((projection) => [eventStoreId, projection] as const)
      : []),
  ];
  return { nodes, links, linkConfig: jitteredLink(paramOf({ params }, 'linkLatencyMs')) };
}

const storeRoles = [eventStoreRole, crudStoreRole];

/** The store's faults, the projections' fault and control, and the operators' controls. */
export const eventSourcingFaults: readonly ScenarioFaultSpec[] = [
  {
    id: 'slow-store',
    label: 'Slow store',
    help: 'The store takes this many times longer per request (a slow disk) until it recovers or restarts.',
    roles: storeRoles,
    args: {
      factor: {
        label: 'Slowdown',
        default: 20,
        min: 2,
        max: 100,
        step: 1,
        unit: '×',
        help: 'How many times slower each load, append or write becomes.',
      },
    },
  },
  {
    id: 'recover-store',
    label: 'Store back to normal',
    help: 'The store works at normal speed again.',
    roles: storeRoles,
    args: {},
  },
  {
    id: 'corrupt-projection',
    label: 'Corrupt projection',
    help: 'The projection’s read store is lost, checkpoint included: it drops its view and rebuilds it from the log.',
    roles: [projectionRole],
    args: {},
  },
  {
    id: 'rebuild-projection',
    kind: 'control',
    label: 'Rebuild projection',
    help: 'The operator wipes the projection and replays the whole log into it (as after changing its code).',
    roles: [projectionRole],
    args: {},
  },
  {
    id: 'race',
    kind: 'control',
    label: 'Race two commands',
    help: 'This client sends two deposits on acct-1 at the same instant, one to each handler: one append wins, the other conflicts and retries (with one handler, both go to it and wait their turn).',
    roles: [clientRole],
    args: {
      amount: {
        label: 'Amount',
        default: 10,
        min: 1,
        max: 1000,
        step: 1,
        unit: '€',
        help: 'Each deposit’s amount.',
      },
    },
  },
  {
    id: 'as-of',
    kind: 'control',
    label: 'Show account as of…',
    help: 'This handler replays an account’s stream up to a version and shows the balance then, and who changed it (see its state).',
    roles: [handlerRole],
    args: {
      account: {
        label: 'Account',
        default: 1,
        min: 1,
        max: 16,
        step: 1,
        unit: '',
        help: 'Which account (acct-N).',
      },
      version: {
        label: 'Version',
        default: 5,
        min: 0,
        max: 100_000,
        step: 1,
        unit: '',
        help: 'Replay up to this version (0: the latest).',
      },
    },
  },
];

export const eventSourcing = defineScenario({
  id: 'event-sourcing',
  version: 1,
  title: 'Event Sourcing',
  summary:
    'State is never updated in place: every change is an event appended to a log, and state is the fold ' +
    'of the events. Optimistic concurrency settles races, projections are rebuilt from the log at will, ' +
    'snapshots keep replays short, and any account can be seen as of any past version.',
  params: eventSourcingParams,
  baselineLabel: 'CRUD store',
  baselineSummary:
    'A table of balances overwritten in place: as safe against lost updates, but the history is gone, so "what was the balance then, and who changed it?" has no answer.',
  topology: (params, variant) => buildTopology(params, variant),
  metrics: eventSourcingMetrics,
  monitor: eventSourcingMonitor,
  moments: eventSourcingMoments,
  invariants: [
    streamVersionsContiguous,
    replayEqualsLive,
    projectionEqualsFold,
    projectionsCatchUp,
  ],
  faults: eventSourcingFaults,
  tour: eventSourcingTour,
  instrument: eventSourcingInstrument,
  // Writers collide from the first seconds: a conflict is retried at about 6 s.
  defaultSpeed: 1,
  defaultDurationMs: 60_000,
});
