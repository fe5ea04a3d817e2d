import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * The inspector in a real run: Strangler Fig's "Set a route" offers its routes and shadow by
 * name and records the numbers (the command log says the names again), and the link inspector
 * reads out what a link does now, following a fault and a heal. Both pass axe in both themes.
 * Sharding’s parameters that stand for something are picked by name and run as numbers.
 */

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('.inspector').analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`Strangler Fig's route control is picked by name (${scheme})`, async ({
    page,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    const app = new AppDriver(page);
    await app.open('#/strangler-fig');
    await app.stepTo(1000);
    await app.clickNode('facade');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Set a route' }) });
    await form.getByRole('combobox', { name: 'Route' }).selectOption({ label: 'orders' });
    await form.getByRole('group', { name: 'Shadow' }).getByRole('radio', { name: 'on' }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`route-control-by-name-${scheme}`, testInfo);
    await form.getByRole('button', { name: 'Set a route' }).click();

    // The command log and the timeline's mark both say the names.
    const said = 'Set a route on facade (Route orders, Share to new 10 %, Shadow on)';
    await expect(page.getByText(`1.000 s · ${said}`)).toBeVisible();
    await expect(page.getByText(`t = 1.000 s: ${said}`)).toBeAttached();
    const run = await page.evaluate(() => window.distsim?.run());
    const recorded = run?.commands.at(-1)?.command;
    expect(recorded).toEqual({
      type: 'scenario.fault',
      fault: 'set-route',
      node: 'facade',
      args: { route: 2, sharePct: 10, shadow: 1 },
    });
  });

  test(`the link inspector reads out what a link does now (${scheme})`, async ({
    page,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    const app = new AppDriver(page);
    await app.open('#/strangler-fig');
    await app.stepTo(1000);
    await page.getByRole('button', { name: /^Link (facade – legacy|legacy – facade)/ }).click();
    const now = page.getByRole('region', { name: 'Now' });
    await expect(now).toContainText('Latency');
    await expect(now).toContainText('Loss0%');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('spinbutton', { name: /^Loss/ }).fill('20');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(now).toContainText('Loss20%');
    await expect(now).toContainText('Degraded by a fault');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`link-now-degraded-${scheme}`, testInfo);

    await page.getByRole('button', { name: 'Heal network' }).click();
    await expect(now).toContainText('Loss0%');
    await expect(now).not.toContainText('Degraded by a fault');
  });
}

test('Sharding’s parameters are picked by name and set as numbers', async ({ page }) => {
  const app = new AppDriver(page);
  await app.open('#/sharding');
  const panel = page.locator('.params-panel');
  const strategy = panel.getByRole('combobox', { name: 'Placement strategy' });
  await expect(strategy).toHaveValue('1');
  await expect(strategy.locator('option:checked')).toHaveText('consistent hashing');
  const axe = await new AxeBuilder({ page }).include('.params-panel').analyze();
  expect(axe.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);

  // Needs a restart: the pick waits for "Apply and restart", which runs the number.
  await strategy.selectOption({ label: 'range partitioning' });
  await panel.getByRole('button', { name: 'Apply and restart' }).click();
  await expect
    .poll(async () => (await page.evaluate(() => window.distsim?.run()))?.params.strategy)
    .toBe(2);
  await app.waitReady();

  // Live: the pick is a recorded param.set with the number, said by name in the command log.
  await app.stepTo(1000);
  await panel.getByRole('combobox', { name: 'Key distribution' }).selectOption({
    label: 'one hot key',
  });
  await expect(page.getByText('1.000 s · set Key distribution to one hot key')).toBeVisible();
  const run = await page.evaluate(() => window.distsim?.run());
  expect(run?.commands.at(-1)?.command).toEqual({
    type: 'param.set',
    key: 'keyDistribution',
    value: 2,
  });
});
