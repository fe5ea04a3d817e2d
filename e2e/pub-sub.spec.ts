import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** The latest backlog bar of a subscriber, as the metrics panel names it ("s2: 31 messages"). */
async function backlogOf(app: AppDriver, subscriber: string): Promise<number> {
  const chart = app.page.getByRole('figure', { name: 'Backlog per subscription' });
  const label =
    (await chart.getByLabel(new RegExp(`^${subscriber}: `)).getAttribute('aria-label')) ?? '';
  return Number(/: (\d+)/.exec(label)?.[1] ?? Number.NaN);
}

test('killing a durable subscriber from its node controls builds its backlog, which drains after a restart', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const app = new AppDriver(page);
  await app.open('#/pub-sub');
  await app.stepTo(2000);
  expect(await backlogOf(app, 's2')).toBeLessThanOrEqual(2);

  await app.clickNode('s2');
  await page.getByRole('button', { name: 'Kill node' }).click();
  await app.stepTo(6000);
  // Messages published while s2 is down wait in its durable subscription at the broker.
  await expect.poll(() => backlogOf(app, 's2')).toBeGreaterThan(20);
  await app.screenshot('subscriber-down-backlog', testInfo);

  await page.getByRole('button', { name: 'Restart node' }).click();
  await app.stepTo(10_000);
  await expect.poll(() => backlogOf(app, 's2')).toBeLessThanOrEqual(1);
  await expect(page.getByRole('region', { name: 'Invariants' })).not.toContainText('violated');
  await app.screenshot('subscriber-drained', testInfo);
});
