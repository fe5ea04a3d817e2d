import { describe, expect, it } from 'vitest';
import { experiments } from '../experiments/registry.ts';
import { planExperiment, resultOf, runTask, tasksOf } from '../experiments/run.ts';
import { keysMoved } from '../experiments/keysMoved.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import { testCatalogue } from '../worker/testing/testCatalogue.ts';
import { captureCli } from './testing/captureCli.ts';

describe('sim experiment', () => {
  it('lists the experiments, in text and as JSON', async () => {
    const text = await captureCli(['experiment', 'list'], scenarioCatalogue);
    expect(text.code).toBe(0);
    expect(
      text.out
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split(' ')[0]),
    ).toEqual(experiments.map((each) => each.id));
    const json = await captureCli(['experiment', 'list', '--json'], scenarioCatalogue);
    const listed = JSON.parse(json.out) as { id: string; scenario: string; theory: unknown[] }[];
    expect(listed.map((each) => each.id)).toEqual(experiments.map((each) => each.id));
    expect(listed.find((each) => each.id === 'queueing')?.theory).toHaveLength(1);
  });

  it('prints the same numbers as the experiment computes, in JSON', async () => {
    const { code, out } = await captureCli(
      ['experiment', 'keys-moved', '--seeds', '3', '--json'],
      scenarioCatalogue,
    );
    expect(code).toBe(0);
    const plan = planExperiment(keysMoved, { seedCount: 3 });
    const expected = resultOf(
      scenarioCatalogue,
      plan,
      tasksOf(plan).map((task) => runTask(scenarioCatalogue, task)),
    );
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('prints a table with each series beside its theory', async () => {
    const { code, out } = await captureCli(
      ['experiment', 'keys-moved', '--seeds', '2'],
      scenarioCatalogue,
    );
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('keys-moved: Keys moved when adding a shard');
    const header = lines.find((line) => line.startsWith('x (shards)')) ?? '';
    expect(header.split(/\s{2,}/)).toEqual([
      'x (shards)',
      'hash mod N',
      'theory N/(N+1)',
      'consistent hashing',
      'theory 1/(N+1)',
    ]);
    const rowN2 = lines[lines.indexOf(header) + 1] ?? '';
    expect(rowN2.split(/\s{2,}/)).toEqual([
      '2',
      '0.6610 ± 0.0000',
      '0.6667',
      '0.3640 ± 0.0381',
      '0.3333',
    ]);
  });

  it('prints the same output with one worker process or two, and reports progress on stderr', async () => {
    const argv = ['experiment', 'breaker-cascade', '--seeds', '1', '--json'];
    const one = await captureCli([...argv, '--workers', '1'], scenarioCatalogue);
    const two = await captureCli([...argv, '--workers', '2'], scenarioCatalogue);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.out).toBe(one.out);
    expect(one.err).toContain('distsim: experiment breaker-cascade: 12/12 runs');
    const result = JSON.parse(one.out) as { series: { points: { values: number[] }[] }[] };
    expect(result.series.map((series) => series.points.map((point) => point.values[0]))).toEqual([
      [18, 18, 18, 18, 18, 18],
      [165, 358, 758, 1153, 1757, 2334],
    ]);
  }, 60_000);

  it.each([
    [['experiment'], 'Name an experiment, or "list" to see them.'],
    [['experiment', 'nope'], 'There is no experiment "nope". Experiments: keys-moved,'],
    [['experiment', 'queueing', '--seeds', '0'], '--seeds must be between 1 and 200, got 0.'],
    [['experiment', 'queueing', '--seeds', '1..4'], '--seeds must be a whole number, got "1..4".'],
    [['experiment', 'queueing', '--workers', 'many'], '--workers must be a whole number'],
    [['experiment', 'queueing', 'extra'], 'Unexpected argument "extra".'],
    [['experiment', 'list', '--seeds', '2'], '"experiment list" takes only --json.'],
    [['experiment', 'queueing', '--baseline'], 'Unknown option --baseline for "experiment".'],
  ])('refuses %j with one line and exit code 2', async (argv, message) => {
    const { code, out, err } = await captureCli(argv, scenarioCatalogue);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n').filter((line) => line !== '')).toHaveLength(1);
    expect(err).toContain(message);
  });

  it('refuses an experiment whose scenario the catalogue does not have', async () => {
    const { code, err } = await captureCli(['experiment', 'queueing'], testCatalogue);
    expect(code).toBe(2);
    expect(err).toBe(
      'distsim: Experiment "queueing" needs the scenario "sharding", which is not here. See "npm run sim -- help".\n',
    );
  });
});
