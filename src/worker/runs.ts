import { SimError } from '../engine/errors.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { upgradeFrom } from '../scenarios/earlierVersions.ts';
import type { RunRequest, ScenarioMeta, TopologyMeta } from './protocol.ts';

/** Scenarios the host can load; the registry in production, a test double in tests. */
export interface ScenarioCatalogue {
  readonly scenarios: readonly Scenario[];
  get(id: string): Scenario | undefined;
}

/** Finds a scenario or explains which ids exist. */
export function requireScenario(catalogue: ScenarioCatalogue, id: string): Scenario {
  const scenario = catalogue.get(id);
  if (scenario === undefined) {
    const known = catalogue.scenarios.map((entry) => entry.id).join(', ');
    throw new SimError('unknown-scenario', `"${id}" is not one of: ${known}.`);
  }
  return scenario;
}

/**
 * Turns a checked request into a run description for the scenario's current version. A request
 * recorded with an earlier version the current one still plays exactly (earlierVersions.ts)
 * becomes that run; any other version is refused.
 */
export function describeRun(scenario: Scenario, request: RunRequest): RunDescription {
  const upgrade =
    request.scenarioVersion === undefined
      ? null
      : upgradeFrom(scenario, request.scenarioVersion, request.params);
  if (
    upgrade === null &&
    request.scenarioVersion !== undefined &&
    request.scenarioVersion !== scenario.version
  ) {
    throw new SimError(
      'version-mismatch',
      `Recorded with version ${request.scenarioVersion}; this app has version ${scenario.version} of ${scenario.id}.`,
    );
  }
  return {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    seed: request.seed,
    variant: request.variant,
    params: upgrade?.params ?? request.params,
    commands: request.commands,
  };
}

/** The scenario's static facts as the page needs them (no functions cross the boundary). */
export function scenarioMeta(scenario: Scenario): ScenarioMeta {
  return {
    id: scenario.id,
    version: scenario.version,
    title: scenario.title,
    summary: scenario.summary,
    baselineLabel: scenario.baselineLabel,
    baselineSummary: scenario.baselineSummary,
    params: scenario.params,
    metrics: scenario.metrics,
    moments: scenario.moments,
    instrumentTitle: scenario.instrument?.title ?? null,
    defaultSpeed: scenario.defaultSpeed,
    invariants: scenario.invariants.map(({ id, kind, description }) => ({ id, kind, description })),
    faults: scenario.faults,
    tour: scenario.tour.map((step) => ({
      id: step.id,
      title: step.title,
      narration: step.narration,
      hasActions: step.actions !== undefined,
      waitFor:
        step.waitFor === undefined
          ? null
          : { description: step.waitFor.description, timeoutMs: step.waitFor.timeoutMs },
      question: step.question === undefined ? null : { ...step.question },
      speed: step.speed ?? null,
      comparesWithBaseline: step.comparesWithBaseline === true,
    })),
  };
}

/**
 * The run's topology as plain data: node ids, roles, layout hints and linked pairs, read from the
 * topology and links the simulation already built (never rebuilt, so they cannot disagree).
 */
export function topologyMeta(sim: Simulation): TopologyMeta {
  const n = sim.nodeList.length;
  const links: [number, number][] = [];
  sim.setup.baseLinks.forEach((config, pair) => {
    if (config !== null) links.push([Math.floor(pair / n), pair % n]);
  });
  return {
    nodes: sim.setup.topology.nodes.map((node) => ({
      id: node.id,
      role: node.role,
      layout: node.layout ?? null,
    })),
    links,
  };
}
