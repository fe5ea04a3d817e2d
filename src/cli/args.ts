/**
 * Argument parsing for the CLI: a small, strict parser so every mistake gets a message that names
 * the argument and says what is accepted (node:util's parseArgs reports less precisely).
 */

/** A user mistake on the command line; the CLI prints it and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  readonly command: string;
  readonly positionals: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly params: readonly string[];
}

/** Options that take a value, per command; `--param` may repeat. */
const valueOptions: Readonly<Record<string, readonly string[]>> = {
  list: [],
  run: [
    '--seed',
    '--duration-ms',
    '--param',
    '--faults',
    '--link',
    '--file',
    '--export',
    '--trace',
    '--check',
  ],
  sweep: ['--seeds', '--duration-ms', '--param', '--workers', '--shard'],
  shrink: ['--seed', '--duration-ms', '--param', '--faults', '--link', '--file', '--invariant'],
  inevitable: [
    '--seed',
    '--duration-ms',
    '--param',
    '--faults',
    '--link',
    '--file',
    '--invariant',
    '--forks',
    '--trials',
  ],
  merge: [],
  experiment: ['--seeds', '--workers'],
  check: ['--seed', '--nodes', '--depth', '--faults', '--invariant', '--param', '--states-max'],
  help: [],
};

const flagOptions: Readonly<Record<string, readonly string[]>> = {
  list: ['--json'],
  run: ['--baseline', '--json', '--chaos'],
  sweep: ['--baseline', '--json', '--chaos'],
  shrink: ['--baseline', '--json', '--chaos'],
  inevitable: ['--baseline', '--json', '--chaos'],
  merge: ['--json'],
  experiment: ['--json'],
  check: ['--baseline', '--json', '--any-timer'],
  help: [],
};

export const commandNames = Object.keys(valueOptions);

/** Parses `argv` (without node and the script). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  const command = first === undefined || first === '--help' || first === '-h' ? 'help' : first;
  const takesValue = valueOptions[command];
  const flagNames = flagOptions[command];
  if (takesValue === undefined || flagNames === undefined) {
    throw new UsageError(`Unknown command "${command}". Commands: ${commandNames.join(', ')}.`);
  }
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const params: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--help' || arg === '-h') {
      flags.add('--help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new UsageError(
        `Unknown option ${arg}: options are spelled with two dashes, e.g. --seed.`,
      );
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (flagNames.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value.`);
      flags.add(name);
      continue;
    }
    if (!takesValue.includes(name)) {
      const known = [...takesValue, ...flagNames].join(', ') || 'none';
      throw new UsageError(`Unknown option ${name} for "${command}". Options: ${known}.`);
    }
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) {
      throw new UsageError(`${name} needs a value.`);
    }
    if (name === '--param') params.push(value);
    else if (values.has(name)) throw new UsageError(`${name} is given twice.`);
    else values.set(name, value);
  }
  return { command, positionals, flags, values, params };
}

/** Fails unless there are at most `max` positional arguments. */
export function expectPositionals(args: ParsedArgs, max: number): void {
  const extra = args.positionals[max];
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}".`);
}

/** A whole number within bounds, or a UsageError naming the option. */
export function integerOption(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${name} must be a whole number, got "${text}".`);
  }
  if (value < min || value > max) {
    throw new UsageError(`${name} must be between ${min} and ${max}, got ${value}.`);
  }
  return value;
}

/** A plain decimal number ("12", "-0.5", "2e3"); not hex, not Infinity, not blank. */
export function isDecimal(text: string): boolean {
  return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim());
}

/** A positive duration in ms (decimals allowed). */
export function durationOption(name: string, text: string, maxMs: number): number {
  const value = Number(text);
  if (!isDecimal(text) || !Number.isFinite(value) || value <= 0 || value > maxMs) {
    throw new UsageError(
      `${name} must be a number of milliseconds above 0 and at most ${maxMs}, got "${text}".`,
    );
  }
  return value;
}

/** `A..B` (inclusive) or a single seed. */
export function seedRange(text: string, countMax: number): { first: number; last: number } {
  const match = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  if (match === null)
    throw new UsageError(`--seeds must look like 1..200 (or a single seed), got "${text}".`);
  const first = integerOption('--seeds start', match[1] ?? '', 0, Number.MAX_SAFE_INTEGER);
  const last = integerOption('--seeds end', match[2] ?? match[1] ?? '', 0, Number.MAX_SAFE_INTEGER);
  if (last < first) throw new UsageError(`--seeds ${text}: the end is before the start.`);
  if (last - first + 1 > countMax)
    throw new UsageError(`--seeds ${text}: at most ${countMax} seeds per sweep.`);
  return { first, last };
}

/** `I/N`: the I-th of N shards, 1 <= I <= N. */
export function shardOption(text: string, countMax: number): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null)
    throw new UsageError(
      `--shard must look like I/N (e.g. 2/4, the second of four shards), got "${text}".`,
    );
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > countMax)
    throw new UsageError(`--shard ${text}: N must be between 1 and ${countMax}.`);
  if (index < 1 || index > count)
    throw new UsageError(`--shard ${text}: I must be between 1 and N (${count}).`);
  return { index, count };
}
