import type { LatencySpec } from '../engine/network.ts';
import { choiceFor, valueText } from '../engine/paramText.ts';
import type { Command, RecordedCommand } from '../engine/types.ts';
import type { ScenarioMeta } from './protocol.ts';

/**
 * Commands in words, for the command log: "2.350 s · crash n3". Pure functions, so the wording
 * is tested without a page.
 */

/** What the wording may use besides the command itself. */
export interface CommandTextContext {
  /** Every node id in topology order: tells whether a partition leaves "the rest". */
  readonly nodeIds?: readonly string[];
  /** Labels and units of scenario faults and parameters. */
  readonly meta?: Pick<ScenarioMeta, 'faults' | 'params'>;
}

/** A number with at most `decimals` decimals and no trailing zeros: 0.8, 5, 12.5. */
export function trimmedNumber(value: number, decimals = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Simulated time in seconds with milliseconds: "2.350 s". */
export function secondsText(timeUs: number): string {
  return `${(timeUs / 1_000_000).toFixed(3)} s`;
}

/** A duration in microseconds as milliseconds: "5 ms", "0.8 ms". */
export function msText(us: number): string {
  return `${trimmedNumber(us / 1000)} ms`;
}

/** A probability as a percentage: 0.125 → "12.5%". */
export function percentText(probability: number): string {
  return `${trimmedNumber(probability * 100, 2)}%`;
}

function signed(value: number, unit: string): string {
  return `${value > 0 ? '+' : ''}${trimmedNumber(value)} ${unit}`;
}

/** A latency distribution in human units: "5–15 ms", "≈10 ms (sd 2 ms)". */
export function latencyText(spec: LatencySpec): string {
  let text: string;
  switch (spec.kind) {
    case 'constant':
      text = msText(spec.us);
      break;
    case 'uniform':
      text =
        spec.minUs === spec.maxUs
          ? msText(spec.minUs)
          : `${trimmedNumber(spec.minUs / 1000)}–${msText(spec.maxUs)}`;
      break;
    case 'normal':
      text = `≈${msText(spec.meanUs)} (sd ${msText(spec.sdUs)}, at least ${msText(spec.minUs)})`;
      break;
    case 'exponential':
      text = `${msText(spec.minUs)} + ~${msText(spec.meanExtraUs)} (exponential)`;
      break;
    default: {
      const unknownKind: never = spec;
      return String(unknownKind);
    }
  }
  const tail = spec.slowTail;
  if (tail === undefined) return text;
  return `${text}, ${percentText(tail.probability)} of them ×${trimmedNumber(tail.factor)}`;
}

function groupText(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

function partitionText(
  groups: readonly (readonly string[])[],
  nodeIds?: readonly string[],
): string {
  const grouped = new Set(groups.flat());
  const hasRest = nodeIds === undefined || nodeIds.some((id) => !grouped.has(id));
  const parts = groups.map(groupText);
  if (hasRest) parts.push('rest');
  return `partition ${parts.join(' | ')}`;
}

function linkSetText(command: Extract<Command, { type: 'link.set' }>): string {
  const arrow = command.isBothWays === true ? '↔' : '→';
  const changes: string[] = [];
  if (command.latency !== undefined) changes.push(`latency ${latencyText(command.latency)}`);
  if (command.lossProbability !== undefined)
    changes.push(`loss ${percentText(command.lossProbability)}`);
  if (command.duplicateProbability !== undefined) {
    changes.push(`duplicates ${percentText(command.duplicateProbability)}`);
  }
  const what = changes.length === 0 ? 'no change' : changes.join(', ');
  return `link ${command.from} ${arrow} ${command.to}: ${what}`;
}

function faultText(
  command: Extract<Command, { type: 'scenario.fault' }>,
  meta: CommandTextContext['meta'],
): string {
  const spec = meta?.faults.find((fault) => fault.id === command.fault);
  const name = spec?.label ?? command.fault;
  const args = Object.entries(command.args ?? {}).map(([key, value]) => {
    const arg = spec?.args[key];
    // A number that names something is said by its name ("Route catalog", "Shadow on").
    const choice = arg === undefined ? undefined : choiceFor(arg, value);
    if (arg !== undefined && choice !== undefined) return `${arg.label} ${choice.label}`;
    const unit = arg === undefined || arg.unit === '' ? '' : ` ${arg.unit}`;
    return `${arg?.label ?? key} ${trimmedNumber(value)}${unit}`;
  });
  const argText = args.length === 0 ? '' : ` (${args.join(', ')})`;
  return `${name} on ${command.node}${argText}`;
}

function paramText(key: string, value: number, meta: CommandTextContext['meta']): string {
  const spec = meta?.params[key];
  // A value that names something is said by its name ("set Balancing to round robin").
  if (spec?.choices !== undefined) return `set ${spec.label} to ${valueText(spec, value)}`;
  const unit = spec === undefined || spec.unit === '' ? '' : ` ${spec.unit}`;
  return `set ${spec?.label ?? key} to ${trimmedNumber(value)}${unit}`;
}

/** A command in words, without its time: "crash n3", "partition {n1,n2} | rest". */
export function commandText(command: Command, context: CommandTextContext = {}): string {
  switch (command.type) {
    case 'node.crash':
      return `crash ${command.node}`;
    case 'node.restart':
      return `restart ${command.node}`;
    case 'node.pause':
      return command.durationMs === undefined
        ? `pause ${command.node}`
        : `pause ${command.node} for ${trimmedNumber(command.durationMs)} ms`;
    case 'node.resume':
      return `resume ${command.node}`;
    case 'node.skew': {
      const drift =
        command.driftPpm === undefined || command.driftPpm === 0
          ? ''
          : `, drift ${signed(command.driftPpm, 'ppm')}`;
      return `skew ${command.node} clock by ${signed(command.offsetMs, 'ms')}${drift}`;
    }
    case 'net.partition':
      return partitionText(command.groups, context.nodeIds);
    case 'net.isolate':
      return `isolate ${command.node}`;
    case 'net.cut':
      return `cut ${groupText(command.from)} → ${groupText(command.to)}`;
    case 'net.heal':
      return 'heal network';
    case 'link.set':
      return linkSetText(command);
    case 'link.hold':
      return `hold link ${command.from} → ${command.to}`;
    case 'link.release':
      return `release link ${command.from} → ${command.to}`;
    case 'scenario.fault':
      return faultText(command, context.meta);
    case 'param.set':
      return paramText(command.key, command.value, context.meta);
    default: {
      const unknownCommand: never = command;
      return String(unknownCommand);
    }
  }
}

/** A command log entry in words: "2.350 s · crash n3". */
export function recordedCommandText(
  entry: RecordedCommand,
  context: CommandTextContext = {},
): string {
  return `${secondsText(entry.atUs)} · ${commandText(entry.command, context)}`;
}

/** The accessible name of an entry's remove button: "Remove: crash n3 at 2.350 s". */
export function removeCommandLabel(
  entry: RecordedCommand,
  context: CommandTextContext = {},
): string {
  return `Remove: ${commandText(entry.command, context)} at ${secondsText(entry.atUs)}`;
}
