import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cqrs } from '../scenarios/cqrs/model.ts';
import type { Scenario } from '../scenarios/define.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { testCatalogue } from '../worker/testing/testCatalogue.ts';
import { ExitCode } from './cli.ts';
import { captureCli } from './testing/captureCli.ts';

/*
 * `sim run … --check consistency`: the checkers on the history a scenario's clients recorded,
 * one line per model, and exit 1 when a model the run promises is violated.
 */

function cli(argv: string[], catalogue: ScenarioCatalogue = scenarioCatalogue) {
  return captureCli(argv, catalogue);
}

const short = ['--duration-ms', '8000'];

interface JsonVerdict {
  model: string;
  status: string;
  isPromised: boolean;
  violations: { sentence: string; ops: number[] }[];
}

interface JsonReport {
  consistency: {
    operations: number;
    promised: string[];
    brokenPromises: string[];
    verdicts: JsonVerdict[];
    witnessOps: { id: number; client: string; key: string; kind: string }[];
  };
}

describe('sim run --check consistency', () => {
  it('prints every model, and for a violation its sentence and witnesses', async () => {
    const result = await cli(['run', 'cqrs', '--seed', '1', ...short, '--check', 'consistency']);
    expect(result.err).toBe('');
    // The pattern's default settings promise nothing (eventual consistency): no failure.
    expect(result.code).toBe(ExitCode.ok);
    expect(result.out).toMatch(/consistency: \d+ operations \(\d+ unanswered\); promised: none/);
    for (const model of ['linearizable', 'sequential', 'read-your-writes', 'monotonic-reads'])
      expect(result.out).toMatch(new RegExp(`^  ${model} +(ok|violated|gave up)`, 'm'));
    expect(result.out).toMatch(/^ {2}linearizable +violated$/m);
    expect(result.out).toMatch(
      /read \d+ from k\d+ at [\d.]+ s after .* write of \d+ had been acknowledged/,
    );
    expect(result.out).toMatch(/witnesses: #\d+ c\d[.\d]* (read|write) k\d+/);
  });

  it('says in JSON which models were checked, promised and broken', async () => {
    const result = await cli([
      'run',
      'cqrs',
      '--seed',
      '1',
      ...short,
      '--param',
      'ryowMode=1',
      '--check',
      'consistency',
      '--json',
    ]);
    expect(result.code).toBe(ExitCode.ok);
    const report = (JSON.parse(result.out) as JsonReport).consistency;
    expect(report.promised).toEqual(['read-your-writes']);
    expect(report.brokenPromises).toEqual([]);
    const byModel = new Map(report.verdicts.map((verdict) => [verdict.model, verdict]));
    expect(byModel.get('read-your-writes')).toMatchObject({ status: 'ok', isPromised: true });
    const linearizable = byModel.get('linearizable');
    expect(linearizable?.status).toBe('violated');
    const named = new Set(report.witnessOps.map((op) => op.id));
    for (const id of linearizable?.violations[0]?.ops ?? [0]) expect(named.has(id)).toBe(true);
  });

  it('exits 1 when a model the run promises is violated', async () => {
    // The baseline promises linearizability; this one runs the pattern's topology under the
    // baseline's name, so its stale reads break the promise.
    const broken: Scenario = { ...cqrs, topology: (params) => cqrs.topology(params, 'pattern') };
    const catalogue: ScenarioCatalogue = {
      scenarios: [broken],
      get: (id) => (id === broken.id ? broken : undefined),
    };
    const argv = ['run', 'cqrs', '--seed', '1', ...short, '--baseline', '--check', 'consistency'];
    const result = await cli(argv, catalogue);
    expect(result.code).toBe(ExitCode.safetyViolation);
    expect(result.out).toMatch(/^ {2}linearizable +violated {2}\(promised\)$/m);
    const honest = await cli(argv);
    expect(honest.code).toBe(ExitCode.ok);
    expect(honest.out).toMatch(/^ {2}linearizable +ok$/m);
  });

  it('checks Event Sourcing accounts: promised linearizable, sessions inapplicable', async () => {
    const result = await cli(['run', 'event-sourcing', '--seed', '5', '--check', 'consistency']);
    expect(result.err).toBe('');
    expect(result.code).toBe(ExitCode.ok);
    expect(result.out).toMatch(
      /consistency: \d+ operations \(\d+ unanswered\); promised: linearizable, sequential/,
    );
    expect(result.out).toMatch(/^ {2}linearizable +ok$/m);
    expect(result.out).toMatch(/^ {2}read-your-writes +inapplicable$/m);
    expect(result.out).toMatch(/account operations read nothing back/);
  });

  it('exits 1 when Event Sourcing tells a client a command failed that landed', async () => {
    // Contention and duplicated handler–store messages, seed 3 (the README's example).
    const dir = mkdtempSync(join(tmpdir(), 'distsim-es-'));
    const faults = join(dir, 'faults.json');
    const duplicated = ['handler-1', 'handler-2'].map((handler) => ({
      atMs: 100,
      command: {
        type: 'link.set',
        from: handler,
        to: 'event-store',
        isBothWays: true,
        duplicateProbability: 0.5,
      },
    }));
    writeFileSync(faults, JSON.stringify(duplicated));
    const params = [
      'clientCount=4',
      'commandRatePerSecond=12',
      'hotAccountPercent=80',
      'withdrawPercent=45',
      'transferPercent=10',
    ].flatMap((param) => ['--param', param]);
    const argv = ['run', 'event-sourcing', '--seed', '3', '--duration-ms', '20000', ...params];
    const result = await cli([...argv, '--faults', faults, '--check', 'consistency']);
    expect(result.code).toBe(ExitCode.safetyViolation);
    expect(result.out).toMatch(/^ {2}linearizable +violated {2}\(promised\)$/m);
    expect(result.out).toMatch(/witnesses: #\d+ client-\d[.\d]* (deposit|withdraw) acct-1 \d+ → /);
    // Without the duplicates, the same run keeps its promise.
    const clean = await cli([...argv, '--check', 'consistency']);
    expect(clean.code).toBe(ExitCode.ok);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('refuses a scenario that records no reads and writes, and an unknown check', async () => {
    const none = await cli(['run', 'ping-pong', '--check', 'consistency'], testCatalogue);
    expect(none.code).toBe(ExitCode.badArguments);
    expect(none.err).toMatch(
      /^distsim: Ping pong records no client operations; --check consistency applies to cqrs, event-sourcing, sharding\. [^\n]*\n$/,
    );
    const bad = await cli(['run', 'cqrs', '--check', 'linearizability']);
    expect(bad.code).toBe(ExitCode.badArguments);
    expect(bad.err).toMatch(
      /^distsim: --check accepts "consistency", got "linearizability"\.[^\n]*\n$/,
    );
  });
});
