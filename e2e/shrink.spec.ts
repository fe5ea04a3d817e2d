import AxeBuilder from '@axe-core/playwright';
import { chaosScheduleFor } from '../src/engine/chaos.ts';
import { leaderElection } from '../src/scenarios/leader-election/model.ts';
import { encodeShareLink } from '../src/worker/shareLink.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * Shrinking in the app: Bully (the baseline) under chaos seed 1 elects two leaders in one term
 * after 17 commands; `sim shrink leader-election --seed 1 --chaos --baseline` shrinks it to one
 * partition. The page does the same in a worker and opens the minimal run.
 */
const durationUs = leaderElection.defaultDurationUs;
const chaosFragment = `#/leader-election?${encodeShareLink(
  {
    scenarioId: leaderElection.id,
    scenarioVersion: leaderElection.version,
    seed: 1,
    variant: 'baseline',
    params: {},
    commands: chaosScheduleFor(leaderElection, 1, 'baseline', {}, durationUs),
  },
  0,
)}`;
const invariant = 'At most one node is elected leader in any term';

test('Shrink finds the one command that still splits the brain and opens that run', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new AppDriver(page);
  await app.open(chaosFragment);
  await app.stepTo(6000);
  const panel = page.locator('section.invariants');
  const row = panel.locator('li', { hasText: invariant });
  await expect(row).toContainText('First at 5.243 s');

  await row
    .getByRole('button', { name: `Find the smallest run that still breaks ${invariant}` })
    .click();
  const sentence = row.getByRole('status').filter({ hasText: /instead of/ });
  await expect(sentence).toHaveText(
    /^1 command instead of 17; the invariant breaks at 5\.228 s instead of 5\.243 s; \d+ runs\.$/,
    { timeout: 60_000 },
  );
  await expect(row.getByRole('list', { name: 'Commands of the minimal run' })).toContainText(
    'partition {n1,n2} | rest',
  );

  // The panel with the result showing passes axe in both themes.
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page }).include('section.invariants').analyze();
    expect(
      axe.violations
        .filter((each) => each.impact === 'serious' || each.impact === 'critical')
        .map((each) => `${scheme}: ${each.id}`),
    ).toEqual([]);
  }

  const beside = await row
    .getByRole('link', { name: 'Compare with the original' })
    .getAttribute('href');
  await row.getByRole('button', { name: 'Open the minimal run' }).click();
  // The minimal run, opened at its violation: the same invariant, broken at 5.228 s.
  await expect(row).toContainText('First at 5.228 s', { timeout: 15_000 });
  await expect(row).toContainText(/violated/);
  await expect(page.locator('section.command-log h2')).toContainText('(1)');

  // Beside the original on the compare page: both named by their commands, both broken.
  expect(beside).toContain('#/compare?a=');
  await page.goto(beside ?? '');
  const sideA = page.getByRole('heading', { name: /^Side a: Baseline: .*, 17 commands$/ });
  const sideB = page.getByRole('heading', { name: /^Side b: Baseline: .*, 1 command$/ });
  await expect(sideA).toBeVisible({ timeout: 30_000 });
  await expect(sideB).toBeVisible();
  await expect(page.getByText('Safety violated: one-leader-per-term')).toHaveCount(2, {
    timeout: 30_000,
  });
});

test('When did it become inevitable: the split brain is certain from the fork after the partition', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new AppDriver(page);
  await app.open(chaosFragment);
  await app.stepTo(6000);
  const row = page.locator('section.invariants li', { hasText: invariant });
  await row.getByRole('button', { name: /^When did it become inevitable that/ }).click();
  await expect(row.getByRole('status').filter({ hasText: /^Bound to fail/ })).toHaveText(
    /^Bound to fail from 3\.604 s: every run forked there or later broke it; forked at 3\.277 s, 0 of 24 runs broke it/,
    { timeout: 90_000 },
  );
  const curve = row.getByRole('group', {
    name: 'Share of forked runs that broke the invariant, by fork time',
  });
  await expect(curve.getByRole('button')).toHaveCount(17);
  // The first certain fork: the run goes there and the log shows what happened since the fork
  // before, the partition at 3.31 s among it.
  await curve.getByRole('button', { name: 'Forked at 3.604 s: 24 of 24 runs broke it' }).click();
  await expect.poll(() => app.simTimeUs()).toBe(3_604_464);
  const log = page.locator('section.event-log');
  await expect(log.getByTestId('event-window')).toContainText(
    'Only between the forks at 3.277 s and 3.604 s',
  );
  // The log holds the 0.33 s between the two forks, not the 3.6 s kept: a hundred-odd rows.
  const rows = Number(
    await log.getByRole('table', { name: 'Trace events' }).getAttribute('aria-rowcount'),
  );
  expect(rows).toBeGreaterThan(10);
  expect(rows).toBeLessThan(400);
  await expect(log.getByText(/ of [\d,]+ kept events shown/)).not.toHaveText(/^(\S+) of \1 /);
  const axe = await new AxeBuilder({ page }).include('section.invariants').analyze();
  expect(
    axe.violations
      .filter((each) => each.impact === 'serious' || each.impact === 'critical')
      .map((each) => each.id),
  ).toEqual([]);
});
