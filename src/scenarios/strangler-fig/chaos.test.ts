import { describe, expect, it } from 'vitest';
import { chaosFaultFraction, chaosSchedule, linkTest } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { Command, RecordedCommand, Variant } from '../../engine/types.ts';
import { legacyRetiredWhenIdle, requestsAnswered } from './invariants.ts';
import { stranglerFig } from './model.ts';
import { routeCount } from './protocol.ts';
import {
  buggyRelease,
  defaultsWith,
  fixRelease,
  invariant,
  moveAll,
  moveRoute,
  reproduction,
  safetyViolations,
  setRoute,
  start,
} from './testKit.ts';
import { clientsOf } from './world.ts';

/*
 * The chaos sweep: the engine's generic random fault schedule (crashes, restarts, partitions,
 * isolations, lossy links, pauses, then heal and restart), with this scenario's own operator
 * controls and buggy releases drawn on top from a separate stream of the same seed. Every run
 * must keep every safety invariant, and after the heal (with every release fixed) both
 * liveness properties must be settled within their bounds.
 */

const durationUs = 12_000_000;
const faultEndUs = Math.floor(durationUs * chaosFaultFraction);
const boundsUs = Math.max(
  requestsAnswered.boundUs(defaultsWith()),
  legacyRetiredWhenIdle.boundUs(defaultsWith()),
);
const runEndUs = faultEndUs + boundsUs + 1_000_000;

/** Migration moves and releases at random moments during the fault phase, fixes at the heal. */
function scenarioChaos(seed: number): RecordedCommand[] {
  const rng = new RngStreams(seed).get('chaos:strangler-fig');
  const commands: RecordedCommand[] = [];
  // A starting migration state: each route legacy, shadowed, in canary or on new.
  for (let route = 0; route < routeCount; route++) {
    const roll = rng.int(4);
    const command =
      roll === 0
        ? setRoute(route, 0, 1)
        : roll === 1
          ? setRoute(route, 5 * rng.intBetween(1, 19), rng.int(2))
          : roll === 2
            ? moveRoute(route)
            : null;
    if (command !== null) commands.push({ atUs: 50_000, command });
  }
  if (rng.int(4) === 0) commands.push({ atUs: 60_000, command: moveAll() });
  for (let atUs = rng.intBetween(200_000, 1_500_000); atUs < faultEndUs;) {
    commands.push({ atUs, command: randomMove(rng.int(100), rng.int(routeCount), rng) });
    atUs += rng.intBetween(300_000, 2_000_000);
  }
  for (let route = 0; route < routeCount; route++) {
    commands.push({ atUs: faultEndUs, command: fixRelease(route) });
  }
  return commands;
}

function randomMove(roll: number, route: number, rng: ReturnType<RngStreams['get']>): Command {
  if (roll < 35) return buggyRelease(route, 5 * rng.intBetween(0, 20), 5 * rng.intBetween(0, 10));
  if (roll < 55) return fixRelease(route);
  if (roll < 80) return setRoute(route, 5 * rng.intBetween(0, 20), rng.int(2));
  if (roll < 95) return moveRoute(route);
  return moveAll();
}

const topology = stranglerFig.topology(defaultsWith(), 'pattern');

/** Both schedules merged in time order; at one instant the generic faults go first. */
function chaosCommands(seed: number): RecordedCommand[] {
  const nodeIds = topology.nodes.map((node) => node.id);
  // Only existing links are made lossy (clients–facade, facade–back ends), as `sim sweep` does.
  const generic = chaosSchedule(seed, nodeIds, durationUs, linkTest(topology));
  const merged = [...generic, ...scenarioChaos(seed)];
  const order = new Map(merged.map((command, index) => [command, index]));
  return merged.sort((a, b) => a.atUs - b.atUs || (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function sweep(variant: Variant, seeds: number, isLivenessChecked: boolean): void {
  const failures: string[] = [];
  let commandCount = 0;
  let rollbacks = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const commands = chaosCommands(seed);
    commandCount += commands.length;
    const sim = start(seed, { variant, commands });
    sim.runUntil(runEndUs);
    rollbacks += sim.metricFinals().find((each) => each.name === 'rollbacks')?.count ?? 0;
    const broken = safetyViolations(sim);
    if (broken.length > 0) {
      const first = broken[0]?.firstViolation?.message ?? '';
      failures.push(`seed ${seed}: ${first} — replay: ${reproduction(sim)}`);
      continue;
    }
    if (!isLivenessChecked) continue;
    for (const id of ['requests-answered', 'legacy-retired-when-idle']) {
      const result = invariant(sim, id);
      if (result.status !== 'ok') {
        failures.push(
          `seed ${seed}: ${id} ${result.status} ${result.firstViolation?.message ?? ''} — replay: ${reproduction(sim)}`,
        );
      }
    }
    const passedAfterHeal = sim.trace
      .since(0)
      .some(
        (event) =>
          event.type === 'invariant.passed' &&
          event.label.startsWith('requests-answered') &&
          event.timeUs >= faultEndUs,
      );
    if (!passedAfterHeal)
      failures.push(
        `seed ${seed}: requests-answered never checked after heal — replay: ${reproduction(sim)}`,
      );
    const isAnswering = clientsOf(sim).every(
      (client) => client.state?.recent.every((isGood) => isGood) === true,
    );
    if (!isAnswering)
      failures.push(`seed ${seed}: clients not answered after heal — replay: ${reproduction(sim)}`);
  }
  expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
  expect(commandCount).toBeGreaterThan(seeds * 10); // the schedules really did inject faults
  if (variant === 'pattern') expect(rollbacks).toBeGreaterThan(0);
}

describe('strangler fig under chaos', () => {
  it('keeps every safety invariant and recovers after heal over 200 seeds', () => {
    sweep('pattern', 200, true);
  });

  it('keeps the baseline safe too over 40 seeds (its weakness is exposure, not double answers)', () => {
    sweep('baseline', 40, false);
  });
});
