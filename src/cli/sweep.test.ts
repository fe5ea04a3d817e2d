import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, runCli } from './cli.ts';
import { sweepTestCatalogue, sweepTestCatalogueModule } from './testing/sweepCatalogue.ts';

/*
 * `sim sweep --workers N` and `--shard I/N`, and `sim merge`: the output never depends on how
 * the runs were spread over processes or machines; only the wall time differs.
 */

interface Result {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The CLI in this process, with the sweep test scenarios, which worker processes can load. */
async function cli(argv: string[]): Promise<Result> {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (text) => (out += text), err: (text) => (err += text) },
    sweepTestCatalogue,
    sweepTestCatalogueModule,
  );
  return { code, out, err };
}

/** The output with the wall time taken out (text and JSON), the only part allowed to differ. */
function withoutWallTime(text: string): string {
  return text.replace(/"wallMs":\d+/g, '"wallMs":-').replace(/ in [\d.]+ s:/g, ' in - s:');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'distsim-sweep-'));
}

const oneLine = /^distsim: [^\n]+\n$/;
/** A small chaos sweep where some seeds violate the safety invariant and some do not. */
const fragileSweep = ['sweep', 'fragile', '--seeds', '1..6', '--chaos', '--duration-ms', '1500'];

describe('sim sweep on several processes', () => {
  it('prints the same text and JSON with one worker as with two', async () => {
    for (const format of [[], ['--json']]) {
      const one = await cli([...fragileSweep, ...format, '--workers', '1']);
      const two = await cli([...fragileSweep, ...format, '--workers', '2']);
      expect(one.code, format.join('')).toBe(ExitCode.safetyViolation);
      expect(two.code).toBe(one.code);
      expect(two.err).toBe('');
      expect(withoutWallTime(two.out)).toBe(withoutWallTime(one.out));
    }
    const text = (await cli([...fragileSweep, '--workers', '1'])).out;
    // Some seeds fail and some do not, in seed order, with their reproductions.
    const seeds = [...text.matchAll(/✗ fragile seed (\d+)/g)].map((match) => Number(match[1]));
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.length).toBeLessThan(6);
    expect(seeds).toEqual([...seeds].sort((a, b) => a - b));
    expect(text).toMatch(/reproduce: npm run sim -- run fragile --seed \d+ --chaos/);
  });

  it('sweeps the real registry on workers as in one process', async () => {
    const argv = ['sweep', 'all', '--seeds', '1..2', '--chaos', '--duration-ms', '1000', '--json'];
    // The registry's own catalogue: worker processes load src/worker/catalogue.ts.
    const run = async (workers: string): Promise<Result> => {
      let out = '';
      let err = '';
      const code = await runCli([...argv, '--workers', workers], {
        out: (text) => (out += text),
        err: (text) => (err += text),
      });
      return { code, out, err };
    };
    const one = await run('1');
    const two = await run('2');
    expect(two.err).toBe('');
    expect(two.code).toBe(one.code);
    expect(withoutWallTime(two.out)).toBe(withoutWallTime(one.out));
    expect((JSON.parse(one.out) as { runs: number }).runs).toBeGreaterThanOrEqual(16);
  });

  it('stops at the same failed run, after the same lines, with one worker or two', async () => {
    // Seeds 3 to 6 violate the invariant, 7 does not, 8 fails (a node restarts twice), and so
    // does 10: the sweep stops at 8 however the runs are spread, and never reports 9 or 10.
    const argv = [
      'sweep',
      'throws-on-restart',
      '--seeds',
      '3..10',
      '--chaos',
      '--duration-ms',
      '8000',
    ];
    const one = await cli([...argv, '--workers', '1']);
    const two = await cli([...argv, '--workers', '2']);
    expect(one.code).toBe(ExitCode.runFailed);
    expect(one.err).toMatch(oneLine);
    expect(one.err).toMatch(/\(seed 8\).*cannot restart twice \[behaviour-threw\]/);
    expect([...one.out.matchAll(/seed (\d+):/g)].map((match) => match[1])).toEqual([
      '3',
      '4',
      '5',
      '6',
    ]);
    expect(two).toEqual(one);
  });

  it('reports a worker process that dies, with the run it was on, and does not hang', async () => {
    const result = await cli(['sweep', 'dies-in-worker', '--seeds', '1..4', '--workers', '2']);
    expect(result.code).toBe(ExitCode.runFailed);
    expect(result.err).toMatch(oneLine);
    expect(result.err).toMatch(
      /a worker process \(pid \d+\) exited with code 7: Error: the worker is going down; it was running dies-in-worker seed [1-4] \(reproduce: npm run sim -- run dies-in-worker --seed [1-4]/,
    );
  });
});

