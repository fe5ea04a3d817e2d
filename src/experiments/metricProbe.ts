import type { MetricFinal } from '../engine/metrics.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Measures, Probe } from './types.ts';

/** A metric's final value and how many values it aggregated (0 and 0 when never recorded). */
export function finalOf(sim: Simulation, name: string): { value: number; count: number } {
  const found: MetricFinal | undefined = sim.metricFinals().find((each) => each.name === name);
  if (found === undefined) throw new Error(`The scenario has no metric "${name}".`);
  return { value: found.value ?? 0, count: found.count };
}

/** A probe that samples nothing and reads the run's metrics when it ends. */
export function metricProbe(read: (sim: Simulation) => Measures): Probe {
  return {
    everyUs: null,
    sample() {
      // Nothing to read while the run goes.
    },
    finish: read,
  };
}
