import { describe, expect, it } from 'vitest';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { runHeadless } from '../worker/headless.ts';
import { decodeShareLink } from '../worker/shareLink.ts';
import { ExitCode, runCli } from './cli.ts';

/*
 * `sim shrink` on real scenarios, in-process: Bully's split brain under chaos (seed 1 of the
 * baseline violates one-leader-per-term; the test checks it rather than trusting it) and the
 * hidden planted violation. What it prints is checked against what the engine and the share
 * link say, never against pinned hashes or timings.
 */

const oneLine = /^distsim: [^\n]+\n$/;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (text) => (out += text), err: (text) => (err += text) },
    scenarioCatalogue,
  );
  return { code, out, err };
}

interface ShrinkJson {
  scenario: string;
  invariant: { id: string };
  original: { commands: unknown[]; commandTexts: string[]; firstViolationMs: number };
  minimal: {
    commands: { atUs: number }[];
    commandTexts: string[];
    durationMs: number;
    firstViolationMs: number;
    link: string;
    url: string | null;
  };
  runs: number;
  steps: { kind: string; text: string }[];
}

const bully = ['shrink', 'leader-election', '--seed', '1', '--chaos', '--baseline'];

describe('sim shrink', () => {
  it('prints both command logs, the runs, both violation times and the link', async () => {
    const { code, out, err } = await cli(bully);
    expect(code).toBe(ExitCode.ok);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'scenario    leader-election v2: Leader Election, baseline (Bully algorithm), seed 1',
    );
    expect(lines[1]).toMatch(/^invariant {3}one-leader-per-term: /);
    expect(out).toMatch(/^original {4}17 commands; first violation at \d+\.\d{3} s: two leaders/m);
    expect(out).toMatch(/^minimal {5}\d+ commands?; first violation at \d+\.\d{3} s: two leaders/m);
    // Commands in the app's command log wording, one per line with the time.
    expect(out).toMatch(/^ {2}\d+\.\d{3} s · crash n\d$/m);
    expect(out).toMatch(/^runs {8}\d+ \(\d+\.\d s\)$/m);
    expect(out).toMatch(/^ {2}delta debugging: \d+ → \d+ entr(y|ies) in \d+ runs$/m);
    expect(out).toMatch(/^link {8}#\/leader-election\?run=[\w-]+$/m);
    expect(out).not.toMatch(/^url/m);
    // Progress on stderr, a line per phase or size.
    expect(err).toMatch(/^shrink: removing, \d+ runs, \d+ entries$/m);
    expect(err).not.toMatch(/distsim:/);
  });

  it('prints the same as JSON, with a link that replays to the violation', async () => {
    const { code, out, err } = await cli([...bully, '--json']);
    expect(code).toBe(ExitCode.ok);
    expect(err).toBe('');
    const report = JSON.parse(out) as ShrinkJson;
    expect(report.scenario).toBe('leader-election');
    expect(report.invariant.id).toBe('one-leader-per-term');
    expect(report.original.commands).toHaveLength(17);
    expect(report.original.commandTexts).toHaveLength(17);
    expect(report.minimal.commands.length).toBeLessThan(17);
    expect(report.minimal.commandTexts).toHaveLength(report.minimal.commands.length);
    expect(report.runs).toBeGreaterThan(0);
    expect(report.steps.every((step) => step.text.length > 0)).toBe(true);
    const decoded = decodeShareLink(report.minimal.link, scenarioCatalogue);
    if (!decoded.ok) throw new Error(decoded.problem.message);
    expect(decoded.shared.positionUs).toBe(report.minimal.durationMs * 1000);
    const summary = runHeadless(
      scenarioCatalogue,
      decoded.shared.request,
      decoded.shared.positionUs,
    );
    const first = summary.invariants.find((each) => each.id === 'one-leader-per-term');
    expect(first?.firstViolation?.timeUs).toBe(report.minimal.firstViolationMs * 1000);
    // `sim run --link` agrees: the minimal run violates (exit code 1).
    expect((await cli(['run', '--link', report.minimal.link])).code).toBe(ExitCode.safetyViolation);
  });

  it('shrinks a share link and prints the full address when given one', async () => {
    const first = JSON.parse((await cli([...bully, '--json'])).out) as ShrinkJson;
    const url = `https://distsim.example/app/${first.minimal.link}`;
    const { code, out } = await cli(['shrink', '--link', url]);
    expect(code).toBe(ExitCode.ok);
    // Shrinking a minimal run finds nothing more to do.
    expect(out).toContain(`link        ${first.minimal.link}\n`);
    expect(out).toContain(`url         https://distsim.example/app/${first.minimal.link}\n`);
  });

  it('gives one line and exit code 2 for what it cannot shrink and for bad arguments', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['shrink', 'leader-election', '--seed', '1'],
        /^distsim: The run does not violate any safety invariant within 10 s: there is nothing to shrink\.$/m,
      ],
      [
        ['shrink', 'planted-violation', '--seed', '1', '--chaos', '--baseline'],
        /does not violate any safety invariant/,
      ],
      [[...bully, '--invariant', 'nope'], /leader-election has no invariant "nope"/],
      [
        [...bully, '--invariant', 'leader-elected'],
        /"leader-elected" is a liveness invariant; only safety invariants can be shrunk/,
      ],
      [['shrink', 'warp'], /Unknown scenario "warp"/],
      [['shrink'], /Name a scenario/],
      [[...bully, '--seeds', '1..3'], /Unknown option --seeds for "shrink"/],
      [['shrink', '--link', '#run=garbage!!'], /--link: The link is damaged/],
      [['shrink', '--link', '#run=x', '--seed', '2'], /--link already holds the whole run/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(ExitCode.badArguments);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.err, argv.join(' ')).toMatch(oneLine);
      expect(result.out, argv.join(' ')).toBe('');
    }
  });

  it('is in the help', async () => {
    const { out } = await cli(['help']);
    expect(out).toContain('  shrink <scenario> --seed N --chaos [--baseline]');
    expect(out).toContain('  shrink --link URL [--invariant ID] [--json]');
  });
});
