import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLinkConfig } from '../engine/network.ts';
import { Simulation } from '../engine/simulation.ts';
import { pingPongModel, pingPongRun } from '../engine/testing/pingPong.ts';
import type { Scenario } from '../scenarios/define.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { encodeShareLink } from '../worker/shareLink.ts';
import { testCatalogue } from '../worker/testing/testCatalogue.ts';
import { ExitCode, runCli } from './cli.ts';

function cli(
  argv: string[],
  catalogue: ScenarioCatalogue = testCatalogue,
): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(
    argv,
    { out: (text) => (out += text), err: (text) => (err += text) },
    catalogue,
  );
  return { code, out, err };
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'distsim-cli-')), name);
  writeFileSync(path, content);
  return path;
}

describe('sim CLI', () => {
  it('lists scenario ids, and their specs with --json', () => {
    expect(cli(['list'])).toEqual({ code: 0, out: 'ping-pong\nfragile\n', err: '' });
    const listed = JSON.parse(cli(['list', '--json']).out) as {
      id: string;
      parameters: { key: string; min: number }[];
    }[];
    expect(listed[0]?.id).toBe('ping-pong');
    expect(listed[0]?.parameters.map((param) => param.key)).toEqual(['nodeCount', 'intervalUs']);
  });

  it('runs a scenario and agrees with the engine on the trace hash', () => {
    const result = cli(['run', 'ping-pong', '--seed', '9', '--duration-ms', '300', '--json']);
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

  it('prints a readable summary with invariants and metrics', () => {
    const result = cli(['run', 'ping-pong', '--duration-ms', '200', '--param', 'nodeCount=3']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/trace hash {2}[0-9a-f]{16}/);
    expect(result.out).toMatch(/✓ pongs-answer-pings \(safety\)/);
    expect(result.out).toMatch(/pongs +\d+ \(sum\)/);
  });

  it('applies a fault file in the recorded command-log format', () => {
    const path = tempFile(
      'faults.json',
      JSON.stringify([{ atMs: 100, command: { type: 'node.crash', node: 'p1' } }]),
    );
    const withFaults = JSON.parse(
      cli(['run', 'ping-pong', '--duration-ms', '300', '--faults', path, '--json']).out,
    ) as { traceHash: string; commands: number };
    const plain = JSON.parse(cli(['run', 'ping-pong', '--duration-ms', '300', '--json']).out) as {
      traceHash: string;
    };
    expect(withFaults.commands).toBe(1);
    expect(withFaults.traceHash).not.toBe(plain.traceHash);
  });

  it('replays a share link to the same hash as the run it came from', () => {
    const sim = new Simulation(testCatalogue.scenarios[0] as Scenario, pingPongRun(5));
    sim.runUntil(100_000);
    sim.apply({ type: 'net.isolate', node: 'p2' });
    sim.runUntil(250_000);
    const link = `https://distsim.example/#${encodeShareLink(sim.describe(), sim.nowUs)}`;
    const result = JSON.parse(cli(['run', '--link', link, '--json']).out) as {
      traceHash: string;
      simulatedMs: number;
    };
    expect(result.simulatedMs).toBe(250);
    expect(result.traceHash).toBe(sim.traceHash);
  });

  it('explains every bad argument and exits with code 2', () => {
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
      const result = cli(argv);
      expect(result.code, argv.join(' ')).toBe(ExitCode.badArguments);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.out).toBe('');
    }
  });

  it('sweeps seeds with chaos and reports safety violations with a reproduction', () => {
    const clean = cli([
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
    const result = cli(
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
    const single = cli(['run', 'ping-pong', '--seed', '1', '--chaos', '--duration-ms', '3000'], {
      scenarios: [fragile],
      get: () => fragile,
    });
    expect(single.code).toBe(ExitCode.safetyViolation);
  });
});
