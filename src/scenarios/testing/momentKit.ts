import { expect } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment } from '../../engine/types.ts';

/**
 * Helpers the scenarios' moment and storyline tests share: read a run's moments by kind and
 * check when each kind first appears.
 */

/** The kinds of the run's moments, in order. */
export function momentKinds(sim: Simulation): string[] {
  return sim.moments.map((moment) => moment.kind);
}

/** The run's first moment of `kind`; fails the test, naming the kinds seen, if there is none. */
export function firstMomentOf(sim: Simulation, kind: string): Moment {
  const found = sim.moments.find((moment) => moment.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} moment in ${momentKinds(sim).join(', ')}`);
  return found;
}

/** When each kind first appears, in simulated milliseconds, in the order of first appearance. */
export function firstMoments(sim: Simulation): Map<string, number> {
  const first = new Map<string, number>();
  for (const moment of sim.moments) {
    if (!first.has(moment.kind)) first.set(moment.kind, moment.timeUs / 1000);
  }
  return first;
}

/** When each kind first appears, in seconds, and on which nodes. */
export function firstMomentsWithNodes(
  moments: readonly Moment[],
): Record<string, { s: number; nodes: string[] }> {
  const seen: Record<string, { s: number; nodes: string[] }> = {};
  for (const moment of moments) {
    seen[moment.kind] ??= { s: moment.timeUs / 1_000_000, nodes: [...moment.nodes] };
  }
  return seen;
}

/** Exactly these kinds first appear, in this order, each by its bound (simulated ms). */
export function expectFirstBefore(sim: Simulation, bounds: readonly [string, number][]): void {
  const first = firstMoments(sim);
  for (const [kind, boundMs] of bounds) {
    expect(first.get(kind), kind).toBeDefined();
    expect(first.get(kind), kind).toBeLessThanOrEqual(boundMs);
  }
  expect([...first.keys()]).toEqual(bounds.map(([kind]) => kind));
}
