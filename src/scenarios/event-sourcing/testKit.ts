import type { Simulation } from '../../engine/simulation.ts';
import type {
  Command,
  NodeId,
  RecordedCommand,
  ScenarioModel,
  WorldView,
} from '../../engine/types.ts';
import {
  declaredMetricFinal,
  paramsWithDefaults,
  type RunSpec,
  runUntilMet,
  startRun,
} from '../testing/runKit.ts';
import { type AccountState, aggregateAsOf, commandEffects } from './account.ts';
import type { LedgerEntry } from './client.ts';
import { catchUpBoundUs } from './invariants.ts';
import { type BehaviourOverrides, buildTopology, eventSourcing } from './model.ts';
import { eventSourcingParams } from './params.ts';
import { toArray } from './persistentList.ts';
import type { StoredEvent } from './storeProtocol.ts';
import { clientsOf, isCaughtUp, projectionsOf, storeDurableOf } from './world.ts';

export {
  invariantOf as invariant,
  meanOf,
  metricCountOf as metricCount,
  notesOf,
  reproduction,
  runFor,
  samplesOf,
  violatedSafetyInvariants as safetyViolations,
} from '../testing/runKit.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until something
 * holds, stop the workload and let things settle, and read the results from the world (the log,
 * the ledgers, the projections), the metrics, the invariants and the trace.
 */

export interface RunOptions extends RunSpec {
  /** Another model with the same id (a deliberately broken behaviour, for the safety tests). */
  readonly model?: ScenarioModel;
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  return startRun(options.model ?? eventSourcing, seed, options);
}

/** The scenario with some behaviours replaced (same id, so run descriptions stay valid). */
export function withBehaviours(overrides: BehaviourOverrides): ScenarioModel {
  return {
    ...eventSourcing,
    topology: (params, variant) => buildTopology(params, variant, overrides),
  };
}

export const sliceUs = 10_000;

/** Runs in slices until `isMet` holds; whether it did within `limitMs`. */
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
  return paramsWithDefaults(eventSourcingParams, params);
}

/** The liveness bound for these parameters, in ms. */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return catchUpBoundUs(defaultsWith(params)) / 1000;
}

/** A metric's final value by its aggregate; null when never recorded. */
export function metricOrNull(sim: Simulation, name: string): number | null {
  return declaredMetricFinal(sim, name).value;
}

/** A metric's final value; 0 when never recorded. */
export function metric(sim: Simulation, name: string): number {
  return metricOrNull(sim, name) ?? 0;
}

/** A scenario fault or control as a command. */
export function fault(id: string, node: NodeId, args: Record<string, number> = {}): Command {
  return { type: 'scenario.fault', fault: id, node, args };
}

/** A command at a time in ms (hand-written fault file style: no event index). */
export function at(ms: number, command: Command): RecordedCommand {
  return { atUs: Math.round(ms * 1000), command };
}

/**
 * Stops the workload, then runs until every client has its answers and every projection is at
 * the head (or `limitMs` passes); whether it settled.
 */
export function quiesce(sim: Simulation, limitMs = 10_000): boolean {
  if ((sim.params.commandRatePerSecond ?? 0) > 0)
    sim.apply({ type: 'param.set', key: 'commandRatePerSecond', value: 0 });
  return runUntil(
    sim,
    (world) =>
      clientsOf(world).every(
        (client) => client.state !== null && client.state.outstanding.size === 0,
      ) && projectionsOf(world).every((projection) => isCaughtUp(world, projection)),
    limitMs,
  );
}

/** The log (empty in the baseline). */
export function logOf(sim: Simulation): readonly StoredEvent[] {
  const log = storeDurableOf(sim)?.log;
  return log === undefined ? [] : toArray(log);
}

/** Every stream's events, by stream (none in the baseline). */
export function streamsOf(sim: Simulation): Map<string, readonly StoredEvent[]> {
  const streams = new Map<string, readonly StoredEvent[]>();
  for (const [stream, events] of storeDurableOf(sim)?.streams ?? [])
    streams.set(stream, toArray(events));
  return streams;
}

/** A stream's events (empty when unknown or in the baseline). */
export function streamEventsOf(sim: Simulation, stream: string): readonly StoredEvent[] {
  return streamsOf(sim).get(stream) ?? [];
}

/** Every stream folded to its latest version. */
export function foldedBalances(sim: Simulation): Map<string, number> {
  const balances = new Map<string, number>();
  for (const [stream, events] of streamsOf(sim)) {
    balances.set(stream, aggregateAsOf(events, events.length).state.balance);
  }
  return balances;
}

/** Every ledger entry of every client. */
export function ledgerOf(sim: Simulation): LedgerEntry[] {
  return clientsOf(sim).flatMap((client) => toArray(client.durable.ledger));
}

/** Balances implied by the accepted commands alone (what "no lost update" must match). */
export function acceptedBalances(entries: readonly LedgerEntry[]): Map<string, number> {
  const balances = new Map<string, number>();
  for (const entry of entries) {
    if (entry.outcome !== 'accepted') continue;
    for (const { stream, change } of commandEffects(entry.command)) {
      balances.set(stream, (balances.get(stream) ?? 0) + change);
    }
  }
  return balances;
}

/** Map entries in key order, for comparing two maps regardless of insertion order. */
export function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Checks the streams against the clients' ledgers: each accepted command's events are there
 * exactly once (one per stream it touches), a rejected or conflict-exhausted command left none,
 * and no event belongs to a command nobody sent. Returns the problems found.
 */
export function ledgerProblems(sim: Simulation): string[] {
  // The streams, not the log: an event the log still lists but its stream lost counts as lost.
  const byCommand = new Map<string, StoredEvent[]>();
  for (const stream of streamsOf(sim).values()) {
    for (const event of stream) {
      const events = byCommand.get(event.meta.commandId) ?? [];
      events.push(event);
      byCommand.set(event.meta.commandId, events);
    }
  }
  const problems: string[] = [];
  const sent = new Set<string>();
  for (const entry of ledgerOf(sim)) {
    sent.add(entry.commandId);
    const events = byCommand.get(entry.commandId) ?? [];
    const expected = commandEffects(entry.command).length;
    if (entry.outcome === 'accepted' && events.length !== expected) {
      problems.push(
        `${entry.commandId} accepted with ${events.length} events in the log, expected ${expected}`,
      );
    }
    if (
      (entry.outcome === 'rejected' || entry.outcome === 'conflict-exhausted') &&
      events.length > 0
    ) {
      problems.push(
        `${entry.commandId} ${entry.outcome} but has ${events.length} events in the log`,
      );
    }
    if (events.length > expected)
      problems.push(`${entry.commandId} has ${events.length} events, at most ${expected}`);
  }
  for (const commandId of byCommand.keys()) {
    if (!sent.has(commandId)) problems.push(`events of ${commandId}, which no client sent`);
  }
  return problems;
}

/** The account state a handler-independent replay gives (for "as of" checks). */
export function replayAsOf(sim: Simulation, stream: string, version: number): AccountState {
  return aggregateAsOf(streamEventsOf(sim, stream), version).state;
}
