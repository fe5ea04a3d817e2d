import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { pingPongRun } from '../engine/testing/pingPong.ts';
import {
  type RunFile,
  decodeRunFile,
  encodeRunFile,
  makeRunFile,
  runFileCharsMax,
} from './runFile.ts';
import { pingPongScenario } from './testing/testCatalogue.ts';

/** A real run file: ping-pong with one command, played to 250 ms. */
function sampleFile(): RunFile {
  const sim = new Simulation(pingPongScenario, pingPongRun(3));
  sim.runUntil(100_000);
  sim.apply({ type: 'node.crash', node: 'p2' });
  sim.runUntil(250_000);
  return makeRunFile(sim.describe(), sim.nowUs, {
    eventCount: sim.eventCount,
    traceHash: sim.traceHash,
    metrics: sim.metricFinals(),
    invariants: sim.invariantResults(),
  });
}

/** The sample file as plain JSON data, changed by `edit`, as text. */
function edited(edit: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(encodeRunFile(sampleFile())) as Record<string, unknown>;
  edit(data);
  return JSON.stringify(data);
}

function problemOf(text: string): { code: string; message: string } {
  const decoded = decodeRunFile(text);
  if (decoded.ok) throw new Error('expected the file to be refused');
  return decoded.problem;
}

describe('run files', () => {
  it('round-trips a run file, and the decoded run replays to the recorded hash', () => {
    const file = sampleFile();
    const decoded = decodeRunFile(encodeRunFile(file));
    if (!decoded.ok) throw new Error(decoded.problem.message);
    expect(decoded.file).toEqual(file);
    const replay = new Simulation(pingPongScenario, decoded.file.run);
    replay.runUntil(decoded.file.untilUs);
    expect(replay.traceHash).toBe(file.summary.traceHash);
    expect(replay.eventCount).toBe(file.summary.eventCount);
  });

  it('accepts a hand-written command with atMs, as fault files may have', () => {
    const text = edited((data) => {
      (data.run as { commands: unknown }).commands = [
        { atMs: 50, command: { type: 'node.crash', node: 'p1' } },
      ];
    });
    const decoded = decodeRunFile(text);
    expect(decoded.ok && decoded.file.run.commands).toEqual([
      { atUs: 50_000, command: { type: 'node.crash', node: 'p1' } },
    ]);
  });

  it('refuses what is not a run file, naming the problem, without throwing', () => {
    const cases: [string, string, RegExp][] = [
      ['{"format": "distsim-run",', 'not-json', /not JSON/],
      ['[1, 2, 3]', 'not-a-run-file', /not a DistSim run file/],
      ['{"format": "gpx", "version": 1}', 'not-a-run-file', /its format is "gpx"/],
      [
        edited((data) => {
          data.version = 2;
        }),
        'bad-version',
        /format version 2; this app reads version 1/,
      ],
      [
        edited((data) => {
          delete data.version;
        }),
        'bad-version',
        /format version none/,
      ],
      [
        edited((data) => {
          data.untilUs = -5;
        }),
        'invalid',
        /untilUs/,
      ],
      [
        edited((data) => {
          (data.summary as { traceHash: string }).traceHash = 'xyz';
        }),
        'invalid',
        /summary\.traceHash: expected 16 hex digits/,
      ],
      [
        edited((data) => {
          (data.run as { seed: number }).seed = 1.5;
        }),
        'invalid',
        /run is invalid: seed/,
      ],
      [
        edited((data) => {
          (data.run as { commands: unknown }).commands = [
            { atUs: 1, command: { type: 'node.explode', node: 'p1' } },
          ];
        }),
        'invalid',
        /commands\.0\.command\.type/,
      ],
      [
        edited((data) => {
          delete (data.run as { scenarioVersion?: number }).scenarioVersion;
        }),
        'invalid',
        /scenarioVersion is missing/,
      ],
      [
        edited((data) => {
          data.extra = true;
        }),
        'invalid',
        /extra/,
      ],
      [' '.repeat(runFileCharsMax + 1), 'too-big', /larger than a run file can be/],
    ];
    for (const [text, code, message] of cases) {
      const problem = problemOf(text);
      expect(problem.code, text.slice(0, 80)).toBe(code);
      expect(problem.message, text.slice(0, 80)).toMatch(message);
    }
  });
});
