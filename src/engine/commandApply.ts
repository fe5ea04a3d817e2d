import { SimError } from './errors.ts';
import { EventKind } from './eventPool.ts';
import { type LinkConfig, type LinkState, linkConfigProblem } from './network.ts';
import type { NodeRuntime } from './nodeRuntime.ts';
import { paramProblem } from './setup.ts';
import type { Simulation } from './simulation.ts';
import { TraceCode } from './trace.ts';
import type { Command, NodeId } from './types.ts';

/** Longest pause a command may ask for. */
export const pauseMsMax = 600_000;
/** Largest clock offset a command may set, either way. */
export const skewMsMax = 3_600_000;
/** Largest drift a command may set, either way (10%). */
export const driftPpmMax = 100_000;

/**
 * Applies one command to the simulation at the current step boundary. Throws a SimError (and
 * changes nothing) when the command does not fit the run.
 */
export function applyCommand(sim: Simulation, command: Command): void {
  validateCommand(sim, command);
  const now = sim.clockUs;
  const trace = sim.trace;
  trace.record(now, TraceCode['command.applied'], -1, -1, -1, command.type, 0);
  switch (command.type) {
    case 'node.crash':
      crashNode(sim, sim.nodeById(command.node));
      break;
    case 'node.restart': {
      const node = sim.nodeById(command.node);
      if (node.status === 'up') break;
      if (node.status === 'paused') dropPaused(sim, node);
      trace.record(now, TraceCode['node.restarted'], node.index, -1, -1, '', 0);
      sim.startNode(node);
      break;
    }
    case 'node.pause':
      pauseNode(sim, sim.nodeById(command.node), command.durationMs);
      break;
    case 'node.resume':
      sim.resumeNode(sim.nodeById(command.node));
      break;
    case 'node.skew': {
      const node = sim.nodeById(command.node);
      node.clockOffsetUs = Math.round(command.offsetMs * 1000);
      node.clockDriftPpm = Math.round(command.driftPpm ?? 0);
      trace.record(now, TraceCode['node.skewed'], node.index, -1, -1, '', node.clockOffsetUs);
      break;
    }
    case 'net.partition':
      partition(sim, command.groups);
      break;
    case 'net.isolate':
      partition(sim, [[command.node]]);
      break;
    case 'net.cut':
      for (const from of command.from) {
        for (const to of command.to) block(sim, from, to);
      }
      trace.record(now, TraceCode['net.partitioned'], -1, -1, -1, 'cut', sim.blockedCount);
      break;
    case 'net.heal':
      healNetwork(sim);
      break;
    case 'link.set':
      setLink(sim, command);
      break;
    case 'link.hold':
    case 'link.release':
      holdLink(sim, command.from, command.to, command.type === 'link.hold');
      break;
    case 'scenario.fault': {
      const node = sim.nodeById(command.node);
      trace.record(now, TraceCode['fault.injected'], node.index, -1, -1, command.fault, 0);
      if (node.status === 'up') {
        sim.deliver(node, { kind: 'fault', fault: command.fault, args: command.args ?? {} });
      }
      break;
    }
    case 'param.set':
      sim.currentParams = { ...sim.currentParams, [command.key]: command.value };
      trace.record(now, TraceCode['param.changed'], -1, -1, -1, command.key, command.value);
      break;
    default: {
      const unknownCommand: never = command;
      throw new SimError('bad-command', `Unknown command ${JSON.stringify(unknownCommand)}.`);
    }
  }
  if (command.type !== 'param.set' && command.type !== 'scenario.fault') sim.faultsChanged();
}

function crashNode(sim: Simulation, node: NodeRuntime): void {
  if (node.status === 'crashed') return;
  if (node.status === 'paused') dropPaused(sim, node);
  node.status = 'crashed';
  node.incarnation++;
  node.timers.clear();
  node.state = undefined;
  node.summary = { label: 'down', badge: '', health: 'bad' };
  sim.trace.record(sim.clockUs, TraceCode['node.crashed'], node.index, -1, -1, '', 0);
}

