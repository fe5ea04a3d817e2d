import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { Simulation, defaultSimulationOptions } from '../engine/simulation.ts';
import type { RecordedCommand, RunDescription, Variant } from '../engine/types.ts';
import type { Scenario } from './define.ts';
import { scenarios } from './registry.ts';
import { ownFaultSchedule } from './testing/ownFaults.ts';
import { getScenarioView } from './viewRegistry.ts';

/*
 * The plugin contract every listed scenario keeps, checked the same way for all of them (a new
 * scenario is covered the moment it is registered): under the CLI's chaos schedule, the same run
 * description gives the same trace, a run resumed from a checkpoint continues exactly as a
 * straight run, and no safety invariant is violated — pattern and baseline. With the scenario's
 * own faults and controls drawn from its definition on top, the run still replays and resumes
 * exactly, and different seeds give different runs. Its view hints cover what the runs show: a
 * colour for every message type sent, a hint for every role, a label for every metric.
 *
 * These are the determinism tests every scenario used to copy into its own test file.
 */

const durationUs = 4_000_000;
// After the schedule's final heal (at 60% of the run), so the restored world must be whole too.
const checkpointUs = 3_000_000;

function chaosRun(id: string, variant: Variant, seed: number): RunDescription {
  const scenario = scenarios.find((each) => each.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    seed,
    variant,
    params: {},
    commands: chaosScheduleFor(scenario, seed, variant, {}, durationUs),
  };
}

/** The chaos schedule with the scenario's own faults drawn on top, in time order. */
function ownChaosRun(scenario: Scenario, variant: Variant, seed: number): RunDescription {
  const run = chaosRun(scenario.id, variant, seed);
  const topology = scenario.topology(defaultParams(scenario), variant);
  const own = ownFaultSchedule(scenario, topology, seed, durationUs);
  // Stable: at one instant the engine's commands stay before the scenario's.
  const commands: RecordedCommand[] = [...run.commands, ...own].sort((a, b) => a.atUs - b.atUs);
  return { ...run, commands };
}

function defaultParams(scenario: Scenario): Record<string, number> {
  return Object.fromEntries(
    Object.entries(scenario.params).map(([key, spec]) => [key, spec.default]),
  );
}

/** A run long enough to keep every trace event, for reading what it sent. */
function keptRun(scenario: Scenario, run: RunDescription): Simulation {
  const sim = new Simulation(scenario, run, {
    ...defaultSimulationOptions,
    traceWindowMax: 2_000_000,
  });
  sim.runUntil(durationUs);
  return sim;
}

const listed = scenarios.filter((scenario) => !scenario.isHidden);

