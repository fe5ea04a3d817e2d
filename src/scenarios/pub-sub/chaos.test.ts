import { describe, expect, it } from 'vitest';
import { chaosFaultFraction, chaosSchedule, linkTest } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { durableBacklogDrains, promisesNoLoss } from './invariants.ts';
import { pubSub } from './model.ts';
import { subscriberProfiles } from './roster.ts';
import {
  defaultsWith,
  invariant,
  metricTotals,
  newTap,
  ownCounts,
  quiesce,
  recount,
  reproduction,
  runUntil,
  safetyViolations,
  start,
  totals,
} from './testKit.ts';

/*
 * The chaos sweep: the engine's random fault schedule (the one `sim sweep --chaos` uses), plus
 * this scenario's own faults and controls, over many seeds and configurations. Every run must
 * keep every safety invariant, drain its durable backlogs after the heal within the liveness
 * bound, and, once quiet, count delivered, duplicated and lost messages exactly as the
 * independent recount does.
 */

const chaosSeeds = 220;
const durationUs = 10_000_000;
const healUs = Math.floor(durationUs * chaosFaultFraction);

/** A configuration per seed: every delivery mode, persistence and overflow policy combination. */
function configFor(seed: number): Record<string, number> {
  const rng = new RngStreams(seed).get('pub-sub:config');
  return {
    deliveryMode: seed % 2,
    brokerPersistence: Math.floor(seed / 2) % 2,
    overflowPolicy: Math.floor(seed / 4) % 2,
    publisherCount: rng.intBetween(1, 3),
    subscriberCount: rng.intBetween(3, 5),
    topicCount: rng.intBetween(1, 2),
    queueCapacity: 30,
  };
}

/** The scenario's faults and controls at random moments of the fault phase, over before the heal. */
function scenarioFaults(seed: number, params: Record<string, number>): RecordedCommand[] {
  const rng = new RngStreams(seed).get('pub-sub:faults');
  const subscribers = subscriberProfiles(defaultsWith(params)).map((profile) => profile.id);
  const commands: RecordedCommand[] = [];
  for (let count = rng.intBetween(1, 4); count > 0; count--) {
    const atUs = rng.intBetween(200_000, healUs - 1_200_000);
    const durationMs = Math.floor(Math.min(3000, (healUs - atUs) / 1000 - 100));
    const node = rng.pick(subscribers);
    const kind = rng.int(3);
    const command: RecordedCommand['command'] =
      kind === 0
        ? {
            type: 'scenario.fault',
            fault: 'slow-subscriber',
            node,
            args: { factor: 5, durationMs },
          }
        : kind === 1
          ? { type: 'scenario.fault', fault: 'lose-acks', node, args: { durationMs } }
          : { type: 'scenario.fault', fault: 'burst', node: 'p1', args: { count: 25 } };
    commands.push({ atUs, command });
  }
  return commands;
}

function commandsFor(seed: number, params: Record<string, number>): RecordedCommand[] {
  const topology = pubSub.topology(defaultsWith(params), 'pattern');
  const nodeIds = topology.nodes.map((node) => node.id);
  const generic = chaosSchedule(seed, nodeIds, durationUs, linkTest(topology));
  const all = [...generic, ...scenarioFaults(seed, params)];
  // Commands in time order; the engine applies recorded commands in log order.
  return all
    .map((command, index) => ({ command, index }))
    .sort((a, b) => a.command.atUs - b.command.atUs || a.index - b.index)
    .map(({ command }) => command);
}

describe('pub/sub under chaos', () => {
  it(`keeps every safety invariant and counts exactly over ${chaosSeeds} seeds`, () => {
    const failures: string[] = [];
    let faultCount = 0;
    let lostTotal = 0;
    let duplicateTotal = 0;
    let promisingSeeds = 0;
    for (let seed = 1; seed <= chaosSeeds; seed++) {
      const params = configFor(seed);
      const commands = commandsFor(seed, params);
      faultCount += commands.length;
      const tap = newTap();
      const sim = start(seed, { tap, params, commands });
      sim.runUntil(durationUs);
      const boundUs = durableBacklogDrains.boundUs(sim.params);
      runUntil(
        sim,
        () => invariant(sim, 'durable-backlog-drains').status !== 'pending',
        (healUs + boundUs - sim.nowUs) / 1000 + 500,
      );
      const liveness = invariant(sim, 'durable-backlog-drains');
      const replay = `seed ${seed} — replay: ${reproduction(sim)}`;
      const broken = safetyViolations(sim);
      if (broken.length > 0) {
        failures.push(
          `${broken.map((each) => each.firstViolation?.message).join('; ')} — ${replay}`,
        );
        continue;
      }
      if (liveness.violations > 0 || liveness.status !== 'ok') {
        failures.push(`backlog did not drain after the heal (${liveness.status}) — ${replay}`);
        continue;
      }
      if (!quiesce(sim)) {
        failures.push(`never quiet after the heal — ${replay}`);
        continue;
      }
      const independent = recount(sim, tap);
      const own = ownCounts(sim);
      const same =
        independent.invented.length === 0 &&
        JSON.stringify(own) === JSON.stringify(independent.bySubscriber) &&
        JSON.stringify(metricTotals(sim)) === JSON.stringify(totals(independent.bySubscriber));
      if (!same) {
        failures.push(
          `counts differ: own ${JSON.stringify(own)}, recount ${JSON.stringify(independent.bySubscriber)}, metrics ${JSON.stringify(metricTotals(sim))} — ${replay}`,
        );
        continue;
      }
      if (promisesNoLoss(sim.params)) {
        promisingSeeds++;
        const durableLost = subscriberProfiles(sim.params)
          .filter((profile) => profile.isDurable)
          .reduce((sum, profile) => sum + (independent.bySubscriber[profile.id]?.lost ?? 0), 0);
        if (durableLost > 0)
          failures.push(`${durableLost} lost to durable subscribers — ${replay}`);
      }
      lostTotal += totals(independent.bySubscriber).lost;
      duplicateTotal += totals(independent.bySubscriber).duplicates;
    }
    expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
    // The sweep really did exercise faults, losses (where allowed) and duplicates.
    expect(faultCount).toBeGreaterThan(chaosSeeds * 8);
    expect(promisingSeeds).toBeGreaterThan(chaosSeeds / 10);
    expect(lostTotal).toBeGreaterThan(0);
    expect(duplicateTotal).toBeGreaterThan(0);
  });
});
