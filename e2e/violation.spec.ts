import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

test('pause on violation stops the Bully baseline on the split brain and names the nodes', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await page.getByRole('button', { name: /^Baseline/ }).click();
  await app.waitReady();
  // The leader alone and the other four in two pairs: Bully elects a leader on each side.
  await app.load({
    scenarioId: 'leader-election',
    seed: 1,
    variant: 'baseline',
    params: {},
    commands: [
      {
        atUs: 1_000_000,
        command: { type: 'net.partition', groups: [['n5'], ['n1', 'n2'], ['n3', 'n4']] },
      },
    ],
  });
  await page.getByRole('checkbox', { name: 'Pause on violation' }).check();
  await page.evaluate(() => {
    window.distsim?.setSpeed(20);
  });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByText(/Paused on a violation of one-leader-per-term/)).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  const frame = await page.evaluate(() => window.distsim?.frame());
  expect(frame?.isPlaying).toBe(false);
  expect(frame?.violationStop?.invariantId).toBe('one-leader-per-term');
  expect(frame?.violationStop?.timeUs).toBe(frame?.timeUs);
  expect(frame?.violationStop?.nodes).toHaveLength(2);
  await expect(page.getByRole('region', { name: 'Invariants' })).toContainText('violated');
  await app.screenshot('paused-on-violation', testInfo);
});
