import { SimError } from './errors.ts';
import { type LinkConfig, linkConfigProblem } from './network.ts';
import { RngStreams } from './rng.ts';
import type { SimulationOptions } from './simulation.ts';
import type {
  Command,
  NodeId,
  ParamSpec,
  RecordedCommand,
  RunDescription,
  ScenarioModel,
  Topology,
} from './types.ts';

/** Nodes per run; the 101-node leader election benchmark sits well inside it. */
export const nodeCountMax = 512;

/** A run description checked against its scenario, with the topology built. */
export interface RunSetup {
  readonly run: RunDescription;
  readonly params: Readonly<Record<string, number>>;
  readonly topology: Topology;
  readonly nodeIds: readonly NodeId[];
  readonly nodeIndex: ReadonlyMap<NodeId, number>;
  /** Configuration of each ordered pair (from × n + to) as the topology defines it; null: no link. */
  readonly baseLinks: readonly (LinkConfig | null)[];
  readonly streams: RngStreams;
  readonly commands: readonly RecordedCommand[];
  baseLinkConfig(pair: number): LinkConfig | null;
}

/**
 * Resolves a scenario's parameters: defaults for missing keys, errors for unknown keys and
 * out-of-range values (callers that want clamping, like share links, clamp before this).
 */
export function resolveParams(
  specs: Readonly<Record<string, ParamSpec>>,
  given: Readonly<Record<string, number>>,
): Record<string, number> {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(specs, key)) {
      const known = Object.keys(specs).join(', ');
      throw new SimError('unknown-param', `"${key}" is not one of: ${known}.`);
    }
  }
  const params: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = given[key] ?? spec.default;
    const problem = paramProblem(spec, value);
    if (problem !== null) throw new SimError('param-out-of-range', `${key}: ${problem}`);
    params[key] = value;
  }
  return params;
}

/** Describes why `value` does not fit `spec`, or null when it does. */
export function paramProblem(spec: ParamSpec, value: number): string | null {
  if (!Number.isFinite(value)) return `${String(value)} is not a number`;
  if (value < spec.min || value > spec.max) {
    return `${value} is outside ${spec.min}–${spec.max}${spec.unit === '' ? '' : ' ' + spec.unit}`;
  }
  return null;
}

/** Checks a run description and builds everything the simulation starts from. */
export function setupRun(
  model: ScenarioModel,
  run: RunDescription,
  options: SimulationOptions,
): RunSetup {
  if (run.scenarioId !== model.id) {
    throw new SimError(
      'unknown-scenario',
      `Run is for "${run.scenarioId}", model is "${model.id}".`,
    );
  }
  if (run.scenarioVersion !== model.version) {
    throw new SimError(
      'version-mismatch',
      `Recorded with version ${run.scenarioVersion}, this is version ${model.version} of ${model.id}.`,
    );
  }
  if (!Number.isSafeInteger(run.seed) || run.seed < 0) {
    throw new SimError('bad-seed', `Got ${String(run.seed)}.`);
  }
  const params = resolveParams(model.params, run.params);
  const topology = model.topology(params, run.variant);
  const nodeIds = topology.nodes.map((node) => node.id);
  if (nodeIds.length === 0 || nodeIds.length > nodeCountMax) {
    throw new SimError(
      'bad-scenario',
      `A topology needs 1–${nodeCountMax} nodes, got ${nodeIds.length}.`,
    );
  }
  const nodeIndex = new Map<NodeId, number>();
  nodeIds.forEach((id, index) => {
    if (nodeIndex.has(id)) throw new SimError('bad-scenario', `Node id "${id}" appears twice.`);
    nodeIndex.set(id, index);
  });
  const baseLinks = buildLinks(topology, nodeIndex);
  const commands = checkCommandOrder(run.commands, options.commandLogMax);
  // A recorded command naming a node this topology lacks would fail mid-run; refuse it now.
  commands.forEach((record, index) => {
    for (const id of commandNodeIds(record.command)) {
      if (!nodeIndex.has(id)) {
        throw new SimError(
          'unknown-node',
          `Command #${index + 1} (${record.command.type}) names "${id}", which is not in this run.`,
        );
      }
    }
  });
  return {
    run,
    params,
    topology,
    nodeIds,
    nodeIndex,
    baseLinks,
    streams: new RngStreams(run.seed),
    commands,
    baseLinkConfig: (pair) => baseLinks[pair] ?? null,
  };
}

function buildLinks(
  topology: Topology,
  nodeIndex: ReadonlyMap<NodeId, number>,
): (LinkConfig | null)[] {
  const n = nodeIndex.size;
  const check = (config: LinkConfig, where: string): LinkConfig => {
    const problem = linkConfigProblem(config);
    if (problem !== null) throw new SimError('bad-scenario', `Link ${where}: ${problem}.`);
    return config;
  };
  const base = check(topology.linkConfig, 'default');
  const links = new Array<LinkConfig | null>(n * n).fill(null);
  const indexOf = (id: NodeId): number => {
    const index = nodeIndex.get(id);
    if (index === undefined) throw new SimError('bad-scenario', `Link names unknown node "${id}".`);
    return index;
  };
  if (topology.links === 'full') {
    for (let from = 0; from < n; from++) {
      for (let to = 0; to < n; to++) if (from !== to) links[from * n + to] = base;
    }
  } else {
    for (const [a, b] of topology.links) {
      links[indexOf(a) * n + indexOf(b)] = base;
      links[indexOf(b) * n + indexOf(a)] = base;
    }
  }
  for (const override of topology.linkOverrides ?? []) {
    const [a, b] = override.between;
    const config = check(override.config, `${a}–${b}`);
    links[indexOf(a) * n + indexOf(b)] = config;
    links[indexOf(b) * n + indexOf(a)] = config;
  }
  return links;
}

/** The node ids a command refers to. */
export function commandNodeIds(command: Command): readonly NodeId[] {
  switch (command.type) {
    case 'node.crash':
    case 'node.restart':
    case 'node.pause':
    case 'node.resume':
    case 'node.skew':
    case 'net.isolate':
    case 'scenario.fault':
      return [command.node];
    case 'net.partition':
      return command.groups.flat();
    case 'net.cut':
      return [...command.from, ...command.to];
    case 'link.set':
    case 'link.hold':
    case 'link.release':
      return [command.from, command.to];
    case 'net.heal':
    case 'param.set':
      return [];
    default: {
      const unknownCommand: never = command;
      throw new SimError('bad-command', `Unknown command ${JSON.stringify(unknownCommand)}.`);
    }
  }
}

function checkCommandOrder(
  commands: readonly RecordedCommand[],
  commandLogMax: number,
): readonly RecordedCommand[] {
  if (commands.length > commandLogMax) {
    throw new SimError('limit-exceeded', `${commands.length} commands; at most ${commandLogMax}.`);
  }
  let lastUs = 0;
  let lastEvent = 0;
  commands.forEach((record, index) => {
    if (!Number.isFinite(record.atUs) || record.atUs < 0) {
      throw new SimError('bad-command', `Command #${index + 1} has time ${String(record.atUs)}.`);
    }
    if (record.atUs < lastUs || (record.event !== undefined && record.event < lastEvent)) {
      throw new SimError('command-order', `Command #${index + 1} comes before the one above it.`);
    }
    lastUs = record.atUs;
    if (record.event !== undefined) lastEvent = record.event;
  });
  return commands;
}
