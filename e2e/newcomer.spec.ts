import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

test('a newcomer opens the app, picks Leader Election, plays and sees time pass', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open();
  await expect(page).toHaveTitle(/DistSim/);
  await page
    .getByRole('button', { name: /Leader Election/ })
    .first()
    .click();
  await app.waitReady();
  await expect(page).toHaveURL(/#\/leader-election\?run=/);
  const before = await app.simTimeUs();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => app.simTimeUs(), { timeout: 10_000 }).toBeGreaterThan(before + 200_000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await app.screenshot('playing', testInfo);
});

test('killing the leader from its node controls elects a different leader with a higher term', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(2000);
  const [leader] = await app.leaders();
  if (leader === undefined) throw new Error('no leader after 2 s');
  await app.clickNode(leader.id);
  await page.getByRole('button', { name: 'Kill node' }).click();
  await expect(app.node(leader.id)).toHaveAccessibleName(new RegExp(`^${leader.id}, node, down`));
  // Before the default run's storyline freezes the leader of the moment, at 5 s.
  await app.stepTo(4500);
  const after = await app.leaders();
  const live = after.filter((entry) => entry.id !== leader.id);
  expect(live).toHaveLength(1);
  expect(live[0]?.term).toBeGreaterThan(leader.term);
  await app.screenshot('new-leader', testInfo);
});

test('partitioning two nodes leaves the majority with a leader', async ({ page }, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(2000);
  const [leader] = await app.leaders();
  if (leader === undefined) throw new Error('no leader after 2 s');
  // Cut off the leader and one follower: the other three must elect among themselves.
  const follower = ['n1', 'n2', 'n3', 'n4', 'n5'].find((id) => id !== leader.id) ?? 'n1';
  await app.clickNode(leader.id, ['Shift']);
  await app.clickNode(follower, ['Shift']);
  await page.getByRole('button', { name: 'Partition selected nodes' }).click();
  // Cut links are drawn dashed on the link canvas; their targets' names say so.
  await expect(page.getByRole('button', { name: /^Link .*, cut$/ }).first()).toBeAttached();
  // Before the default run's storyline freezes the leader of the moment, at 5 s.
  await app.stepTo(4500);
  const majority = ['n1', 'n2', 'n3', 'n4', 'n5'].filter(
    (id) => id !== leader.id && id !== follower,
  );
  const leaders = await app.leaders();
  const majorityLeaders = leaders.filter((entry) => majority.includes(entry.id));
  expect(majorityLeaders).toHaveLength(1);
  expect(majorityLeaders[0]?.term).toBeGreaterThan(leader.term);
  await expect(page.getByRole('region', { name: 'Invariants' })).not.toContainText('violated');
  await app.screenshot('partition', testInfo);
});
