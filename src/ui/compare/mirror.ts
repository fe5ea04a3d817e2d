import type { Command, RecordedCommand } from '../../engine/types.ts';
import type { SideInfo } from './protocol.ts';

/*
 * Which of one side's commands apply to the other side. A fault goes to both sides when what it
 * names exists on both: the node, both ends of the link (and the link itself), the scenario
 * fault for that node's role, the live parameter. Partitions and cuts keep the nodes that exist.
 */

export type MirrorDecision =
  | { readonly ok: true; readonly command: Command; readonly note: string | null }
  | { readonly ok: false; readonly reason: string };

/** What the other side needs of a command, or why it cannot take it. */
export function mirrorDecision(
  command: Command,
  target: SideInfo,
  variedParamKey: string | null,
): MirrorDecision {
  const nodeIds = target.topology.nodes.map((node) => node.id);
  const has = (id: string) => nodeIds.includes(id);
  switch (command.type) {
    case 'net.heal':
      return accept(command);
    case 'param.set':
      return paramDecision(command, target, variedParamKey);
    case 'net.partition': {
      const groups = command.groups
        .map((group) => group.filter(has))
        .filter((group) => group.length > 0);
      const missing = command.groups.flat().filter((id) => !has(id));
      if (groups.length < 2)
        return reject(`${listMissing(missing)}, so no partition of two groups is left`);
      return accept({ ...command, groups }, missing.length === 0 ? null : droppedNote(missing));
    }
    case 'net.cut': {
      const from = command.from.filter(has);
      const to = command.to.filter(has);
      const missing = [...command.from, ...command.to].filter((id) => !has(id));
      if (from.length === 0 || to.length === 0)
        return reject(`${listMissing(missing)}, so one side of the cut is empty`);
      return accept({ ...command, from, to }, missing.length === 0 ? null : droppedNote(missing));
    }
    case 'link.set':
    case 'link.hold':
    case 'link.release': {
      const missing = [command.from, command.to].filter((id) => !has(id));
      if (missing.length > 0) return reject(listMissing(missing));
      if (!isLinked(target, command.from, command.to))
        return reject(`${command.from} and ${command.to} are not linked there`);
      return accept(command);
    }
    case 'scenario.fault':
      return faultDecision(command, target);
    case 'node.crash':
    case 'node.restart':
    case 'node.pause':
    case 'node.resume':
    case 'node.skew':
    case 'net.isolate': {
      return has(command.node) ? accept(command) : reject(listMissing([command.node]));
    }
    default: {
      const unknown: never = command;
      return reject(`it is a command this page does not know (${JSON.stringify(unknown)})`);
    }
  }
}

function paramDecision(
  command: Extract<Command, { type: 'param.set' }>,
  target: SideInfo,
  variedParamKey: string | null,
): MirrorDecision {
  const spec = target.meta.params[command.key];
  if (command.key === variedParamKey)
    return reject(`"${spec?.label ?? command.key}" is the parameter this comparison varies`);
  if (spec === undefined) return reject(`it has no parameter "${command.key}"`);
  if (spec.isLive !== true) return reject(`${spec.label} cannot change during a run there`);
  return accept(command);
}

function faultDecision(
  command: Extract<Command, { type: 'scenario.fault' }>,
  target: SideInfo,
): MirrorDecision {
  const node = target.topology.nodes.find((candidate) => candidate.id === command.node);
  if (node === undefined) return reject(listMissing([command.node]));
  const spec = target.meta.faults.find((fault) => fault.id === command.fault);
  if (spec === undefined) return reject(`it has no fault "${command.fault}"`);
  if (!spec.roles.includes(node.role))
    return reject(`${spec.label} does not apply to ${command.node} there (a ${node.role})`);
  return accept(command);
}

function isLinked(target: SideInfo, from: string, to: string): boolean {
  const nodes = target.topology.nodes;
  const fromIndex = nodes.findIndex((node) => node.id === from);
  const toIndex = nodes.findIndex((node) => node.id === to);
  return target.topology.links.some(
    ([a, b]) => (a === fromIndex && b === toIndex) || (a === toIndex && b === fromIndex),
  );
}

function accept(command: Command, note: string | null = null): MirrorDecision {
  return { ok: true, command, note };
}

function reject(reason: string): MirrorDecision {
  return { ok: false, reason };
}

function listMissing(ids: readonly string[]): string {
  const unique = [...new Set(ids)];
  return unique.length === 1
    ? `it has no node ${unique[0] ?? ''}`
    : `it has no nodes ${unique.join(', ')}`;
}

function droppedNote(ids: readonly string[]): string {
  return `left out ${[...new Set(ids)].join(', ')}, which that side does not have`;
}

/**
 * The entries of `next` that are new since `previous`: those after the common prefix that
 * `previous` did not hold. A removal replays the remaining entries, which are not new; a
 * command given in the past cuts the log there and adds itself.
 */
export function newCommands(
  previous: readonly RecordedCommand[],
  next: readonly RecordedCommand[],
): RecordedCommand[] {
  const key = (entry: RecordedCommand) => JSON.stringify([entry.atUs, entry.event, entry.command]);
  let prefix = 0;
  while (
    prefix < previous.length &&
    prefix < next.length &&
    key(previous[prefix] as RecordedCommand) === key(next[prefix] as RecordedCommand)
  ) {
    prefix++;
  }
  const known = new Set(previous.map(key));
  return next.slice(prefix).filter((entry) => !known.has(key(entry)));
}
