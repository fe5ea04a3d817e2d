import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** The latest read-model lag of replica q1, as the metrics panel's bar names it ("q1: 12 changes"). */
async function lagOfQ1(app: AppDriver): Promise<number> {
  const chart = app.page.getByRole('figure', { name: 'Read-model lag per replica' });
  const label = (await chart.getByLabel(/^q1: /).getAttribute('aria-label')) ?? '';
  return Number(/: (\d+)/.exec(label)?.[1] ?? Number.NaN);
}

test('killing the projector from its node controls makes the read models lag, and they catch up after a restart', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const app = new AppDriver(page);
  await app.open('#/cqrs');
  await app.stepTo(3000);
  await expect.poll(() => lagOfQ1(app)).toBeLessThanOrEqual(3);

  await app.clickNode('projector');
  await page.getByRole('button', { name: 'Kill node' }).click();
  await app.stepTo(8000);
  // Writes go on; nothing reaches the read side while the projector is down.
  await expect.poll(() => lagOfQ1(app)).toBeGreaterThan(20);
  await app.screenshot('projector-down-lag', testInfo);

  await page.getByRole('button', { name: 'Restart node' }).click();
  await app.stepTo(14_000);
  await expect.poll(() => lagOfQ1(app)).toBeLessThanOrEqual(3);
  await expect(page.getByRole('region', { name: 'Invariants' })).not.toContainText('violated');
  await app.screenshot('projector-caught-up', testInfo);
});
