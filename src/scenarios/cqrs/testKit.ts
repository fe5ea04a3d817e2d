import type { Simulation } from '../../engine/simulation.ts';
import type {
  Behaviour,
  Command,
  Message,
  NodeContext,
  NodeId,
  ScenarioModel,
  WorldView,
} from '../../engine/types.ts';
import {
  paramsWithDefaults,
  type RunSpec,
  runUntilMet,
  samplesOf,
  startRun,
  withWrappedRole,
} from '../testing/runKit.ts';
import { readModelsConverge } from './invariants.ts';
import { cqrs } from './model.ts';
import { cqrsParams } from './params.ts';
import { balancerId, clientRole } from './protocol.ts';

export {
  invariantOf as invariant,
  metricOf as metric,
  reproduction,
  runFor,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until something
 * happens, and read results from the world, the metrics and the invariants. The tap records what
 * the clients sent and received, for the independent recount of stale reads.
 */

export interface RunOptions extends RunSpec {
  /** Records every client's sends and receipts (see `recountReads`). */
  readonly tap?: Tap;
  /** A model to run instead of the scenario (e.g. one with a deliberately broken behaviour). */
  readonly model?: ScenarioModel;
}

/** Trace events kept in test runs: every event of the longest run the tests make. */
export const testTraceWindowMax = 400_000;

export function start(seed: number, options: RunOptions = {}): Simulation {
  const tap = options.tap;
  const base = options.model ?? cqrs;
  const model = tap === undefined ? base : tapped(base, tap);
  const sim = startRun(model, seed, {
    ...options,
    scenario: cqrs,
    traceWindowMax: testTraceWindowMax,
  });
  if (tap !== undefined) tap.sim = sim;
  return sim;
}

export const sliceUs = 50_000;

/** Runs in slices until `isMet` or `limitMs` passes; whether it was met. */
export function runUntil(
  sim: Simulation,
  isMet: (world: WorldView) => boolean,
  limitMs: number,
): boolean {
  return runUntilMet(sim, isMet, limitMs, sliceUs);
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(cqrsParams, params);
}

/** The convergence bound for these parameters, in ms (what the scenario itself promises). */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return readModelsConverge.boundUs(defaultsWith(params)) / 1000;
}

/** Values of every sample of a metric recorded at or after `sinceUs`, from the trace. */
export function samples(sim: Simulation, name: string, sinceUs = 0): number[] {
  if (sim.traceCount > testTraceWindowMax) throw new Error('the trace window lost events');
  return samplesOf(sim, name, sinceUs);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export const control = (fault: 'add-replica' | 'remove-replica'): Command => ({
  type: 'scenario.fault',
  fault,
  node: balancerId,
});

// ---- The tap and the independent recount of stale reads ----------------------------------------

/** Something a client did or got, in the order the simulation processed it. */
export type ClientRecord =
  | { readonly kind: 'ack'; readonly client: NodeId; readonly position: number }
  | { readonly kind: 'issue'; readonly client: NodeId; readonly readId: number }
  | {
      readonly kind: 'reply';
      readonly client: NodeId;
      readonly readId: number;
      readonly isOk: boolean;
      readonly applied: number;
    }
  | { readonly kind: 'timeout'; readonly client: NodeId; readonly readId: number };

export interface Tap {
  sim: Simulation | null;
  readonly records: ClientRecord[];
}

export function newTap(): Tap {
  return { sim: null, records: [] };
}

/**
 * The scenario with every client wrapped: the wrapper notes each WriteAck and ReadReply the
 * client receives, each read-timeout timer that fires, and each Read it sends (by wrapping
 * `ctx.send`), from the messages themselves, not from the client's bookkeeping. It changes
 * nothing the client does.
 */
function tapped(model: ScenarioModel, tap: Tap): ScenarioModel {
  return withWrappedRole(model, clientRole, (behaviour) => wrap(behaviour, tap));
}

function tappedContext(ctx: NodeContext, tap: Tap): NodeContext {
  const send = (to: NodeId, message: Message): void => {
    const read = message as { type: string; readId?: number };
    if (read.type === 'Read') {
      tap.records.push({ kind: 'issue', client: ctx.self, readId: read.readId ?? -1 });
    }
    ctx.send(to, message);
  };
  return new Proxy(ctx, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

function wrap(inner: Behaviour, tap: Tap): Behaviour {
  return {
    initialDurable: (id) => inner.initialDurable(id),
    init: (ctx) => inner.init(tappedContext(ctx, tap)),
    summarize: (state, durable) => inner.summarize(state, durable),
    receive(state, event, ctx) {
      const client = ctx.self;
      if (event.kind === 'message') {
        const message = event.message as {
          type: string;
          position?: number;
          readId?: number;
          outcome?: string;
          applied?: number;
        };
        if (message.type === 'WriteAck') {
          tap.records.push({ kind: 'ack', client, position: message.position ?? 0 });
        } else if (message.type === 'ReadReply') {
          tap.records.push({
            kind: 'reply',
            client,
            readId: message.readId ?? -1,
            isOk: message.outcome === 'ok',
            applied: message.applied ?? 0,
          });
        }
      } else if (event.kind === 'timer' && event.name.startsWith('read:')) {
        tap.records.push({ kind: 'timeout', client, readId: Number(event.name.slice(5)) });
      }
      return inner.receive(state, event, tappedContext(ctx, tap));
    },
  };
}

/**
 * The independent recount: walks the records in processing order, keeping the highest position
 * acknowledged to anyone and to each client. A read counts when its first answer is ok and
 * arrives before its timeout fired; it is stale if its applied position is below the highest
 * acknowledged position when it was issued, and a read-your-own-writes violation if below the
 * client's own.
 */
export function recountReads(tap: Tap): { ok: number; stale: number; ryow: number } {
  let head = 0;
  const own = new Map<NodeId, number>();
  const issued = new Map<string, { head: number; own: number }>();
  let ok = 0;
  let stale = 0;
  let ryow = 0;
  for (const record of tap.records) {
    switch (record.kind) {
      case 'ack':
        head = Math.max(head, record.position);
        own.set(record.client, Math.max(own.get(record.client) ?? 0, record.position));
        break;
      case 'issue':
        issued.set(`${record.client}#${record.readId}`, { head, own: own.get(record.client) ?? 0 });
        break;
      case 'timeout':
        issued.delete(`${record.client}#${record.readId}`);
        break;
      case 'reply': {
        const key = `${record.client}#${record.readId}`;
        const at = issued.get(key);
        if (at === undefined) break;
        issued.delete(key);
        if (!record.isOk) break;
        ok++;
        if (record.applied < at.head) stale++;
        if (record.applied < at.own) ryow++;
        break;
      }
      default: {
        const unknown: never = record;
        throw new Error(`unknown record ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { ok, stale, ryow };
}
