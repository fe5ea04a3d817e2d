import type { InvariantResult } from '../../engine/invariants.ts';
import { defaultSimulationOptions, Simulation } from '../../engine/simulation.ts';
import type {
  Command,
  NodeId,
  RecordedCommand,
  ScenarioModel,
  Variant,
  WorldView,
} from '../../engine/types.ts';
import { type AccountState, aggregateAsOf, commandEffects } from './account.ts';
import type { LedgerEntry } from './client.ts';
import { catchUpBoundUs } from './invariants.ts';
import { type BehaviourOverrides, buildTopology, eventSourcing } from './model.ts';
import { eventSourcingParams } from './params.ts';
import type { StoredEvent } from './storeProtocol.ts';
import { clientsOf, isCaughtUp, projectionsOf, storeDurableOf } from './world.ts';

/**
 * Helpers for this scenario's tests: start a run by seed and command log, run it until something
 * holds, stop the workload and let things settle, and read the results from the world (the log,
 * the ledgers, the projections), the metrics, the invariants and the trace.
 */

export interface RunOptions {
  readonly variant?: Variant;
  readonly params?: Readonly<Record<string, number>>;
  readonly commands?: readonly RecordedCommand[];
  /** Another model with the same id (a deliberately broken behaviour, for the safety tests). */
  readonly model?: ScenarioModel;
  readonly traceWindowMax?: number;
}

export function start(seed: number, options: RunOptions = {}): Simulation {
  const model = options.model ?? eventSourcing;
  return new Simulation(
    model,
    {
      scenarioId: model.id,
      scenarioVersion: model.version,
      seed,
      variant: options.variant ?? 'pattern',
      params: options.params ?? {},
      commands: options.commands ?? [],
    },
    {
      ...defaultSimulationOptions,
      traceWindowMax: options.traceWindowMax ?? defaultSimulationOptions.traceWindowMax,
    },
  );
}

/** The scenario with some behaviours replaced (same id, so run descriptions stay valid). */
export function withBehaviours(overrides: BehaviourOverrides): ScenarioModel {
  return {
    ...eventSourcing,
    topology: (params, variant) => buildTopology(params, variant, overrides),
  };
}

export const sliceUs = 10_000;

export function runFor(sim: Simulation, ms: number): void {
  sim.runUntil(sim.nowUs + ms * 1000);
}

/** Runs in slices until `isMet` holds; whether it did within `limitMs`. */
export function runUntil(
  sim: Simulation,
  isMet: (world: WorldView) => boolean,
  limitMs: number,
): boolean {
  const endUs = sim.nowUs + limitMs * 1000;
  for (;;) {
    if (isMet(sim)) return true;
    if (sim.nowUs >= endUs) return false;
    sim.runUntil(Math.min(endUs, sim.nowUs + sliceUs));
  }
}

export function defaultsWith(
  params: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, spec] of Object.entries(eventSourcingParams)) values[key] = spec.default;
  return { ...values, ...params };
}

/** The liveness bound for these parameters, in ms. */
export function boundMs(params: Readonly<Record<string, number>> = {}): number {
  return catchUpBoundUs(defaultsWith(params)) / 1000;
}

export function invariant(sim: Simulation, id: string): InvariantResult {
  const result = sim.invariantResults().find((each) => each.id === id);
  if (result === undefined) throw new Error(`no invariant ${id}`);
  return result;
}

/** Safety invariants with a violation. */
export function safetyViolations(sim: Simulation): InvariantResult[] {
  return sim.invariantResults().filter((each) => each.kind === 'safety' && each.violations > 0);
}

/** A metric's final value by its aggregate; null when never recorded. */
export function metricOrNull(sim: Simulation, name: string): number | null {
  const final = sim.metricFinals().find((each) => each.name === name);
  if (final === undefined) throw new Error(`no metric ${name}`);
  return final.value;
}

/** A metric's final value; 0 when never recorded. */
export function metric(sim: Simulation, name: string): number {
  return metricOrNull(sim, name) ?? 0;
}

/** How many samples a metric got. */
export function metricCount(sim: Simulation, name: string): number {
  return sim.metricFinals().find((each) => each.name === name)?.count ?? 0;
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
  return storeDurableOf(sim)?.log ?? [];
}

/** Every stream folded to its latest version. */
export function foldedBalances(sim: Simulation): Map<string, number> {
  const balances = new Map<string, number>();
  for (const [stream, events] of storeDurableOf(sim)?.streams ??
    new Map<string, readonly StoredEvent[]>()) {
    balances.set(stream, aggregateAsOf(events, events.length).state.balance);
  }
  return balances;
}

/** Every ledger entry of every client. */
export function ledgerOf(sim: Simulation): LedgerEntry[] {
  return clientsOf(sim).flatMap((client) => client.durable.ledger);
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
  for (const stream of storeDurableOf(sim)?.streams.values() ?? []) {
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
  return aggregateAsOf(storeDurableOf(sim)?.streams.get(stream) ?? [], version).state;
}

/** Trace notes of a node after `sinceUs`, oldest first. */
export function notesOf(sim: Simulation, id: NodeId, sinceUs = 0): string[] {
  const index = sim.node(id).index;
  return sim
    .traceEvents(0)
    .filter(
      (event) => event.type === 'note.added' && event.node === index && event.timeUs > sinceUs,
    )
    .map((event) => event.label);
}

/** Samples of a metric recorded in [fromUs, toUs), read from the trace. */
export function samplesOf(sim: Simulation, name: string, fromUs = 0, toUs = Infinity): number[] {
  return sim
    .traceEvents(0)
    .filter(
      (event) =>
        event.type === 'metric.sampled' &&
        event.label === name &&
        event.timeUs >= fromUs &&
        event.timeUs < toUs,
    )
    .map((event) => event.value);
}

/** The mean of some samples (NaN for none). */
export function meanOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** One line that replays a run: paste it into a RunDescription (or the CLI's fault file). */
export function reproduction(sim: Simulation): string {
  const run = sim.describe();
  return JSON.stringify({
    seed: run.seed,
    variant: run.variant,
    params: run.params,
    commands: run.commands,
  });
}
