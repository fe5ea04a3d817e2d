import { RngStreams } from './rng.ts';
import type {
  Command,
  NodeId,
  RecordedCommand,
  ScenarioModel,
  Topology,
  Variant,
} from './types.ts';

/** Share of the run during which faults are injected; the rest is a quiet, healed phase. */
export const chaosFaultFraction = 0.6;

/**
 * A random but reproducible fault schedule: crashes and restarts, partitions and isolations,
 * lossy links and pauses during the first part of the run, then everything healed and
 * restarted so liveness can be checked. The schedule depends only on (seed, nodes, duration).
 */
export function chaosSchedule(
  seed: number,
  nodeIds: readonly NodeId[],
  durationUs: number,
  isLinked: (from: NodeId, to: NodeId) => boolean = () => true,
): RecordedCommand[] {
  const rng = new RngStreams(seed).get('chaos');
  const commands: RecordedCommand[] = [];
  const crashed = new Set<NodeId>();
  const faultEndUs = Math.floor(durationUs * chaosFaultFraction);
  const pick = (): NodeId => rng.pick(nodeIds);
  let atUs = rng.intBetween(100_000, 600_000);
  while (atUs < faultEndUs) {
    const command = nextFault(rng.int(100), pick, crashed, nodeIds, rng.float(), isLinked);
    if (command !== null) commands.push({ atUs, command });
    atUs += rng.intBetween(100_000, 900_000);
  }
  commands.push({ atUs: faultEndUs, command: { type: 'net.heal' } });
  for (const node of nodeIds) {
    if (crashed.has(node))
      commands.push({ atUs: faultEndUs, command: { type: 'node.restart', node } });
    commands.push({ atUs: faultEndUs, command: { type: 'node.resume', node } });
  }
  return commands;
}

function nextFault(
  roll: number,
  pick: () => NodeId,
  crashed: Set<NodeId>,
  nodeIds: readonly NodeId[],
  fraction: number,
  isLinked: (from: NodeId, to: NodeId) => boolean,
): Command | null {
  if (roll < 25) {
    const node = pick();
    if (crashed.has(node)) return null;
    crashed.add(node);
    return { type: 'node.crash', node };
  }
  if (roll < 45) {
    const [node] = crashed;
    if (node === undefined) return null;
    crashed.delete(node);
    return { type: 'node.restart', node };
  }
  if (roll < 55) return { type: 'net.isolate', node: pick() };
  if (roll < 65) {
    const cut = Math.max(1, Math.floor(fraction * nodeIds.length));
    return { type: 'net.partition', groups: [nodeIds.slice(0, cut)] };
  }
  if (roll < 80) return { type: 'net.heal' };
  if (roll < 90) {
    const from = pick();
    const to = pick();
    // Only links that exist can be made lossy (the same draws either way, so a full mesh's
    // schedule does not depend on the predicate).
    if (from === to || !isLinked(from, to)) return null;
    return {
      type: 'link.set',
      from,
      to,
      isBothWays: true,
      lossProbability: Math.round(fraction * 50) / 100,
    };
  }
  const node = pick();
  if (crashed.has(node)) return null;
  return { type: 'node.pause', node, durationMs: 50 + Math.round(fraction * 950) };
}

/**
 * Whether two nodes of `topology` are linked (listed, or given an override), for
 * `chaosSchedule`.
 */
export function linkTest(topology: Topology): (from: NodeId, to: NodeId) => boolean {
  const { links } = topology;
  if (links === 'full') return () => true;
  const pairs = new Set<string>();
  const overridden = (topology.linkOverrides ?? []).map((override) => override.between);
  for (const [a, b] of [...links, ...overridden]) {
    pairs.add(`${a}\u0000${b}`);
    pairs.add(`${b}\u0000${a}`);
  }
  return (from, to) => pairs.has(`${from}\u0000${to}`);
}

/**
 * The chaos schedule for a run of `model`: its topology (parameters not given take their
 * defaults) decides the node ids and which links exist. `sim --chaos`, the browser
 * determinism test and the scenario contract test all use this one function, so a seed means
 * the same faults everywhere.
 */
export function chaosScheduleFor(
  model: ScenarioModel,
  seed: number,
  variant: Variant,
  params: Readonly<Record<string, number>>,
  durationUs: number,
): RecordedCommand[] {
  const resolved: Record<string, number> = {};
  for (const [key, spec] of Object.entries(model.params)) {
    resolved[key] = params[key] ?? spec.default;
  }
  const topology = model.topology(resolved, variant);
  const nodeIds = topology.nodes.map((node) => node.id);
  return chaosSchedule(seed, nodeIds, durationUs, linkTest(topology));
}
