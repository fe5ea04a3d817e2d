import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultLinkConfig } from '../engine/network.ts';
import { Simulation } from '../engine/simulation.ts';
import { pingPongModel, pingPongRun } from '../engine/testing/pingPong.ts';
import type { Scenario } from '../scenarios/define.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { encodeShareLink } from '../worker/shareLink.ts';
import { pingPongScenario, testCatalogue } from '../worker/testing/testCatalogue.ts';
import type { RunFile } from '../worker/runFile.ts';
import { ExitCode } from './cli.ts';
import { captureCli } from './testing/captureCli.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsxBin = join(projectRoot, 'node_modules', '.bin', 'tsx');
/** What every failure prints: one line naming the problem. */
const oneLine = /^distsim: [^\n]+\n$/;

function cli(argv: string[], catalogue: ScenarioCatalogue = testCatalogue) {
  return captureCli(argv, catalogue);
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'distsim-cli-')), name);
  writeFileSync(path, content);
  return path;
}

/** A run file written by the CLI itself, as parsed JSON. */
async function exportedRunFile(): Promise<RunFile> {
  const path = join(mkdtempSync(join(tmpdir(), 'distsim-cli-')), 'run.json');
  await cli(['run', 'ping-pong', '--duration-ms', '50', '--export', path]);
  return JSON.parse(readFileSync(path, 'utf8')) as RunFile;
}

