import type { InvariantResult } from '../engine/invariants.ts';
import type { MetricFinal } from '../engine/metrics.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Moment, RunDescription } from '../engine/types.ts';
import type { RunRequest } from './protocol.ts';
import type { ScenarioCatalogue } from './runs.ts';
import { ManualScheduler } from './scheduler.ts';
import { createInProcessTransport } from './transport.ts';

/** What a headless run reports. */
export interface HeadlessSummary {
  readonly scenarioId: string;
  readonly scenarioVersion: number;
  readonly title: string;
  readonly seed: number;
  readonly variant: RunDescription['variant'];
  readonly events: number;
  readonly simulatedMs: number;
  readonly traceHash: string;
  readonly invariants: readonly InvariantResult[];
  readonly metrics: readonly MetricFinal[];
  readonly hasSafetyViolation: boolean;
  /** The pattern-level moments the scenario reported, oldest first. */
  readonly moments: readonly Moment[];
  readonly run: RunDescription;
}

/**
 * Runs a request to `durationUs` through the in-process host (the same code path the page uses
 * through the worker), synchronously. `inspect` sees the finished simulation (the CLI reads the
 * clients' history from it for `--check consistency`).
 */
export function runHeadless(
  catalogue: ScenarioCatalogue,
  request: RunRequest,
  durationUs: number,
  inspect?: (sim: Simulation) => void,
): HeadlessSummary {
  const transport = createInProcessTransport(catalogue, new ManualScheduler(), {
    isSynchronous: true,
  });
  const failures: { code: string; message: string }[] = [];
  transport.subscribe((message) => {
    if (message.type === 'error') failures.push({ code: message.code, message: message.message });
  });
  transport.send({ type: 'load', requestId: 1, run: request });
  if (failures.length === 0) {
    transport.send({ type: 'step', requestId: 2, mode: { kind: 'until', timeUs: durationUs } });
  }
  const sim = transport.host.simulation;
  transport.close();
  const [failed] = failures;
  if (failed !== undefined) throw new HeadlessError(failed.code, failed.message);
  if (sim === null) throw new HeadlessError('bad-command', 'The run did not load.');
  inspect?.(sim);
  return {
    scenarioId: sim.model.id,
    scenarioVersion: sim.model.version,
    title: sim.model.title,
    seed: request.seed,
    variant: request.variant,
    events: sim.eventCount,
    simulatedMs: sim.nowUs / 1000,
    traceHash: sim.traceHash,
    invariants: sim.invariantResults(),
    metrics: sim.metricFinals(),
    hasSafetyViolation: sim.hasSafetyViolation,
    moments: sim.moments,
    run: sim.describe(),
  };
}

/** A headless run that could not start or failed, with the host's error code. */
export class HeadlessError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'HeadlessError';
    this.code = code;
  }
}
