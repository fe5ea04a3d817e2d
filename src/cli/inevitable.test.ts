import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { leaderElection } from '../scenarios/leader-election/model.ts';
import { inevitable } from '../shrink/inevitable.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { captureCli } from './testing/captureCli.ts';

/*
 * `sim inevitable`: the curve of Bully's split brain (chaos seed 1, baseline), in words and as
 * JSON, the same numbers the search gives in-process; and every bad input gets one line.
 */

const bully = ['inevitable', 'leader-election', '--seed', '1', '--chaos', '--baseline'];
const cli = (argv: string[]) => captureCli(argv, scenarioCatalogue);

interface CurveJson {
  readonly invariant: { readonly id: string };
  readonly violationMs: number;
  readonly inevitableFromMs: number;
  readonly runs: number;
  readonly curve: readonly {
    readonly forkMs: number;
    readonly runs: number;
    readonly violated: number;
    readonly probability: number;
  }[];
}

describe('sim inevitable', () => {
  it('prints the curve the search measures, as JSON and in words', async () => {
    const { code, out, err } = await cli([...bully, '--forks', '4', '--trials', '3', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as CurveJson;
    const durationUs = leaderElection.defaultDurationUs;
    const direct = inevitable(scenarioCatalogue, {
      run: {
        scenarioId: 'leader-election',
        seed: 1,
        variant: 'baseline',
        params: {},
        commands: chaosScheduleFor(leaderElection, 1, 'baseline', {}, durationUs),
      },
      durationUs,
      forks: 4,
      trials: 3,
    });
    expect(report.invariant.id).toBe('one-leader-per-term');
    expect(report.runs).toBe(15);
    expect(report.violationMs).toBe(direct.violationUs / 1000);
    expect(report.inevitableFromMs).toBe(direct.inevitableFromUs / 1000);
    expect(report.curve).toEqual(
      direct.points.map((point) => ({
        forkMs: point.forkUs / 1000,
        runs: 3,
        violated: point.violated,
        probability: point.violated / 3,
      })),
    );
    expect(report.curve.at(-1)?.probability).toBe(1);

    const text = await cli([...bully, '--forks', '4', '--trials', '3']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('invariant   one-leader-per-term');
    expect(text.out).toContain(`violation   first at ${(direct.violationUs / 1e6).toFixed(3)} s`);
    expect(text.out).toMatch(/\n {4}5\.243 s {2}3\/3 {2}█{24}\n$/);
    expect(text.err).toContain('inevitable: 1 fork measured, 3 of 15 runs\n');
    expect(text.err).toContain('inevitable: 4 forks measured, 12 of 15 runs\n');
  });

  it('refuses bad counts, unknown invariants and a run that never breaks, in one line', async () => {
    const forks = await cli([...bully, '--forks', '0']);
    expect(forks.code).toBe(2);
    expect(forks.err).toMatch(/^distsim: --forks must be between 1 and 200, got 0\. /);
    const trials = await cli([...bully, '--trials', 'many']);
    expect(trials.code).toBe(2);
    expect(trials.err).toMatch(/^distsim: --trials must be a whole number, got "many"\. /);
    const unknown = await cli([...bully, '--invariant', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^distsim: leader-election has no invariant "nope"/);
    const calm = await cli(['inevitable', 'leader-election', '--seed', '1']);
    expect(calm.code).toBe(2);
    expect(calm.err).toMatch(/^distsim: The run does not violate any safety invariant/);
    expect(calm.err.split('\n')).toHaveLength(2);
  });
});
