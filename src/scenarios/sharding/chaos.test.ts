import { describe, expect, it } from 'vitest';
import { chaosFaultFraction, chaosSchedule } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { Command, NodeId, RecordedCommand } from '../../engine/types.ts';
import { hotKeyFault, slowShardFault } from './protocol.ts';
import {
  boundMs,
  control,
  invariant,
  reproduction,
  runUntil,
  safetyViolations,
  start,
} from './testKit.ts';
import { isPlacementSettled, routerTable } from './world.ts';

/*
 * The chaos sweep: the engine's random fault schedule (crashes and restarts of any node, the
 * router included; partitions and isolations; lossy links; pauses), with this scenario's own
 * faults on top: operators adding and removing shards at random moments, links that duplicate
 * as well as lose messages, slow shards and hot keys. Strategy and replication vary with the
 * seed. Safety must hold at every event; once everything is healed, placement must converge
 * within the liveness bound.
 */

const chaosSeeds = 220;
const durationUs = 6_000_000;
const faultEndUs = Math.floor(durationUs * chaosFaultFraction);

/** Params per seed: every strategy and both replication factors get their share of seeds. */
function chaosParams(seed: number): Record<string, number> {
  return {
    strategy: seed % 3,
    replicationFactor: 1 + (Math.floor(seed / 3) % 2),
    keyCount: 400,
    migrationRate: 200,
    requestRate: 40,
  };
}

/** The scenario's own faults and controls, drawn from their own stream of the seed. */
function scenarioFaults(seed: number, nodeIds: readonly NodeId[]): RecordedCommand[] {
  const rng = new RngStreams(seed).get('sharding-chaos');
  const shards = nodeIds.filter((id) => /^s\d+$/.test(id));
  const clients = nodeIds.filter((id) => /^c\d+$/.test(id));
  const commands: RecordedCommand[] = [];
  for (let atUs = rng.intBetween(200_000, 700_000); atUs < faultEndUs;) {
    const roll = rng.int(100);
    let command: Command;
    if (roll < 35) command = control('add');
    else if (roll < 65) command = control('remove');
    else if (roll < 80) {
      command = {
        type: 'link.set',
        from: rng.pick(shards),
        to: rng.pick(nodeIds),
        isBothWays: true,
        lossProbability: 0.2,
        duplicateProbability: 0.4,
      };
    } else if (roll < 90) {
      const node = rng.pick(shards);
      command = { type: 'scenario.fault', fault: slowShardFault, node, args: { factor: 3 } };
    } else {
      const node = rng.pick(clients);
      command = { type: 'scenario.fault', fault: hotKeyFault, node, args: { sharePercent: 80 } };
    }
    if (command.type !== 'link.set' || command.from !== command.to)
      commands.push({ atUs, command });
    atUs += rng.intBetween(150_000, 600_000);
  }
  return commands;
}

function chaosCommands(seed: number, nodeIds: readonly NodeId[]): RecordedCommand[] {
  const all = [...chaosSchedule(seed, nodeIds, durationUs), ...scenarioFaults(seed, nodeIds)];
  // Stable: commands at the same time keep the engine schedule's order (heal before restarts).
  return all.sort((a, b) => a.atUs - b.atUs);
}

describe('sharding under chaos', () => {
  it(`keeps one custodian per key and converges after healing, over ${chaosSeeds} seeds`, () => {
    const failures: string[] = [];
    let commandCount = 0;
    let rebalances = 0;
    for (let seed = 1; seed <= chaosSeeds; seed++) {
      const params = chaosParams(seed);
      const nodeIds = start(seed, { params }).nodeIds;
      const commands = chaosCommands(seed, nodeIds);
      commandCount += commands.length;
      const sim = start(seed, { params, commands });
      sim.runUntil(faultEndUs);
      const limitMs = boundMs(params) + 500;
      const hasConverged = runUntil(
        sim,
        () => isPlacementSettled(sim) && invariant(sim, 'placement-converges').status === 'ok',
        limitMs,
      );
      const broken = safetyViolations(sim);
      const liveness = invariant(sim, 'placement-converges');
      if (broken.length > 0) {
        const first = broken[0]?.firstViolation?.message ?? '';
        failures.push(`seed ${seed}: ${first} — replay: ${reproduction(sim)}`);
      } else if (!hasConverged || liveness.violations > 0) {
        failures.push(`seed ${seed}: placement did not converge — replay: ${reproduction(sim)}`);
      }
      rebalances += routerTable(sim).version - 1;
    }
    expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
    // The schedules really did inject faults and really did move shards.
    expect(commandCount).toBeGreaterThan(chaosSeeds * 10);
    expect(rebalances).toBeGreaterThan(chaosSeeds);
  });
});
