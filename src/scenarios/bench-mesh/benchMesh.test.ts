import { describe, expect, it } from 'vitest';
import { rngStreamCountMax } from '../../engine/rng.ts';
import { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { getScenario } from '../registry.ts';
import { benchMesh, benchMeshParams, circlePoint } from './model.ts';

function start(seed: number, commands: readonly RecordedCommand[] = []): Simulation {
  return new Simulation(benchMesh, {
    scenarioId: benchMesh.id,
    scenarioVersion: benchMesh.version,
    seed,
    variant: 'pattern',
    params: {},
    commands,
  });
}

describe('bench-mesh', () => {
  it('is hidden but loadable by id', () => {
    expect(benchMesh.isHidden).toBe(true);
    expect(getScenario('bench-mesh')).toBe(benchMesh);
  });

  it('holds about 2,000 messages in flight at steady state with the defaults', () => {
    const sim = start(1);
    sim.runUntil(1_000_000);
    const inFlight = sim.messagesInFlight(10_000).length;
    expect(inFlight).toBeGreaterThan(1_800);
    expect(inFlight).toBeLessThan(2_200);
    const sampled = sim.metricFinals().find((final) => final.name === 'in-flight');
    expect(sampled?.value).toBeGreaterThan(1_500);
    expect(sim.invariantResults().every((result) => result.violations === 0)).toBe(true);
  });

  it('replays to the same trace hash', () => {
    const a = start(7);
    const b = start(7);
    a.runUntil(300_000);
    b.runUntil(300_000);
    expect(a.traceHash).toBe(b.traceHash);
  });

  it('counts no stray pong under duplication, loss and a crash and restart', () => {
    const sim = start(3, [
      {
        atUs: 100_000,
        command: {
          type: 'link.set',
          from: 'm1',
          to: 'm2',
          isBothWays: true,
          duplicateProbability: 0.5,
          lossProbability: 0.2,
        },
      },
      { atUs: 200_000, command: { type: 'node.crash', node: 'm2' } },
      { atUs: 260_000, command: { type: 'node.restart', node: 'm2' } },
    ]);
    sim.runUntil(2_000_000);
    const safety = sim.invariantResults().find((result) => result.id === 'pongs-answer-pings');
    expect(safety?.violations).toBe(0);
    expect(sim.hasSafetyViolation).toBe(false);
  });

  it('puts the nodes on a circle, first at the top, clockwise, evenly to within 5%', () => {
    const count = 100;
    const points = Array.from({ length: count }, (_, index) => circlePoint(index, count));
    expect(points[0]?.x).toBeCloseTo(0.5, 9);
    expect(points[0]?.y).toBeCloseTo(0.08, 9);
    expect(points[1]?.x).toBeGreaterThan(0.5);
    const gaps = points.map((point, index) => {
      const next = points[(index + 1) % count] ?? point;
      expect(Math.hypot(point.x - 0.5, point.y - 0.5)).toBeCloseTo(0.42, 9);
      return Math.hypot(next.x - point.x, next.y - point.y);
    });
    expect(Math.max(...gaps) / Math.min(...gaps)).toBeLessThan(1.05);
  });

  it('keeps its largest mesh within the random streams the engine allows', () => {
    // One stream per directed link in use, plus a few per node: a larger mesh would throw
    // "Too many random streams" once enough of its links had carried a message.
    const nodes = benchMeshParams.nodeCount.max;
    expect(nodes * (nodes - 1) + 4 * nodes).toBeLessThan(rngStreamCountMax);
  });
});
