import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { pingPongRun } from '../engine/testing/pingPong.ts';
import {
  type RunFile,
  checkReplay,
  decodeRunFile,
  encodeRunFile,
  makeRunFile,
  olderFormatNote,
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

  it('reads a version 1 file, whose trace hash is of the earlier format, and checks its replay by event count', () => {
    const file = sampleFile();
    // A version 1 file of the same run: same run and event count, a format 1 trace hash.
    const older = decodeRunFile(
      edited((data) => {
        data.version = 1;
        (data.summary as { traceHash: string }).traceHash = '0123456789abcdef';
      }),
    );
    if (!older.ok) throw new Error(older.problem.message);
    expect(older.file.version).toBe(1);
    expect(older.file.run).toEqual(file.run);
    expect(olderFormatNote(older.file)).toMatch(/version 1.*checked by its event count/);
    const replay = new Simulation(pingPongScenario, older.file.run);
    replay.runUntil(older.file.untilUs);
    const played = { traceHash: replay.traceHash, eventCount: replay.eventCount };
    expect(checkReplay(older.file, played)).toEqual({ isMatch: true, basis: 'event count' });
    expect(checkReplay(older.file, { ...played, eventCount: played.eventCount + 1 })).toEqual({
      isMatch: false,
      basis: 'event count',
    });
    // A file of the current version is checked by its trace hash, which must match exactly.
    expect(olderFormatNote(file)).toBeNull();
    expect(checkReplay(file, played)).toEqual({ isMatch: true, basis: 'trace hash' });
    expect(checkReplay(file, { ...played, traceHash: '0123456789abcdef' }).isMatch).toBe(false);
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
          data.version = 3;
        }),
        'bad-version',
        /format version 3; this app reads versions 1 and 2/,
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
