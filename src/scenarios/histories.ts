import type { CheckOptions } from '../consistency/check.ts';
import { compareStrings, type Operation } from '../consistency/history.ts';
import type { ModelName } from '../consistency/verdict.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Variant } from '../engine/types.ts';
import { cqrsHistory } from './cqrs/history.ts';
import type { CqrsMonitorMemory } from './cqrs/monitor.ts';
import { eventSourcingHistory } from './event-sourcing/history.ts';
import type { EventSourcingMonitorMemory } from './event-sourcing/monitor.ts';
import { shardingHistory } from './sharding/history.ts';
import type { ShardingMonitorMemory } from './sharding/monitor.ts';

/**
 * The scenarios whose clients read and write data record each operation (kept beside the trace,
 * in the monitor's memory, so no trace hash changes); this is how to read that history after a
 * run, and which consistency models each scenario promises. A promise is what the scenario's
 * consistency test measured on fixed seeds, default and chaos runs alike (the table in its
 * README), not what the pattern is said to give.
 */

export interface ScenarioHistory {
  /** The recorded operations of a run of this scenario, so far. */
  readonly history: (sim: Simulation) => Operation[];
  /** How the checkers read them (the model and the value before any write). */
  readonly check: Pick<CheckOptions, 'model' | 'initial'>;
  /** The models a run with these settings promises: a violation of one is a failure. */
  readonly promises: (
    params: Readonly<Record<string, number>>,
    variant: Variant,
  ) => readonly ModelName[];
}

const histories: Readonly<Record<string, ScenarioHistory>> = {
  cqrs: {
    history: (sim) => cqrsHistory((sim.monitorMemory as CqrsMonitorMemory).history),
    check: { model: 'register', initial: 0 },
    // The baseline's one store answers reads and writes in order: linearizable. The pattern's
    // read side lags the write side (eventual consistency); read-your-writes mode holds a read
    // until the replica has the client's last acknowledged write.
    promises: (params, variant) =>
      variant === 'baseline'
        ? ['linearizable', 'sequential', ...sessionGuarantees]
        : params.ryowMode === 1
          ? ['read-your-writes']
          : [],
  },
  'event-sourcing': {
    history: (sim) =>
      eventSourcingHistory((sim.monitorMemory as EventSourcingMonitorMemory).history),
    check: { model: 'account', initial: 0 },
    promises: () => ['linearizable', 'sequential'],
  },
  sharding: {
    history: (sim) => shardingHistory((sim.monitorMemory as ShardingMonitorMemory).operations),
    check: { model: 'register', initial: 1 },
    // One owner serves each key, one request at a time, and a hand-off freezes the key until
    // the new owner has it: linearizable per key. Replication (factor 2) answers reads from an
    // asynchronous copy while the owner is down, which may miss its last writes.
    promises: (params, variant) =>
      variant === 'pattern' && params.replicationFactor === 2
        ? []
        : ['linearizable', 'sequential', ...sessionGuarantees],
  },
};

const sessionGuarantees: readonly ModelName[] = [
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
];

/** The scenarios that record histories, by id, in a stable order. */
export const scenariosWithHistories: readonly string[] =
  Object.keys(histories).sort(compareStrings);

/** The clients' operations of a run so far, or null when its scenario records none. */
export function historyOf(sim: Simulation): Operation[] | null {
  return histories[sim.model.id]?.history(sim) ?? null;
}

/** How a scenario records and checks histories, or null when it records none. */
export function historySpecOf(scenarioId: string): ScenarioHistory | null {
  return histories[scenarioId] ?? null;
}
