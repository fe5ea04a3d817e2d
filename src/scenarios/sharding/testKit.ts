import type { Simulation } from '../../engine/simulation.ts';
import type { Behaviour, Command, NodeId, ScenarioModel } from '../../engine/types.ts';
import {
  paramsWithDefaults,
  type RunSpec,
  runUntilMet,
  samplesOf,
  startRun,
  withWrappedRole as withRoleOf,
} from '../testing/runKit.ts';
import { placementConverges } from './invariants.ts';
import { sharding } from './model.ts';
import { shardingParams } from './params.ts';
import {
  addShardControl,
  clientRole,
  removeShardControl,
  type ReplyMessage,
  type ReplyStatus,
  routerId,
} from './protocol.ts';
import { isPlacementSettled } from './world.ts';

export {
  declaredMetricFinal as metricFinal,
  declaredMetricOf as metric,
  invariantOf as invariant,
  reproduction,
  runFor,
  violatedSafetyInvariants as safetyViolations,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until
 * something happens, and read results from the world, the metrics, the invariants and the trace.
 */

export interface RunOptions extends RunSpec {
  /** A different model (a deliberately broken one, in the invariant tests). */
  readonly model?: ScenarioModel;
  /** Trace events to keep for inspection (the engine's default keeps the last 20,000). */
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  return startRun(options.model ?? sharding, seed, options);
}

export const sliceUs = 50_000;

/** The storyline (storyline.ts) turned off: the operator-less run of version 1. */
export const storylineOff: Readonly<Record<string, number>> = { storylineStartS: 0 };

/** Runs in slices until `isDone` holds; true if it did within `limitMs`. */
export function runUntil(sim: Simulation, isDone: () => boolean, limitMs: number): boolean {
  return runUntilMet(sim, isDone, limitMs, sliceUs);
}

/** Runs until placement has settled (no rebalance, every key on its owner); true if it did. */
export function runUntilSettled(sim: Simulation, limitMs: number): boolean {
  return runUntil(sim, () => isPlacementSettled(sim), limitMs);
}

export function control(kind: 'add' | 'remove'): Command {
  return {
    type: 'scenario.fault',
    fault: kind === 'add' ? addShardControl : removeShardControl,
    node: routerId,
  };
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  return paramsWithDefaults(shardingParams, params);
}

/** The liveness bound for these parameters, in ms (what the scenario itself promises). */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return placementConverges.boundUs(defaultsWith(params)) / 1000;
}

/** Samples of a metric from the trace window, in order. */
export function samples(sim: Simulation, name: string, sinceUs = 0): number[] {
  return samplesOf(sim, name, sinceUs);
}

/** A copy of the scenario whose nodes of `role` run `wrap(behaviour)` instead. */
export function withWrappedRole(
  role: string,
  wrap: (behaviour: Behaviour) => Behaviour,
): ScenarioModel {
  return withRoleOf(sharding, role, wrap);
}

/** How one request attempt ended, as a client saw it. */
export interface Outcome {
  readonly atUs: number;
  readonly client: NodeId;
  readonly key: number;
  readonly status: ReplyStatus;
  readonly isFromReplica: boolean;
  readonly value: number;
}

/**
 * The scenario with clients that also write every reply they receive into `log`. The wrapper
 * only looks: the client behaviour sees the same events and makes the same decisions, so the run
 * (and its trace hash) is the one the plain scenario gives.
 */
export function withReplyLog(log: Outcome[]): ScenarioModel {
  return withWrappedRole(clientRole, (behaviour) => ({
    initialDurable: (id) => behaviour.initialDurable(id),
    init: (ctx) => behaviour.init(ctx),
    summarize: (state, durable) => behaviour.summarize(state, durable),
    receive(state, event, ctx) {
      if (event.kind === 'message' && event.message.type === 'Reply') {
        const reply = event.message as ReplyMessage;
        log.push({
          atUs: ctx.localTimeUs,
          client: ctx.self,
          key: reply.key,
          status: reply.status,
          isFromReplica: reply.isFromReplica,
          value: reply.value,
        });
      }
      return behaviour.receive(state, event, ctx);
    },
  }));
}
