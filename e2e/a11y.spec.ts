import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { scenarios } from '../src/scenarios/registry.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no serious problems (${scheme})`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    const app = new AppDriver(page);
    await app.open('#/leader-election');
    await app.stepTo(1500);
    expect(await seriousViolations(page)).toEqual([]);
    await app.clickNode('n2');
    await expect(page.getByRole('button', { name: 'Kill node' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`inspector-${scheme}`, testInfo);
  });
}

// Each scenario brings its own node labels, colours, charts, controls and instrument: check every
// one in both themes, past its storyline's first moments (12 s: the breaker is open, the shard
// added, the route canaried...), with its first node's inspector open.
for (const scenario of scenarios.filter((each) => !each.isHidden)) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`axe finds no serious problems in ${scenario.title} (${scheme}, inspector open)`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const app = new AppDriver(page);
      await app.open(`#/${scenario.id}`);
      await app.stepTo(12_000);
      await expect(page.locator('figure.instrument')).toHaveCount(1);
      await page
        .getByRole('button', { name: /^[\w-]+, / })
        .first()
        .click();
      await expect(page.getByRole('button', { name: 'Kill node' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test('every shortcut works from the keyboard and the help overlay lists them', async ({ page }) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.step({ kind: 'events', count: 1 });
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const before = await app.simTimeUs();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => window.distsim?.frame()?.eventCount)).toBe(2);
  expect(await app.simTimeUs()).toBeGreaterThanOrEqual(before);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Space');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
});
