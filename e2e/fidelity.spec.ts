import AxeBuilder from '@axe-core/playwright';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * "How true is this?": under the scenario's name, a dialog says what the scenario follows,
 * models and leaves out, and which published results it reproduces; a reproduced result's
 * "Run the experiment" opens the Experiments panel running it.
 */

test('How true is this? says what Leader Election does not reproduce, and closes with Escape', async ({
  page,
}) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  const opener = page.getByRole('button', { name: 'How true is this?' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'How true is this? Leader Election' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'What it leaves out' })).toBeVisible();
  await expect(dialog.locator('li.is-not-reproduced')).toContainText('Figure 16');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page }).include('.fidelity-dialog').analyze();
    expect(axe.violations.map((each) => `${scheme}: ${each.id}`)).toEqual([]);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('a reproduced result runs its experiment', async ({ page }) => {
  test.setTimeout(90_000);
  const app = new AppDriver(page);
  await app.open('#/sharding');
  await page.getByRole('button', { name: 'How true is this?' }).click();
  const result = page.locator('.fidelity-dialog li.is-reproduced', { hasText: 'Karger' });
  await result.getByRole('link', { name: 'Run the experiment' }).click();
  const figure = page.getByRole('group', { name: /^Keys moved when adding a shard/ });
  await expect(figure).toBeVisible({ timeout: 60_000 });
  await expect(figure.getByRole('button').first()).toHaveAttribute('aria-label', /over 5 seeds/);
  // The run on screen stayed: the link kept its fragment.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Sharding');
});
