import AxeBuilder from '@axe-core/playwright';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * Experiments in the real page: the keys-moved experiment runs in its web worker, its figure
 * draws 12 points (6 values of N × 2 series) over two dashed theory curves, a point opens its
 * seed-1 Sharding run in the main view, and a shared link (`?experiment=…&seeds=…`) opens the
 * panel and runs the experiment by itself.
 */

test('an experiment runs in a worker, draws its figure and opens a point as a run', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const app = new AppDriver(page);
  await app.open();
  await page.locator('summary', { hasText: 'Experiments' }).click();
  const form = page.getByRole('form', { name: 'Experiments' });
  await expect(form.getByLabel('Experiment')).toHaveValue('keys-moved');
  await form.getByLabel(/^Seeds/).fill('3');
  await form.getByRole('button', { name: 'Run' }).click();

  const figure = page.getByRole('group', { name: /^Keys moved when adding a shard/ });
  await expect(figure).toBeVisible({ timeout: 30_000 });
  const points = figure.getByRole('button');
  await expect(points).toHaveCount(12);
  await expect(figure.locator('path.experiment-theory')).toHaveCount(2);
  await expect(points.first()).toHaveAttribute('aria-label', /share of keys moved 0\.661 /);

  const axe = await new AxeBuilder({ page }).include('.experiments').analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  await points.first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Sharding', {
    timeout: 30_000,
  });
  await expect
    .poll(() => page.evaluate(() => window.distsim?.frame()?.timeUs), { timeout: 30_000 })
    .toBe(20_000_000);
});

test('a shared experiment link opens the panel and runs the experiment', async ({ page }) => {
  test.setTimeout(60_000);
  const app = new AppDriver(page);
  await app.open('?experiment=keys-moved&seeds=2');
  const figure = page.getByRole('group', { name: /^Keys moved when adding a shard/ });
  await expect(figure).toBeVisible({ timeout: 30_000 });
  await expect(figure.getByRole('button').first()).toHaveAttribute('aria-label', /over 2 seeds/);
});
