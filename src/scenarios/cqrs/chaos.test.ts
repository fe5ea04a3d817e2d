import { describe, expect, it } from 'vitest';
import { chaosSchedule, linkTest } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { Command, RecordedCommand } from '../../engine/types.ts';
import { buildTopology } from './model.ts';
import { projectorId } from './protocol.ts';
import {
  boundMs,
  control,
  defaultsWith,
  invariant,
  metric,
  reproduction,
  runUntil,
  start,
} from './testKit.ts';
import { isConverged, replicaDurable, wantedActive, writeLog } from './world.ts';

/*
 * The chaos sweep: the engine's random fault schedule (crashes, restarts, isolations,
 * partitions, lossy links, pauses, then everything healed at 60% of the fault window), plus this
 * scenario's own faults and controls on top (slow projector, adding and removing replicas), over
 * many seeds. Safety must hold after every event; once healed, the read side must converge
 * within the liveness bound, and, once writes stop, equal the write store exactly.
 */

const faultWindowMs = 10_000;
const seeds = 220;

/** Smaller timeouts and feed bound than the defaults, so the liveness bound fits a short run. */
const chaosParams: Record<string, number> = {
  clientCount: 3,
  opsPerSecond: 10,
  replicaPoolSize: 4,
  initialReplicas: 2,
  feedQueueCapacity: 100,
  publishTimeoutMs: 100,
  ackTimeoutMs: 500,
  pullTimeoutMs: 500,
};

function scenarioFaults(seed: number, faultEndUs: number): RecordedCommand[] {
  const rng = new RngStreams(seed).get('chaos:cqrs');
  const commands: RecordedCommand[] = [];
  for (let atUs = rng.intBetween(200_000, 1_500_000); atUs < faultEndUs;) {
    const faults: Command[] = [
      control('add-replica'),
      control('remove-replica'),
      {
        type: 'scenario.fault',
        fault: 'slow-projector',
        node: projectorId,
        args: { factor: rng.intBetween(2, 20), durationMs: rng.intBetween(200, 3000) },
      },
    ];
    commands.push({ atUs, command: rng.pick(faults) });
    atUs += rng.intBetween(500_000, 2_000_000);
  }
  return commands;
}

function scheduleFor(seed: number): RecordedCommand[] {
  const topology = buildTopology(defaultsWith(chaosParams), 'pattern');
  const nodeIds = topology.nodes.map((node) => node.id);
  const generic = chaosSchedule(seed, nodeIds, faultWindowMs * 1000, linkTest(topology));
  const faultEndUs = generic.at(-1)?.atUs ?? 0;
  const merged = [...generic, ...scenarioFaults(seed, faultEndUs)];
  // Stable by time: hand-written commands apply in log order once their time has come.
  return merged
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.atUs - b.record.atUs || a.index - b.index)
    .map(({ record }) => record);
}

describe('CQRS under chaos', () => {
  it(`keeps every read model a prefix of the write log, and converges, over ${seeds} seeds`, () => {
    const failures: string[] = [];
    let commandCount = 0;
    let crashes = 0;
    let staleRuns = 0;
    const bound = boundMs(chaosParams);
    for (let seed = 1; seed <= seeds; seed++) {
      const commands = scheduleFor(seed);
      commandCount += commands.length;
      crashes += commands.filter(({ command }) => command.type === 'node.crash').length;
      const healUs =
        commands.filter(({ command }) => command.type === 'net.heal').at(-1)?.atUs ?? 0;
      const sim = start(seed, { params: chaosParams, commands });
      sim.runUntil(healUs + (bound + 500) * 1000);
      if (metric(sim, 'stale-reads') > 0) staleRuns++;
      const safety = invariant(sim, 'read-model-is-prefix');
      const liveness = invariant(sim, 'read-models-converge');
      if (safety.violations > 0) {
        failures.push(`${safety.firstViolation?.message ?? ''} — replay: ${reproduction(sim)}`);
        continue;
      }
      if (liveness.violations > 0) {
        failures.push(`${liveness.firstViolation?.message ?? ''} — replay: ${reproduction(sim)}`);
        continue;
      }
      // Writes stop: every read model must reach the write store exactly.
      sim.apply({ type: 'param.set', key: 'writePercent', value: 0 });
      if (!runUntil(sim, isConverged, bound)) {
        const lags = wantedActive(sim).map(
          (id) => `${id}@${replicaDurable(sim, id).applied}/${writeLog(sim).length}`,
        );
        failures.push(`no convergence (${lags.join(' ')}) — replay: ${reproduction(sim)}`);
      }
    }
    expect(failures.length, failures.slice(0, 3).join('\n')).toBe(0);
    expect(commandCount).toBeGreaterThan(seeds * 10); // the schedules really did inject faults
    expect(crashes).toBeGreaterThan(seeds); // including crashes
    expect(staleRuns).toBeGreaterThan(seeds / 2); // and the read side really lagged
  });
});