describe('sim CLI', () => {
  it('lists scenario ids, and their specs with --json', async () => {
    expect(await cli(['list'])).toEqual({ code: 0, out: 'ping-pong\nfragile\n', err: '' });
    const listed = JSON.parse((await cli(['list', '--json'])).out) as {
      id: string;
      parameters: { key: string; min: number }[];
    }[];
    expect(listed[0]?.id).toBe('ping-pong');
    expect(listed[0]?.parameters.map((param) => param.key)).toEqual(['nodeCount', 'intervalUs']);
  });

  it('lists what each number of a parameter with named values stands for', async () => {
    // Ping-pong with a named parameter its model ignores: help text no longer lists the codes.
    const choosy: Scenario = {
      ...pingPongScenario,
      id: 'choosy',
      params: {
        ...pingPongScenario.params,
        order: {
          label: 'Ping order',
          default: 0,
          min: 0,
          max: 2,
          step: 1,
          unit: '',
          help: 'Whom a node pings next',
          choices: [
            { value: 0, label: 'round robin' },
            { value: 1, label: 'random' },
            { value: 2, label: 'the slowest first' },
          ],
        },
      },
    };
    const catalogue = {
      scenarios: [choosy],
      get: (id: string) => (id === 'choosy' ? choosy : undefined),
    };
    const listed = JSON.parse((await cli(['list', '--json'], catalogue)).out) as {
      parameters: { key: string; label: string; choices?: unknown }[];
    }[];
    const order = listed[0]?.parameters.find((param) => param.key === 'order');
    expect(order).toMatchObject({ label: 'Ping order', choices: choosy.params.order?.choices });
    expect(listed[0]?.parameters.find((param) => param.key === 'nodeCount')).not.toHaveProperty(
      'choices',
    );
    // A bad value is explained with the numbers the option takes and what they stand for.
    const bad = await cli(['run', 'choosy', '--param', 'order=3'], catalogue);
    expect(bad.code).toBe(ExitCode.badArguments);
    expect(bad.err).toMatch(oneLine);
    expect(bad.err).toContain(
      '--param order: 3 is outside 0–2 (Whom a node pings next; 0 round robin, 1 random, 2 the slowest first).',
    );
  });

  it('runs a scenario and agrees with the engine on the trace hash', async () => {
    const result = await cli(['run', 'ping-pong', '--seed', '9', '--duration-ms', '300', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as {
      traceHash: string;
      simulatedMs: number;
      events: number;
      metrics: Record<string, number>;
    };
    const sim = new Simulation(testCatalogue.scenarios[0] as Scenario, pingPongRun(9));
    sim.runUntil(300_000);
    expect(summary.traceHash).toBe(sim.traceHash);
    expect(summary.simulatedMs).toBe(300);
    expect(summary.events).toBe(sim.eventCount);
    expect(summary.metrics.pongs).toBeGreaterThan(0);
  });

  it('prints a readable summary with invariants and metrics', async () => {
    const result = await cli([
      'run',
      'ping-pong',
      '--duration-ms',
      '200',
      '--param',
      'nodeCount=3',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/trace hash {2}[0-9a-f]{16}/);
    expect(result.out).toMatch(/✓ pongs-answer-pings \(safety\)/);
    expect(result.out).toMatch(/pongs +\d+ \(sum\)/);
  });

  it('applies a fault file in the recorded command-log format', async () => {
    const path = tempFile(
      'faults.json',
      JSON.stringify([{ atMs: 100, command: { type: 'node.crash', node: 'p1' } }]),
    );
    const withFaults = JSON.parse(
      (await cli(['run', 'ping-pong', '--duration-ms', '300', '--faults', path, '--json'])).out,
    ) as { traceHash: string; commands: number };
    const plain = JSON.parse(
      (await cli(['run', 'ping-pong', '--duration-ms', '300', '--json'])).out,
    ) as {
      traceHash: string;
    };
    expect(withFaults.commands).toBe(1);
    expect(withFaults.traceHash).not.toBe(plain.traceHash);
  });

  it('prints the moments the scenario reported, and lists them in --json', async () => {
    const path = tempFile(
      'faults.json',
      JSON.stringify([
        { atMs: 100, command: { type: 'node.crash', node: 'p1' } },
        { atMs: 250, command: { type: 'node.restart', node: 'p1' } },
      ]),
    );
    const text = (await cli(['run', 'ping-pong', '--duration-ms', '300', '--faults', path])).out;
    expect(text).toMatch(
      /moments {5}2\n {2}0\.100 s {2}p1 went down\n {2}0\.250 s {2}p1 is back\n/,
    );
    const json = JSON.parse(
      (await cli(['run', 'ping-pong', '--duration-ms', '300', '--faults', path, '--json'])).out,
    ) as { moments: unknown };
    expect(json.moments).toEqual([
      { timeMs: 100, kind: 'node-down', text: 'p1 went down', nodes: ['p1'] },
      { timeMs: 250, kind: 'node-back', text: 'p1 is back', nodes: ['p1'] },
    ]);
    const quiet = (await cli(['run', 'ping-pong', '--duration-ms', '300'])).out;
    expect(quiet).toMatch(/moments {5}none\n/);
  });

  it('replays a share link to the same hash as the run it came from', async () => {
    const sim = new Simulation(testCatalogue.scenarios[0] as Scenario, pingPongRun(5));
    sim.runUntil(100_000);
    sim.apply({ type: 'net.isolate', node: 'p2' });
    sim.runUntil(250_000);
    const link = `https://distsim.example/#${encodeShareLink(sim.describe(), sim.nowUs)}`;
    const result = JSON.parse((await cli(['run', '--link', link, '--json'])).out) as {
      traceHash: string;
      simulatedMs: number;
    };
    expect(result.simulatedMs).toBe(250);
    expect(result.traceHash).toBe(sim.traceHash);
  });

  it('explains every bad argument and exits with code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['run'], /Name a scenario: ping-pong/],
      [['run', 'warp'], /Unknown scenario "warp". Scenarios: ping-pong/],
      [['run', 'ping-pong', '--seed', 'abc'], /--seed must be a whole number/],
      [
        ['run', 'ping-pong', '--param', 'nodeCount=1000'],
        /--param nodeCount: 1000 is outside 2–64/,
      ],
      [
        ['run', 'ping-pong', '--param', 'speed=3'],
        /has no parameter "speed". Keys: nodeCount, intervalUs/,
      ],
      // An inherited name is not a parameter either.
      [['run', 'ping-pong', '--param', 'toString=3'], /has no parameter "toString"/],
      [['run', 'ping-pong', '--param', 'nodeCount'], /key=value/],
      [
        ['run', 'ping-pong', '--duration-ms', '-5'],
        /--duration-ms must be a number of milliseconds above 0/,
      ],
      [['run', 'ping-pong', '--faults', '/no/such/file.json'], /cannot read the file/],
      [['run', 'ping-pong', '--faults', tempFile('bad.json', '{oops')], /not valid JSON/],
      [
        [
          'run',
          'ping-pong',
          '--faults',
          tempFile('bad2.json', '[{"atMs": 1, "command": {"type": "node.crash"}}]'),
        ],
        /0\.command\.node/,
      ],
      [
        [
          'run',
          'ping-pong',
          '--faults',
          tempFile('bad3.json', '[{"atMs": 1, "command": {"type": "node.crash", "node": "zz"}}]'),
        ],
        /no node with that id.*"zz"/,
      ],
      [['run', 'ping-pong', '--bogus'], /Unknown option --bogus/],
      [['run', 'ping-pong', '--seed'], /--seed needs a value/],
      [['run', '--link', '#run=garbage!!'], /--link: The link is damaged/],
      [['sweep', 'ping-pong'], /sweep needs --seeds/],
      [['sweep', 'ping-pong', '--seeds', '5..1'], /the end is before the start/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(ExitCode.badArguments);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.err, argv.join(' ')).toMatch(oneLine);
      expect(result.out).toBe('');
    }
  });

  it('gives one line and exit code 2 for every kind of bad input', async () => {
    const runFile = await exportedRunFile();
    const cases: [string, string[], RegExp][] = [
      ['unknown flag', ['run', 'ping-pong', '--verbose'], /Unknown option --verbose for "run"/],
      ['single-dash flag', ['run', 'ping-pong', '-s', '4'], /Unknown option -s/],
      ['flag value given to a switch', ['list', '--json=yes'], /--json takes no value/],
      ['missing value', ['run', 'ping-pong', '--duration-ms'], /--duration-ms needs a value/],
      ['repeated option', ['run', 'ping-pong', '--seed', '1', '--seed', '2'], /given twice/],
      ['extra argument', ['list', 'everything'], /Unexpected argument "everything"/],
      ['NaN seed', ['run', 'ping-pong', '--seed', 'NaN'], /--seed must be a whole number/],
      ['negative seed', ['run', 'ping-pong', '--seed', '-3'], /--seed must be between 0/],
      ['fractional seed', ['run', 'ping-pong', '--seed', '2.5'], /--seed must be a whole number/],
      [
        'seed too big',
        ['run', 'ping-pong', '--seed', '99999999999999999999'],
        /--seed must be a whole number/,
      ],
      ['hex duration', ['run', 'ping-pong', '--duration-ms', '0x20'], /--duration-ms must be/],
      ['zero duration', ['run', 'ping-pong', '--duration-ms', '0'], /above 0/],
      ['duration too big', ['run', 'ping-pong', '--duration-ms', '1e12'], /at most 86400000/],
      ['infinite param', ['run', 'ping-pong', '--param', 'nodeCount=Infinity'], /a number/],
      ['backwards seeds', ['sweep', 'ping-pong', '--seeds', '5..1'], /end is before the start/],
      ['seeds not a range', ['sweep', 'ping-pong', '--seeds', '1-5'], /--seeds must look like/],
      ['too many seeds', ['sweep', 'ping-pong', '--seeds', '1..1000000'], /at most 100000/],
      ['unknown scenario', ['sweep', 'warp', '--seeds', '1..2'], /Unknown scenario "warp"/],
      ['unreadable file', ['run', '--file', '/no/such/run.json'], /cannot read the file/],
      ['a directory', ['run', '--file', tmpdir()], /cannot read the file/],
      ['malformed JSON', ['run', '--file', tempFile('r.json', '{"format":')], /not JSON/],
      [
        'JSON of the wrong shape',
        ['run', '--file', tempFile('r.json', JSON.stringify({ ...runFile, untilUs: 'soon' }))],
        /run file is invalid: untilUs/,
      ],
      [
        'another kind of file',
        ['run', '--file', tempFile('r.json', '{"type": "FeatureCollection"}')],
        /not a DistSim run file/,
      ],
      [
        'run file of another format version',
        ['run', '--file', tempFile('r.json', JSON.stringify({ ...runFile, version: 7 }))],
        /format version 7/,
      ],
      [
        'run file of an unknown scenario',
        [
          'run',
          '--file',
          tempFile(
            'r.json',
            JSON.stringify({ ...runFile, run: { ...runFile.run, scenarioId: 'x' } }),
          ),
        ],
        /Unknown scenario "x"/,
      ],
      [
        'run file of another scenario version',
        [
          'run',
          '--file',
          tempFile(
            'r.json',
            JSON.stringify({ ...runFile, run: { ...runFile.run, scenarioVersion: 9 } }),
          ),
        ],
        /Recorded with version 9/,
      ],
      [
        'run file plus options that describe a run',
        ['run', '--file', tempFile('r.json', JSON.stringify(runFile)), '--seed', '3'],
        /--file already holds the whole run.*drop --seed/,
      ],
      [
        'unwritable export',
        ['run', 'ping-pong', '--duration-ms', '10', '--export', '/no/such/dir/run.json'],
        /--export \/no\/such\/dir\/run.json: cannot write the file/,
      ],
      [
        'wrong shape of fault file',
        ['run', 'ping-pong', '--faults', tempFile('f.json', '{"atMs": 1}')],
        /--faults .*Expected Array/,
      ],
    ];
    for (const [kind, argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, kind).toBe(ExitCode.badArguments);
      expect(result.err, kind).toMatch(message);
      expect(result.err, kind).toMatch(oneLine);
      expect(result.out, kind).toBe('');
    }
  });

  it('reports an internal failure in one line, asks for a report and exits 70', async () => {
    const broken: ScenarioCatalogue = {
      scenarios: testCatalogue.scenarios,
      get: () => {
        throw new TypeError('catalogue exploded\n    at somewhere (file.ts:1:1)');
      },
    };
    const result = await cli(['run', 'ping-pong'], broken);
    expect(result.code).toBe(ExitCode.internalError);
    expect(result.err).toMatch(oneLine);
    expect(result.err).toMatch(/internal error \(TypeError: catalogue exploded.*please report/);
  });

  it('writes a run file with --export that --file replays to the same trace hash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'distsim-cli-')), 'run.json');
    const faults = tempFile(
      'faults.json',
      JSON.stringify([{ atMs: 100, command: { type: 'node.crash', node: 'p3' } }]),
    );
    const argv = ['run', 'ping-pong', '--seed', '4', '--duration-ms', '400', '--faults', faults];
    const exported = await cli([...argv, '--export', path, '--json']);
    expect(exported.code).toBe(0);
    const { traceHash } = JSON.parse(exported.out) as { traceHash: string };
    const file = JSON.parse(readFileSync(path, 'utf8')) as RunFile;
    expect(file.untilUs).toBe(400_000);
    expect(file.summary.traceHash).toBe(traceHash);

    const replayed = await cli(['run', '--file', path]);
    expect(replayed.code).toBe(ExitCode.ok);
    expect(replayed.out).toContain(`trace hash  ${traceHash}`);
    expect(replayed.out).toContain(`✓ the replay reproduces the file's trace hash ${traceHash}`);

    // A run file whose run was changed no longer reproduces the hash it records.
    const tampered = tempFile(
      'tampered.json',
      JSON.stringify({ ...file, run: { ...file.run, seed: 5 } }),
    );
    const mismatch = await cli(['run', '--file', tampered]);
    expect(mismatch.code).toBe(ExitCode.replayMismatch);
    expect(mismatch.out).toMatch(/✗ the replay's trace hash [0-9a-f]{16} differs from the file's/);
    const asJson = JSON.parse((await cli(['run', '--file', tampered, '--json'])).out) as {
      runFile: object;
    };
    expect(asJson.runFile).toEqual({
      version: 2,
      expectedTraceHash: traceHash,
      expectedEvents: file.summary.eventCount,
      comparedBy: 'trace hash',
      isMatch: false,
    });

    // A version 1 file holds a trace hash of the earlier format: checked by its event count.
    const older = tempFile(
      'older.json',
      JSON.stringify({
        ...file,
        version: 1,
        summary: { ...file.summary, traceHash: '0123456789abcdef' },
      }),
    );
    const olderReplay = await cli(['run', '--file', older]);
    expect(olderReplay.code).toBe(ExitCode.ok);
    expect(olderReplay.out).toMatch(/run file version 1.*checked by its event count/);
    expect(olderReplay.out).toContain(
      `✓ the replay has the file's ${file.summary.eventCount} events`,
    );
    const olderTampered = tempFile(
      'older-tampered.json',
      JSON.stringify({
        ...file,
        version: 1,
        run: { ...file.run, seed: 5 },
        summary: { ...file.summary, traceHash: '0123456789abcdef' },
      }),
    );
    const olderMismatch = await cli(['run', '--file', olderTampered]);
    expect(olderMismatch.code).toBe(ExitCode.replayMismatch);
    expect(olderMismatch.out).toMatch(/✗ the replay has \d+ events, the file says/);
  });

  it('writes the trace as JSON lines with --trace, ending with the count and the hash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'distsim-cli-')), 'trace.jsonl');
    const result = await cli(['run', 'ping-pong', '--seed', '2', '--duration-ms', '300', '--json']);
    const traced = await cli([
      'run',
      'ping-pong',
      '--seed',
      '2',
      '--duration-ms',
      '300',
      '--trace',
      path,
      '--json',
    ]);
    expect(traced.out.replace(/"wallMs":[\d.]+/, '')).toBe(
      result.out.replace(/"wallMs":[\d.]+/, ''),
    );
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const end = JSON.parse(lines[lines.length - 1] ?? '') as { events: number; traceHash: string };
    const sim = new Simulation(testCatalogue.scenarios[0] as Scenario, pingPongRun(2));
    sim.runUntil(300_000);
    expect(end.traceHash).toBe(sim.traceHash);
    expect(end.events).toBe(sim.traceCount);
    // A header line, one line per event, and the end line.
    expect(lines).toHaveLength(sim.traceCount + 2);
    const last = JSON.parse(lines[lines.length - 2] ?? '') as { index: number; type: string };
    const lastEvent = sim.traceEvents(sim.traceCount - 1)[0];
    expect(last).toMatchObject({ index: lastEvent?.index, type: lastEvent?.type });
  });

  it('prints no stack trace from the real command, only one line and exit code 2', () => {
    const bad = tempFile('bad.json', '{"format": "distsim-run", "version": 1, "run": ');
    const cases: [string[], RegExp][] = [
      [['run', 'leader-election', '--seed', 'soon'], /--seed must be a whole number/],
      [['run', '--file', bad], /not JSON/],
    ];
    for (const [argv, message] of cases) {
      const child = spawnSync(tsxBin, ['src/cli/bin.ts', ...argv], {
        cwd: projectRoot,
        encoding: 'utf8',
      });
      expect(child.status, argv.join(' ')).toBe(ExitCode.badArguments);
      expect(child.stderr).toMatch(oneLine);
      expect(child.stderr).toMatch(message);
      expect(child.stderr).not.toMatch(/\bat .*:\d+:\d+/);
      expect(child.stdout).toBe('');
    }
  });

  it('sweeps seeds with chaos and reports safety violations with a reproduction', async () => {
    const clean = await cli([
      'sweep',
      'ping-pong',
      '--seeds',
      '1..5',
      '--chaos',
      '--duration-ms',
      '2000',
    ]);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/swept 5 runs .*: 0 with safety violations/);
    // A model whose safety invariant fails whenever a node crashes.
    const base = pingPongModel(defaultLinkConfig);
    const fragile: Scenario = {
      ...base,
      tour: [],
      instrument: null,
      defaultSpeed: 1,
      baselineSummary: '',
      isHidden: false,
      invariants: [
        {
          id: 'nobody-crashes',
          kind: 'safety',
          description: 'no node is down',
          createMemory: () => null,
          check: (world) =>
            world.nodes.some((node) => node.status === 'crashed')
              ? { message: 'a node is down', nodes: [] }
              : null,
        },
        ...base.invariants.filter((invariant) => invariant.kind === 'liveness'),
      ],
    };
    const result = await cli(
      ['sweep', 'ping-pong', '--seeds', '1..3', '--chaos', '--duration-ms', '3000'],
      { scenarios: [fragile], get: () => fragile },
    );
    expect(result.code).toBe(ExitCode.safetyViolation);
    expect(result.out).toMatch(
      /✗ ping-pong seed 1: nobody-crashes \(safety\) violated at [\d.]+ ms/,
    );
    expect(result.out).toMatch(
      /reproduce: npm run sim -- run ping-pong --seed 1 --chaos --duration-ms 3000/,
    );
    const single = await cli(
      ['run', 'ping-pong', '--seed', '1', '--chaos', '--duration-ms', '3000'],
      {
        scenarios: [fragile],
        get: () => fragile,
      },
    );
    expect(single.code).toBe(ExitCode.safetyViolation);
  });
});