describe('sim sweep --shard and sim merge', () => {
  it('merges the shards into exactly the unsharded output, text and JSON', async () => {
    const argv = ['sweep', 'all', '--seeds', '3..9', '--chaos', '--duration-ms', '1500'];
    const whole = await cli([...argv, '--json', '--workers', '1']);
    const wholeText = await cli([...argv, '--workers', '1']);
    const dir = tempDir();
    const files: string[] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      // One shard on two workers: sharding and workers combine.
      const workers = shard === '2/3' ? '2' : '1';
      const part = await cli([...argv, '--json', '--shard', shard, '--workers', workers]);
      expect(part.err).toBe('');
      const report = JSON.parse(part.out) as { shard: unknown; runs: number };
      expect(report.shard).toEqual({ index: Number(shard[0]), count: 3 });
      const path = join(dir, `shard-${shard[0] ?? ''}.json`);
      writeFileSync(path, part.out);
      files.push(path);
    }
    // Round-robin by seed: shard 1 of 3 has seeds 3, 6, 9 of both listed scenarios.
    expect(
      (JSON.parse((await cli([...argv, '--json', '--shard', '1/3'])).out) as { runs: number }).runs,
    ).toBe(6);
    const reversed = [...files].reverse();
    const merged = await cli(['merge', ...reversed, '--json']);
    expect(merged.err).toBe('');
    expect(merged.code).toBe(whole.code);
    expect(withoutWallTime(merged.out)).toBe(withoutWallTime(whole.out));
    const mergedText = await cli(['merge', ...reversed]);
    expect(mergedText.code).toBe(wholeText.code);
    expect(withoutWallTime(mergedText.out)).toBe(withoutWallTime(wholeText.out));
    expect(whole.code).toBe(ExitCode.safetyViolation);
  });

  it('refuses to merge an incomplete, repeated or mixed set of shards', async () => {
    const dir = tempDir();
    const write = async (name: string, argv: string[]): Promise<string> => {
      const path = join(dir, name);
      writeFileSync(path, (await cli([...argv, '--json', '--workers', '1'])).out);
      return path;
    };
    const base = ['sweep', 'ping-pong', '--seeds', '1..4', '--duration-ms', '200'];
    const a = await write('a.json', [...base, '--shard', '1/2']);
    const b = await write('b.json', [...base, '--shard', '2/2']);
    const other = await write('other.json', [...base, '--chaos', '--shard', '2/2']);
    const third = await write('third.json', [...base, '--shard', '1/3']);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'swept 4 runs');
    const notSweep = join(dir, 'run.json');
    writeFileSync(notSweep, '{"scenario": "ping-pong"}');
    const cases: [string[], RegExp][] = [
      [['merge'], /merge needs the "sim sweep --json --shard I\/N" output/],
      [['merge', a], /shard 2\/2 missing/],
      [['merge', a, a, b], /shard 1\/2 is given twice/],
      [['merge', a, other], /other.json is a different sweep from .*a.json/],
      [['merge', a, third], /third.json is shard 1\/3 but .*a.json is 1\/2/],
      [['merge', a, notJson], /not JSON/],
      [['merge', a, notSweep], /not the output of "sim sweep --json" \(sweep: /],
      [['merge', join(dir, 'absent.json')], /merge .*absent.json: cannot read the file/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(ExitCode.badArguments);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.err, argv.join(' ')).toMatch(oneLine);
      expect(result.out, argv.join(' ')).toBe('');
    }
    expect((await cli(['merge', b, a])).code).toBe(ExitCode.ok);
  });

  it('explains a bad --workers or --shard in one line and exits with code 2', async () => {
    const base = ['sweep', 'ping-pong', '--seeds', '1..4', '--duration-ms', '100'];
    const cases: [string[], RegExp][] = [
      [['--workers', '0'], /--workers must be between 1 and 256, got 0/],
      [['--workers', '-2'], /--workers must be between 1 and 256, got -2/],
      [['--workers', 'many'], /--workers must be a whole number, got "many"/],
      [['--workers', '1.5'], /--workers must be a whole number, got "1.5"/],
      [['--workers', '1e3'], /--workers must be a whole number/],
      [['--workers'], /--workers needs a value/],
      [['--shard', '0/4'], /--shard 0\/4: I must be between 1 and N \(4\)/],
      [['--shard', '5/4'], /--shard 5\/4: I must be between 1 and N \(4\)/],
      [['--shard', '1/0'], /--shard 1\/0: N must be between 1 and 100000/],
      [['--shard', '2'], /--shard must look like I\/N/],
      [['--shard', 'a/b'], /--shard must look like I\/N/],
      [['--shard', '1/2/3'], /--shard must look like I\/N/],
      [['--shard', '-1/2'], /--shard must look like I\/N/],
      [['--shard', '1/2', '--shard', '2/2'], /--shard is given twice/],
    ];
    for (const [extra, message] of cases) {
      const result = await cli([...base, ...extra]);
      expect(result.code, extra.join(' ')).toBe(ExitCode.badArguments);
      expect(result.err, extra.join(' ')).toMatch(message);
      expect(result.err, extra.join(' ')).toMatch(oneLine);
      expect(result.out, extra.join(' ')).toBe('');
    }
  });
});
