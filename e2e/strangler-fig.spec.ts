import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** The latest shares in the stacked traffic chart, from its accessible name. */
async function shares(app: AppDriver): Promise<{ legacy: number; fresh: number }> {
  const chart = app.page.getByRole('img', { name: /^Traffic share/ });
  const name = (await chart.getAttribute('aria-label')) ?? '';
  const read = (label: string): number =>
    Number(new RegExp(`${label} ([0-9.]+)`).exec(name)?.[1] ?? Number.NaN);
  return { legacy: read('Legacy'), fresh: read('New services') };
}

test('moving a route to the new service from the facade controls shifts the traffic chart', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const app = new AppDriver(page);
  await app.open('#/strangler-fig');
  await app.stepTo(3000);
  await expect.poll(async () => (await shares(app)).legacy).toBe(1);

  await app.clickNode('facade');
  await page.getByRole('button', { name: 'Move a route to new' }).click();
  await app.stepTo(8000);
  // The first route (catalog) carries about 40% of the requests at the default mix.
  await expect.poll(async () => (await shares(app)).fresh).toBeGreaterThan(0.2);
  const after = await shares(app);
  expect(after.legacy).toBeLessThan(0.8);
  await expect(page.getByRole('region', { name: 'Invariants' })).not.toContainText('violated');
  await app.screenshot('route-moved', testInfo);
});