/** Messages a paused node had buffered are lost when it crashes or restarts. */
function dropPaused(sim: Simulation, node: NodeRuntime): void {
  const pool = sim.pool;
  for (const slot of node.pausedSlots) {
    if (pool.kinds[slot] === EventKind.delivery) {
      const type = (pool.objects[slot] as { type: string }).type;
      const from = pool.sources[slot] as number;
      sim.trace.record(
        sim.clockUs,
        TraceCode['message.dropped'],
        node.index,
        from,
        pool.ids[slot] as number,
        type,
        2,
      );
    }
    pool.release(slot);
  }
  node.pausedSlots = [];
}

function pauseNode(sim: Simulation, node: NodeRuntime, durationMs: number | undefined): void {
  if (node.status !== 'up') return;
  node.status = 'paused';
  sim.trace.record(sim.clockUs, TraceCode['node.paused'], node.index, -1, -1, '', durationMs ?? -1);
  if (durationMs !== undefined) {
    const slot = sim.pool.alloc(EventKind.resume, node.index);
    sim.pushEvent(sim.clockUs + Math.round(durationMs * 1000), slot);
  }
}

function block(sim: Simulation, from: NodeId, to: NodeId): void {
  const pair = sim.nodeById(from).index * sim.nodeList.length + sim.nodeById(to).index;
  if (from === to || sim.blocked[pair] !== 0) return;
  sim.blocked[pair] = 1;
  sim.blockedCount++;
}

/**
 * Cuts every listed group off from every node outside it (nodes in no group form one more
 * group: "the rest"). Partitions add up until healed.
 */
function partition(sim: Simulation, groups: readonly (readonly NodeId[])[]): void {
  const groupOf = new Map<NodeId, number>();
  groups.forEach((group, index) => {
    for (const id of group) groupOf.set(id, index);
  });
  const ids = sim.nodeIds;
  for (const from of ids) {
    for (const to of ids) {
      if ((groupOf.get(from) ?? -1) !== (groupOf.get(to) ?? -1)) block(sim, from, to);
    }
  }
  const label = groups.map((group) => group.join(',')).join(' | ');
  sim.trace.record(sim.clockUs, TraceCode['net.partitioned'], -1, -1, -1, label, sim.blockedCount);
}

function setLink(sim: Simulation, command: Extract<Command, { type: 'link.set' }>): void {
  const directions: [NodeId, NodeId][] = [[command.from, command.to]];
  if (command.isBothWays === true) directions.push([command.to, command.from]);
  for (const [from, to] of directions) {
    const a = sim.nodeById(from);
    const b = sim.nodeById(to);
    const pair = a.index * sim.nodeList.length + b.index;
    const link = sim.links[pair] as LinkState;
    link.config = mergeLink(link.config, command);
    sim.trace.record(
      sim.clockUs,
      TraceCode['link.changed'],
      a.index,
      b.index,
      -1,
      '',
      link.config.lossProbability,
    );
  }
}

function mergeLink(
  config: LinkConfig,
  command: Extract<Command, { type: 'link.set' }>,
): LinkConfig {
  return {
    ...config,
    ...(command.latency === undefined ? {} : { latency: command.latency }),
    ...(command.lossProbability === undefined ? {} : { lossProbability: command.lossProbability }),
    ...(command.duplicateProbability === undefined
      ? {}
      : { duplicateProbability: command.duplicateProbability }),
  };
}

/** Heals every network fault: partitions and cuts, held links, and changed link settings. */
function healNetwork(sim: Simulation): void {
  sim.blocked.fill(0);
  sim.blockedCount = 0;
  const n = sim.nodeList.length;
  sim.links.forEach((link, pair) => {
    const base = sim.setup.baseLinkConfig(pair);
    if (base !== null) link.config = base;
    if (link.isHeld) {
      holdLink(sim, sim.nodeIds[Math.floor(pair / n)] ?? '', sim.nodeIds[pair % n] ?? '', false);
    }
  });
  sim.trace.record(sim.clockUs, TraceCode['net.healed'], -1, -1, -1, '', 0);
}

function holdLink(sim: Simulation, from: NodeId, to: NodeId, isHold: boolean): void {
  const a = sim.nodeById(from);
  const b = sim.nodeById(to);
  const link = sim.links[a.index * sim.nodeList.length + b.index] as LinkState;
  if (link.isHeld === isHold) return;
  link.isHeld = isHold;
  const code = isHold ? TraceCode['link.held'] : TraceCode['link.released'];
  sim.trace.record(sim.clockUs, code, a.index, b.index, -1, '', link.held.length);
  if (!isHold) {
    const waiting = link.held;
    link.held = [];
    for (const slot of waiting) sim.pushEvent(sim.clockUs, slot);
  }
}

