import type {
  Behaviour,
  LivenessInvariant,
  Message,
  NodeSummary,
  NodeView,
  ParamSpec,
  SafetyInvariant,
  Topology,
  Variant,
  WorldView,
} from '../../engine/types.ts';
import { defineScenario } from '../define.ts';

/*
 * A TEST FIXTURE, not a lesson: a bug planted on purpose so that the explore-seeds batch (and its
 * tests) has something real to find. Hidden: loadable by id (`planted-violation`), never listed.
 *
 * A primary hands out counter values (think: order numbers) and replicates each one to a backup,
 * which keeps the highest it has seen and acknowledges it. The planted bug [1] is a write-behind
 * save: the primary writes its counter to disk `flushDelayMs` after issuing a value, not before.
 * A crash of the primary inside that window loses the save, so after the restart it resumes from
 * the older value on disk [2] and issues a value it already handed out: the safety invariant [3]
 * catches it. A crash at any other moment is harmless, so a chaos batch violates on some seeds and
 * not on others (with the defaults the window is a quarter of each increment interval). The
 * baseline is the fix [4]: save before replicating (write-ahead), which never issues a value twice.
 */

export const plantedViolationParams = {
  incrementIntervalMs: {
    label: 'Increment interval',
    default: 200,
    min: 10,
    max: 5000,
    step: 10,
    unit: 'ms',
    help: 'The primary issues the next counter value this often.',
  },
  flushDelayMs: {
    label: 'Save delay',
    default: 50,
    min: 1,
    max: 5000,
    step: 1,
    unit: 'ms',
    help: 'How long after issuing a value the primary saves it to disk (the planted bug: a crash in this window reissues the value). Keep it below the increment interval.',
  },
  linkLatencyMs: {
    label: 'Link latency',
    default: 5,
    min: 1,
    max: 500,
    step: 1,
    unit: 'ms',
    help: 'Mean one-way latency; each message takes between half and one and a half times it.',
  },
} satisfies Record<string, ParamSpec>;

type ParamKey = keyof typeof plantedViolationParams;

function paramOf(params: Readonly<Record<string, number>>, key: ParamKey): number {
  return params[key] ?? plantedViolationParams[key].default;
}

/** Short ids: the topology draws the id inside the node. */
export const primaryId = 'p1';
export const backupId = 'b1';

/** The primary's new value for the backup, and the backup's acknowledgement. */
interface CounterMessage extends Message {
  readonly type: 'Replicate' | 'Ack';
  readonly value: number;
}

export interface PrimaryState {
  /** The last value issued (or, before the first issue of this incarnation, the saved one). */
  readonly value: number;
  /** Values issued since this incarnation started. */
  readonly issuedSinceStart: number;
  /** The highest value the backup has acknowledged. */
  readonly acked: number;
  /** Starts so far, this one included: tells one incarnation's issues from the next one's. */
  readonly incarnation: number;
}

interface PrimaryDurable {
  /** The counter as last saved to disk. */
  readonly saved: number;
  readonly starts: number;
}

export interface BackupState {
  readonly value: number;
}

interface BackupDurable {
  readonly value: number;
}

const summaryOf = (label: string, value: number): NodeSummary => ({
  label,
  badge: `value ${value}`,
  health: 'ok',
});

/** The primary; `isWriteAhead` selects the fixed rule (the baseline). */
function primaryBehaviour(
  isWriteAhead: boolean,
): Behaviour<PrimaryState, CounterMessage, PrimaryDurable> {
  return {
    initialDurable: () => ({ saved: 0, starts: 0 }),
    init(ctx) {
      const starts = ctx.durable.starts + 1;
      ctx.persist({ saved: ctx.durable.saved, starts });
      ctx.setTimer('increment', paramOf(ctx.params, 'incrementIntervalMs') * 1000);
      // [2] The restart trusts the disk: a value issued but not yet saved is issued again.
      return { value: ctx.durable.saved, issuedSinceStart: 0, acked: 0, incarnation: starts };
    },
    receive(state, event, ctx) {
      switch (event.kind) {
        case 'timer': {
          if (event.name === 'flush') {
            ctx.persist({ saved: state.value, starts: ctx.durable.starts });
            return state;
          }
          const value = state.value + 1;
          if (isWriteAhead) {
            // [4] The fix: the value is on disk before anyone can see it.
            ctx.persist({ saved: value, starts: ctx.durable.starts });
          } else {
            // [1] The planted bug: save later, "to batch disk writes".
            ctx.setTimer('flush', paramOf(ctx.params, 'flushDelayMs') * 1000);
          }
          ctx.send(backupId, { type: 'Replicate', value });
          ctx.setTimer('increment', paramOf(ctx.params, 'incrementIntervalMs') * 1000);
          ctx.metric('issued', value);
          ctx.metric('unacked', value - state.acked);
          return { ...state, value, issuedSinceStart: state.issuedSinceStart + 1 };
        }
        case 'message':
          if (event.message.type !== 'Ack') return state;
          return { ...state, acked: Math.max(state.acked, event.message.value) };
        case 'fault':
          return state;
      }
    },
    summarize: (state) => summaryOf('primary', state.value),
  };
}

