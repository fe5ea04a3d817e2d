import { describe, expect, it } from 'vitest';
import { chaosFaultFraction, chaosSchedule } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { NodeId, RecordedCommand, Topology } from '../../engine/types.ts';
import { requestsSucceed } from './invariants.ts';
import { ambassador } from './model.ts';
import { remoteFaultIds } from './remote.ts';
import {
  defaultsWith,
  invariant,
  metric,
  reproduction,
  safetyViolations,
  start,
} from './testKit.ts';

/*
 * The chaos sweep: the engine's random fault schedule (crashes, restarts, isolations, partitions,
 * lossy links, pauses, then everything healed and restarted), with this scenario's remote faults
 * on top, over many seeds and four policy mixes. No safety invariant may ever fail, and after
 * the heal the apps' requests must succeed again within the liveness bound.
 */

const chaosSeeds = 200;
const durationUs = 8_000_000;
const healUs = Math.floor(durationUs * chaosFaultFraction);

/** Policy mixes, one per seed in turn, so every invariant is exercised with its feature on. */
const mixes: readonly Readonly<Record<string, number>>[] = [
  {},
  { isBreakerOn: 1, breakerWaitMs: 1000 },
  { isHedgingOn: 1, balancer: 2 },
  { isBreakerOn: 1, breakerWaitMs: 1000, isHedgingOn: 1, balancer: 1, isRetryBudgetOn: 0 },
];

/** Whether `from` and `to` are linked in `topology` (the schedule only makes real links lossy). */
function isLinked(topology: Topology, from: NodeId, to: NodeId): boolean {
  if (topology.links === 'full') return true;
  return topology.links.some(([a, b]) => (a === from && b === to) || (a === to && b === from));
}

/** Slow, overloaded or failing remotes at random during the fault phase, all recovered at the heal. */
function remoteChaos(seed: number, remotes: readonly NodeId[]): RecordedCommand[] {
  const rng = new RngStreams(seed).get('chaos:ambassador');
  const commands: RecordedCommand[] = [];
  for (let atUs = rng.intBetween(300_000, 1_000_000); atUs < healUs;) {
    const node = rng.pick(remotes);
    const roll = rng.int(4);
    const fault =
      roll === 0
        ? { fault: remoteFaultIds.slow, args: { factor: rng.intBetween(2, 10) } }
        : roll === 1
          ? { fault: remoteFaultIds.overload, args: { capacityPercent: rng.intBetween(2, 9) * 10 } }
          : roll === 2
            ? { fault: remoteFaultIds.errors, args: { percent: rng.intBetween(1, 10) * 10 } }
            : { fault: remoteFaultIds.recover, args: {} };
    commands.push({ atUs, command: { type: 'scenario.fault', node, ...fault } });
    atUs += rng.intBetween(500_000, 1_500_000);
  }
  for (const node of remotes) {
    commands.push({
      atUs: healUs,
      command: { type: 'scenario.fault', node, fault: remoteFaultIds.recover },
    });
  }
  return commands;
}

/** Both schedules merged by time; at equal times the engine's (heal, restarts) go first. */
function scheduleFor(seed: number, params: Readonly<Record<string, number>>): RecordedCommand[] {
  const topology = ambassador.topology(defaultsWith(params), 'pattern');
  const nodeIds = topology.nodes.map((node) => node.id);
  const remotes = topology.nodes.filter((node) => node.role === 'remote').map((node) => node.id);
  const generic = chaosSchedule(seed, nodeIds, durationUs).filter(
    (record) =>
      record.command.type !== 'link.set' ||
      isLinked(topology, record.command.from, record.command.to),
  );
  const merged = [...generic, ...remoteChaos(seed, remotes)];
  return merged
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.atUs - b.record.atUs || a.index - b.index)
    .map((each) => each.record);
}

describe('ambassador under chaos', () => {
  it(`keeps every safety invariant over ${chaosSeeds} seeds, and recovers after the heal`, () => {
    const failures: string[] = [];
    let faultCount = 0;
    const exercised = { 'breaker-trips': 0, hedges: 0, 'budget-exhausted': 0 };
    for (let seed = 1; seed <= chaosSeeds; seed++) {
      const params = mixes[seed % mixes.length] ?? {};
      const commands = scheduleFor(seed, params);
      faultCount += commands.length;
      const sim = start(seed, { params, commands });
      const boundUs = requestsSucceed.boundUs(defaultsWith(params));
      sim.runUntil(healUs + boundUs + 1_000_000);
      const liveness = invariant(sim, 'requests-succeed');
      for (const name of Object.keys(exercised) as (keyof typeof exercised)[]) {
        exercised[name] += metric(sim, name);
      }
      if (safetyViolations(sim) > 0) {
        const first = sim.invariantResults().find((each) => each.violations > 0);
        failures.push(
          `${first?.id ?? '?'}: ${first?.firstViolation?.message ?? ''} — replay: ${reproduction(sim)}`,
        );
      } else if (
        liveness.violations > 0 ||
        liveness.status !== 'ok' ||
        !requestsSucceed.holds(sim)
      ) {
        failures.push(
          `no recovery after the heal (${liveness.firstViolation?.message ?? liveness.status}) — replay: ${reproduction(sim)}`,
        );
      }
    }
    expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
    console.log(`chaos: ${faultCount} commands, ${JSON.stringify(exercised)}`);
    expect(faultCount).toBeGreaterThan(chaosSeeds * 8); // the schedules really did inject faults
    // Breakers, hedges and the budget all acted, so their invariants were put to the test.
    for (const [name, total] of Object.entries(exercised)) {
      expect(total, name).toBeGreaterThan(chaosSeeds);
    }
  });
});
