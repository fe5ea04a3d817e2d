import { describe, expect, it } from 'vitest';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { runHeadless } from '../worker/headless.ts';
import { decodeShareLink } from '../worker/shareLink.ts';
import { ExitCode } from './cli.ts';
import { captureCli } from './testing/captureCli.ts';

/*
 * `sim check` in-process on real scenarios: the shortest counterexample with exit code 1 and a
 * link the app opens to the same violation, a certificate with exit code 0, one-line refusals.
 */

const oneLine = /^distsim: [^\n]+\n$/;

const cli = (argv: string[]): ReturnType<typeof captureCli> => captureCli(argv, scenarioCatalogue);

interface CheckJson {
  result: string;
  depth: number;
  states: number;
  transitions: number;
  schedule?: { kind: string; text: string }[];
  violation?: { timeUs: number; event: number; message: string };
  link?: string;
}

describe('sim check', () => {
  it("prints Bully's shortest split brain, exits 1, and its link opens to the same violation", async () => {
    const { code, out, err } = await cli([
      'check',
      'leader-election',
      '--baseline',
      '--nodes',
      '3',
      '--depth',
      '5',
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(ExitCode.safetyViolation);
    const report = JSON.parse(out) as CheckJson;
    expect(report.result).toBe('violation');
    expect(report.depth).toBe(3);
    expect(report.schedule).toHaveLength(3);
    const decoded = decodeShareLink(report.link ?? '', scenarioCatalogue);
    if (!decoded.ok) throw new Error(decoded.problem.message);
    expect(decoded.shared.positionUs).toBe(report.violation?.timeUs);
    const summary = runHeadless(
      scenarioCatalogue,
      decoded.shared.request,
      decoded.shared.positionUs,
    );
    const invariant = summary.invariants.find((each) => each.id === 'one-leader-per-term');
    expect(invariant?.firstViolation?.message).toBe(report.violation?.message);
    expect(invariant?.firstViolation?.timeUs).toBe(report.violation?.timeUs);
  });

  it('prints the schedule in words', async () => {
    const { code, out } = await cli([
      'check',
      'planted-violation',
      '--depth',
      '5',
      '--faults',
      '2',
    ]);
    expect(code).toBe(ExitCode.safetyViolation);
    expect(out).toContain('violated    at depth 4: no schedule of 3 or fewer choices violates it');
    expect(out).toContain('p1 crashes');
    expect(out).toMatch(/link {8}#\/planted-violation\?run=/);
  });

  it('certifies Raft for 3 nodes and exits 0', async () => {
    const { code, out } = await cli(['check', 'leader-election', '--nodes', '3', '--depth', '5']);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain('certified   no violation within depth 5: 166 states, 229 transitions');
  });

  it('lets timers fire in any order with --any-timer', async () => {
    const argv = ['check', 'leader-election', '--baseline', '--nodes', '3', '--depth', '3'];
    const { code, out } = await cli([...argv, '--any-timer']);
    expect(code).toBe(ExitCode.safetyViolation);
    expect(out).toContain('bounds      depth 3, faults 0, timers in any order');
    expect(out).toContain('violated    at depth 2');
  });

  it('exits 3 when it gives up at --states-max', async () => {
    const argv = ['check', 'leader-election', '--nodes', '3', '--depth', '9', '--states-max', '50'];
    const { code, out } = await cli(argv);
    expect(code).toBe(ExitCode.runFailed);
    expect(out).toContain('gave up     at 50 states');
  });

  it('refuses bad arguments with one line and exit code 2', async () => {
    const bad = [
      ['check', 'leader-election'],
      ['check', 'leader-election', '--depth', '0'],
      ['check', 'leader-election', '--depth', 'x'],
      ['check', 'leader-election', '--depth', '3', '--nodes', '2'],
      ['check', 'planted-violation', '--depth', '3', '--nodes', '3'],
      ['check', 'leader-election', '--depth', '3', '--invariant', 'nope'],
      ['check', 'leader-election', '--depth', '3', '--invariant', 'leader-elected'],
      ['check', 'leader-election', '--depth', '3', '--faults', '-1'],
      ['check', 'nope', '--depth', '3'],
      ['check', 'leader-election', '--depth', '3', '--param', 'nodeCount=99'],
    ];
    for (const argv of bad) {
      const { code, out, err } = await cli(argv);
      expect({ argv, code }).toEqual({ argv, code: ExitCode.badArguments });
      expect(out).toBe('');
      expect(err).toMatch(oneLine);
    }
  });
});