/** The backup keeps the highest value it has been sent, on disk, and acknowledges each one. */
const backupBehaviour: Behaviour<BackupState, CounterMessage, BackupDurable> = {
  initialDurable: () => ({ value: 0 }),
  init: (ctx) => ({ value: ctx.durable.value }),
  receive(state, event, ctx) {
    if (event.kind !== 'message' || event.message.type !== 'Replicate') return state;
    const value = Math.max(state.value, event.message.value);
    ctx.persist({ value });
    ctx.send(event.from, { type: 'Ack', value: event.message.value });
    ctx.metric('backup-value', value);
    return { value };
  },
  summarize: (state) => summaryOf('backup', state.value),
};

const writeBehindPrimary = primaryBehaviour(false);
const writeAheadPrimary = primaryBehaviour(true);

function buildTopology(params: Readonly<Record<string, number>>, variant: Variant): Topology {
  const meanUs = paramOf(params, 'linkLatencyMs') * 1000;
  return {
    nodes: [
      {
        id: primaryId,
        role: 'primary',
        behaviour: variant === 'pattern' ? writeBehindPrimary : writeAheadPrimary,
        layout: { x: 0.3, y: 0.5 },
      },
      { id: backupId, role: 'backup', behaviour: backupBehaviour, layout: { x: 0.7, y: 0.5 } },
    ],
    links: 'full',
    linkConfig: {
      latency: { kind: 'uniform', minUs: Math.round(meanUs / 2), maxUs: Math.round(meanUs * 1.5) },
      lossProbability: 0,
      duplicateProbability: 0,
    },
  };
}

function primaryStateOf(world: WorldView): PrimaryState | undefined {
  return world.node(primaryId).state as PrimaryState | undefined;
}

export interface NoReissueMemory {
  /** The highest value issued so far in the run. */
  highest: number;
  /** The last issue seen, as (incarnation, issues in it), so each issue is checked once. */
  incarnation: number;
  issuedSinceStart: number;
}

/**
 * [3] Every value is issued at most once: each new issue (a new count in the primary's current
 * incarnation) must be above every value issued before, in any incarnation.
 */
const noValueIssuedTwice: SafetyInvariant<NoReissueMemory> = {
  id: 'no-value-issued-twice',
  kind: 'safety',
  description: 'The primary never issues the same counter value twice',
  createMemory: () => ({ highest: 0, incarnation: 0, issuedSinceStart: 0 }),
  check(world: WorldView, _node: NodeView | undefined, memory: NoReissueMemory) {
    const state = primaryStateOf(world);
    if (state === undefined || state.issuedSinceStart === 0) return null;
    if (
      state.incarnation === memory.incarnation &&
      state.issuedSinceStart === memory.issuedSinceStart
    ) {
      return null;
    }
    memory.incarnation = state.incarnation;
    memory.issuedSinceStart = state.issuedSinceStart;
    const highest = memory.highest;
    memory.highest = Math.max(highest, state.value);
    if (state.value > highest) return null;
    return {
      message: `the primary issued ${state.value} again: every value up to ${highest} was already issued`,
      nodes: [primaryId],
    };
  },
};

/** Once faults heal, the backup holds the primary's latest value within two increments. */
const backupCatchesUp: LivenessInvariant = {
  id: 'backup-catches-up',
  kind: 'liveness',
  description: "Once faults heal, the backup holds the primary's latest value",
  boundUs: (params) => 2 * paramOf(params, 'incrementIntervalMs') * 1000,
  isExpected: (world) => !world.hasActiveFaults,
  holds(world) {
    const primary = primaryStateOf(world);
    const backup = world.node(backupId).state as BackupState | undefined;
    return primary !== undefined && backup !== undefined && backup.value >= primary.value;
  },
};

export const plantedViolation = defineScenario({
  id: 'planted-violation',
  version: 1,
  title: 'Planted violation (test fixture)',
  summary:
    'Test fixture: a primary issues counter values and saves them to disk a little later; a crash in that window makes it issue a value twice.',
  params: plantedViolationParams,
  baselineLabel: 'Write-ahead (fixed)',
  baselineSummary:
    'The primary saves each value before replicating it, so a crash never makes it issue a value twice.',
  topology: buildTopology,
  metrics: [
    {
      name: 'issued',
      unit: '',
      description: 'The last counter value the primary issued',
      aggregate: 'last',
    },
    {
      name: 'backup-value',
      unit: '',
      description: 'The highest value the backup holds',
      aggregate: 'last',
    },
    {
      name: 'unacked',
      unit: 'values',
      description: 'Values issued but not yet acknowledged by the backup, at each issue',
      aggregate: 'max',
    },
  ],
  invariants: [noValueIssuedTwice, backupCatchesUp],
  faults: [],
  tour: [],
  defaultDurationMs: 10_000,
  isHidden: true,
});
