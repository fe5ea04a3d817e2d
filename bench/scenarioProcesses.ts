import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childExecArgv } from '../src/cli/pool.ts';
import type { WarmRequest, WarmResult } from './scenarioWarm.ts';

/*
 * The two kinds of scenario run the table measures, each in a fresh Node process: a cold run is
 * `sim run <id> --seed 5 --duration-ms D --json` itself (src/cli/bin.ts), the target's
 * definition, read back from its JSON (`wallMs` is `runHeadless` alone, timed by the CLI); warm
 * runs come from scenarioWarm.ts. Processes run one at a time: two at once would share the
 * cores and slow each other.
 */

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const cliEntry = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const warmEntry = fileURLToPath(new URL('./scenarioWarm.ts', import.meta.url));

/** One cold run as the CLI reports it. */
export interface ColdRun {
  readonly wallMs: number;
  readonly events: number;
  readonly traceHash: string;
}

/** Runs a Node process on a TypeScript entry; its stdout, or why it failed. */
function runNode(args: readonly string[], isExitOneFine: boolean): string | { failure: string } {
  const child = spawnSync(process.execPath, [...childExecArgv(), ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const isOk = child.status === 0 || (isExitOneFine && child.status === 1);
  if (child.error !== undefined || !isOk) {
    const lines = child.stderr.trim().split('\n');
    const reason = child.error?.message ?? lines.find((line) => /^distsim:|Error/.test(line));
    return {
      failure: `exit ${child.status ?? child.signal ?? '?'}: ${reason ?? lines.at(-1) ?? ''}`,
    };
  }
  return child.stdout;
}

/**
 * A cold `sim run`. Exit code 1 (a safety violation, which baselines are made to show) is a
 * finished run like 0.
 */
export function coldRun(
  scenarioId: string,
  runArgs: readonly string[],
  lengthMs: number,
): ColdRun | string {
  const out = runNode(
    [cliEntry, 'run', scenarioId, ...runArgs, '--duration-ms', String(lengthMs), '--json'],
    true,
  );
  if (typeof out !== 'string') return out.failure;
  try {
    const summary = JSON.parse(out) as ColdRun;
    return { wallMs: summary.wallMs, events: summary.events, traceHash: summary.traceHash };
  } catch {
    return `unreadable output: ${out.slice(0, 200)}`;
  }
}

/** The warm repetitions of one scenario and variant at every length, or why they failed. */
export function warmRuns(request: WarmRequest): WarmResult[] | string {
  const out = runNode([warmEntry, JSON.stringify(request)], false);
  if (typeof out !== 'string') return out.failure;
  try {
    return JSON.parse(out) as WarmResult[];
  } catch {
    return `unreadable output: ${out.slice(0, 200)}`;
  }
}