describe.each(listed)('$title with its own faults', (scenario) => {
  it.each(['pattern', 'baseline'] as const)(
    '%s: replays and resumes from a checkpoint to the same trace',
    (variant) => {
      const run = ownChaosRun(scenario, variant, 7);
      // Some faults apply only to roles of one variant (the projector is the pattern's).
      const roles = new Set(
        scenario.topology(defaultParams(scenario), variant).nodes.map((n) => n.role),
      );
      const applies = scenario.faults.some((fault) => fault.roles.some((role) => roles.has(role)));
      expect(run.commands.some((each) => each.command.type === 'scenario.fault')).toBe(applies);
      const straight = new Simulation(scenario, run);
      straight.runUntil(durationUs);
      const again = new Simulation(scenario, run);
      again.runUntil(durationUs);
      expect(again.eventCount).toBe(straight.eventCount);
      expect(again.traceHash).toBe(straight.traceHash);
      const first = new Simulation(scenario, run);
      first.runUntil(checkpointUs / 2);
      const resumed = Simulation.fromCheckpoint(scenario, first.checkpoint());
      resumed.runUntil(durationUs);
      expect(resumed.traceHash).toBe(straight.traceHash);
      expect(resumed.metricFinals()).toEqual(straight.metricFinals());
      expect(resumed.invariantResults()).toEqual(straight.invariantResults());
    },
  );

  it('gives different seeds different runs', () => {
    const hashes = new Set<string>();
    for (const seed of [1, 2, 3, 4]) {
      const sim = new Simulation(scenario, ownChaosRun(scenario, 'pattern', seed));
      sim.runUntil(durationUs / 2);
      hashes.add(sim.traceHash);
    }
    expect(hashes.size).toBe(4);
  });

  it('has a view hint for every role, message type sent and metric', () => {
    const view = getScenarioView(scenario.id);
    expect(view).toBeDefined();
    if (view === undefined) return;
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = keptRun(scenario, ownChaosRun(scenario, variant, 5));
      const sent = new Set(
        sim
          .traceEvents()
          .filter((event) => event.type === 'message.sent')
          .map((event) => event.label),
      );
      expect(sim.traceEvents()[0]?.index, 'the whole trace is kept').toBe(0);
      const uncoloured = [...sent].filter((type) => view.messageColours[type] === undefined);
      expect(uncoloured, `${variant}: message types without a colour`).toEqual([]);
      const roles = new Set(
        scenario.topology(defaultParams(scenario), variant).nodes.map((n) => n.role),
      );
      const unhinted = [...roles].filter((role) => view.roles[role] === undefined);
      expect(unhinted, `${variant}: roles without a hint`).toEqual([]);
    }
    // A grouped metric is labelled by its bar or layer (it gets no chart of its own).
    const grouped = new Set([
      ...(view.barGroups ?? []).flatMap((group) => group.bars.map((bar) => bar.metric)),
      ...(view.stackedAreas ?? []).flatMap((area) => area.layers.map((layer) => layer.metric)),
    ]);
    const unlabelled = scenario.metrics
      .map((metric) => metric.name)
      .filter((name) => view.metricLabels[name] === undefined && !grouped.has(name));
    expect(unlabelled, 'metrics without a label').toEqual([]);
  });
});

describe.each(listed)('$title', (scenario) => {
  it.each(['pattern', 'baseline'] as const)(
    '%s: replays and resumes from a checkpoint to the same trace under chaos',
    (variant) => {
      const run = chaosRun(scenario.id, variant, 11);
      const straight = new Simulation(scenario, run);
      straight.runUntil(durationUs);
      const again = new Simulation(scenario, run);
      again.runUntil(durationUs);
      expect(again.traceHash).toBe(straight.traceHash);
      const first = new Simulation(scenario, run);
      first.runUntil(checkpointUs);
      const checkpoint = first.checkpoint();
      // Checkpoints keep node state by reference (states are immutable values): running on,
      // here and in the resumed run, must leave what the checkpoint holds exactly as it was.
      const heldBefore = describeDeeply(checkpoint.nodes);
      first.runUntil(durationUs);
      const resumed = Simulation.fromCheckpoint(scenario, checkpoint);
      resumed.runUntil(durationUs);
      expect(describeDeeply(checkpoint.nodes)).toBe(heldBefore);
      expect(first.traceHash).toBe(straight.traceHash);
      expect(resumed.traceHash).toBe(straight.traceHash);
      expect(resumed.metricFinals()).toEqual(straight.metricFinals());
      expect(resumed.invariantResults()).toEqual(straight.invariantResults());
      // What invariants see of the world must match too (the schedule has healed everything).
      expect(straight.hasActiveFaults).toBe(false);
      expect(resumed.hasActiveFaults).toBe(false);
      if (variant === 'pattern') {
        const violated = straight
          .invariantResults()
          .filter((result) => result.kind === 'safety' && result.violations > 0);
        expect(violated, JSON.stringify(run)).toEqual([]);
      }
    },
  );
});

/** Every value reachable from `value`, Maps, Sets and typed arrays included, as one string. */
function describeDeeply(value: unknown): string {
  const seen = new Set<unknown>();
  const walk = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    if (seen.has(item)) return '<shared>';
    seen.add(item);
    let out: unknown;
    if (item instanceof Map) out = { map: [...item].map(([k, v]) => [walk(k), walk(v)]) };
    else if (item instanceof Set) out = { set: [...item].map(walk) };
    else if (ArrayBuffer.isView(item))
      out = { typed: Array.from(item as unknown as ArrayLike<number>) };
    else if (Array.isArray(item)) out = item.map(walk);
    else out = Object.fromEntries(Object.entries(item).map(([k, v]) => [k, walk(v)]));
    seen.delete(item);
    return out;
  };
  return JSON.stringify(walk(value));
}