/** Throws a SimError describing the first thing wrong with `command` for this run. */
export function validateCommand(sim: Simulation, command: Command): void {
  const needNode = (id: NodeId): NodeRuntime => sim.nodeById(id);
  const needLink = (from: NodeId, to: NodeId): void => {
    const pair = needNode(from).index * sim.nodeList.length + needNode(to).index;
    if (sim.links[pair]?.exists !== true) {
      throw new SimError('no-link', `There is no link from ${from} to ${to}.`);
    }
  };
  switch (command.type) {
    case 'node.crash':
    case 'node.restart':
    case 'node.resume':
    case 'net.isolate':
      needNode(command.node);
      return;
    case 'node.pause':
      needNode(command.node);
      if (
        command.durationMs !== undefined &&
        !(command.durationMs > 0 && command.durationMs <= pauseMsMax)
      ) {
        throw new SimError(
          'bad-command',
          `A pause lasts 0–${pauseMsMax} ms, got ${String(command.durationMs)}.`,
        );
      }
      return;
    case 'node.skew':
      needNode(command.node);
      if (!(Math.abs(command.offsetMs) <= skewMsMax)) {
        throw new SimError('bad-command', `Clock offset must be within ±${skewMsMax} ms.`);
      }
      if (command.driftPpm !== undefined && !(Math.abs(command.driftPpm) <= driftPpmMax)) {
        throw new SimError('bad-command', `Clock drift must be within ±${driftPpmMax} ppm.`);
      }
      return;
    case 'net.partition':
      if (command.groups.length === 0)
        throw new SimError('bad-command', 'A partition needs a group.');
      for (const group of command.groups) {
        for (const id of group) needNode(id);
      }
      return;
    case 'net.cut':
      command.from.forEach(needNode);
      command.to.forEach(needNode);
      return;
    case 'net.heal':
      return;
    case 'link.set': {
      needLink(command.from, command.to);
      if (command.isBothWays === true) needLink(command.to, command.from);
      const base =
        sim.links[needNode(command.from).index * sim.nodeList.length + needNode(command.to).index];
      const problem =
        base === undefined ? null : linkConfigProblem(mergeLink(base.config, command));
      if (problem !== null) throw new SimError('bad-link', `${problem}.`);
      return;
    }
    case 'link.hold':
    case 'link.release':
      needLink(command.from, command.to);
      return;
    case 'scenario.fault':
      validateFault(sim, command);
      return;
    case 'param.set': {
      const spec = sim.model.params[command.key];
      if (spec === undefined) throw new SimError('unknown-param', `"${command.key}".`);
      if (spec.isLive !== true) throw new SimError('param-not-live', `"${command.key}".`);
      const problem = paramProblem(spec, command.value);
      if (problem !== null) throw new SimError('param-out-of-range', `${command.key}: ${problem}.`);
      return;
    }
    default: {
      const unknownCommand: never = command;
      throw new SimError('bad-command', `Unknown command ${JSON.stringify(unknownCommand)}.`);
    }
  }
}

function validateFault(
  sim: Simulation,
  command: Extract<Command, { type: 'scenario.fault' }>,
): void {
  const spec = sim.model.faults.find((fault) => fault.id === command.fault);
  if (spec === undefined) {
    const known = sim.model.faults.map((fault) => fault.id).join(', ') || 'none';
    throw new SimError('unknown-fault', `"${command.fault}" (this scenario has: ${known}).`);
  }
  const node = sim.nodeById(command.node);
  if (!spec.roles.includes(node.role)) {
    throw new SimError(
      'bad-command',
      `${spec.label} applies to ${spec.roles.join(' or ')}, not ${node.role}.`,
    );
  }
  for (const [key, value] of Object.entries(command.args ?? {})) {
    const argSpec = spec.args[key];
    if (argSpec === undefined)
      throw new SimError('bad-command', `${spec.label} has no argument "${key}".`);
    const problem = paramProblem(argSpec, value);
    if (problem !== null) throw new SimError('bad-command', `${spec.label} ${key}: ${problem}.`);
  }
}
