import { describe, expect, it } from 'vitest';
import { chaosSchedule } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { Command, NodeId, RecordedCommand } from '../../engine/types.ts';
import { buildTopology } from './model.ts';
import {
  boundMs,
  defaultsWith,
  dependencyFault,
  invariant,
  metric,
  reproduction,
  serviceControl,
  start,
} from './testKit.ts';
import { breakerValueOf } from './world.ts';

/*
 * The chaos sweep: the engine's random fault schedule (crashes, restarts, isolations,
 * partitions, lossy links, pauses, then everything healed at 60% of the run), plus this
 * scenario's own faults and controls on top, over many seeds. Safety must hold throughout;
 * after the final heal the breaker must close within the liveness bound.
 */

const durationMs = 24_000;
const seeds = 220;

/**
 * Chaos settings per seed: a shorter wait in open (so the healed phase covers the liveness
 * bound), an early incident inside the fault phase, and both window kinds, both fallback
 * settings and both ways from open to half-open (a timer, or the next call) across seeds.
 */
function paramsFor(seed: number): Record<string, number> {
  return {
    requestRatePerSecond: 10,
    waitInOpenMs: 1000,
    incidentStartS: 2,
    incidentLengthS: 3,
    windowKind: seed % 2,
    windowTimeS: 2,
    fallback: Math.floor(seed / 2) % 2,
    openToHalfOpen: Math.floor(seed / 4) % 2,
  };
}

/** The operator's forced states: they last until a reset (or a forced open). */
const forcedStates = ['hold-open', 'disable', 'metrics-only'];

/**
 * The scenario's faults and controls at random moments of the fault phase, then a recovery (and
 * a reset, when the operator set a forced state, which no closing is owed from).
 */
function scenarioFaults(seed: number, faultEndUs: number): RecordedCommand[] {
  const rng = new RngStreams(seed).get('chaos:circuit-breaker');
  const commands: RecordedCommand[] = [];
  let wasForced = false;
  for (let atUs = rng.intBetween(200_000, 1_500_000); atUs < faultEndUs;) {
    const faults: Command[] = [
      dependencyFault('slow', { factor: rng.intBetween(2, 50) }),
      dependencyFault('errors', { ratePercent: rng.intBetween(10, 100) }),
      dependencyFault('recover'),
      serviceControl('force-open'),
      serviceControl('reset'),
      serviceControl(rng.pick(forcedStates)),
    ];
    const command = rng.pick(faults);
    if (command.type === 'scenario.fault') wasForced ||= forcedStates.includes(command.fault);
    commands.push({ atUs, command });
    atUs += rng.intBetween(300_000, 1_500_000);
  }
  commands.push({ atUs: faultEndUs, command: dependencyFault('recover') });
  // A forced state may outlast everything after it (force open does not leave metrics only).
  if (wasForced) commands.push({ atUs: faultEndUs, command: serviceControl('reset') });
  return commands;
}

/**
 * The engine's schedule assumes a full mesh: a link command may name two nodes with no link
 * between them (a client and the dependency), which the engine rejects. Those are dropped.
 */
function onLinks(commands: readonly RecordedCommand[], links: ReadonlySet<string>) {
  return commands.filter(({ command }) => {
    if (command.type !== 'link.set' && command.type !== 'link.hold') return true;
    return links.has(`${command.from}>${command.to}`) && links.has(`${command.to}>${command.from}`);
  });
}

function scheduleFor(seed: number): RecordedCommand[] {
  const topology = buildTopology(defaultsWith(paramsFor(seed)), 'pattern');
  const nodeIds: NodeId[] = topology.nodes.map((node) => node.id);
  const links = new Set<string>();
  if (topology.links !== 'full') {
    for (const [a, b] of topology.links) links.add(`${a}>${b}`).add(`${b}>${a}`);
  }
  const generic = onLinks(chaosSchedule(seed, nodeIds, durationMs * 1000), links);
  const faultEndUs = generic.at(-1)?.atUs ?? 0;
  const merged = [...generic, ...scenarioFaults(seed, faultEndUs)];
  // Stable by time: hand-written commands apply in log order once their time has come.
  return merged
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.atUs - b.record.atUs || a.index - b.index)
    .map(({ record }) => record);
}

describe('circuit breaker under chaos', () => {
  it(`never calls through an open breaker, and closes after healing, over ${seeds} seeds`, () => {
    const failures: string[] = [];
    let commandCount = 0;
    let runsThatTripped = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const commands = scheduleFor(seed);
      commandCount += commands.length;
      const params = paramsFor(seed);
      const healUs = commands.at(-1)?.atUs ?? 0;
      expect((durationMs * 1000 - healUs) / 1000).toBeGreaterThan(boundMs(params));
      const sim = start(seed, { params, commands });
      sim.runUntil(durationMs * 1000);
      if (metric(sim, 'breaker-trips') > 0) runsThatTripped++;
      const safety = invariant(sim, 'no-calls-while-open');
      const liveness = invariant(sim, 'closes-after-heal');
      if (safety.violations > 0) {
        failures.push(`${safety.firstViolation?.message ?? ''} — replay: ${reproduction(sim)}`);
      } else if (liveness.violations > 0 || breakerValueOf(sim) !== 'closed') {
        const why = liveness.firstViolation?.message ?? `breaker ${breakerValueOf(sim)}`;
        failures.push(`${why} — replay: ${reproduction(sim)}`);
      }
    }
    expect(failures.length, failures.slice(0, 3).join('\n')).toBe(0);
    expect(commandCount).toBeGreaterThan(seeds * 10); // the schedules really did inject faults
    expect(runsThatTripped).toBeGreaterThan(seeds / 2); // and really did exercise the breaker
  });
});
