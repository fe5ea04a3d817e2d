import AxeBuilder from '@axe-core/playwright';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * Consistency you can see: CQRS's default run (seed 1) serves stale reads from its lagging read
 * side by 6.7 s, so by 12 s the recorded history is not linearizable. The page fetches the
 * history from the simulation worker, checks it in its own worker, names the anomaly in a
 * sentence and draws it; a bar of the picture takes the run to that operation's answer and draws
 * its messages bold.
 */

test('CQRS: Check consistency names the stale read, draws it, and a bar seeks to it', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const app = new AppDriver(page);
  await app.open('#/cqrs');
  await app.stepTo(12_000);
  const panel = page.locator('section.consistency');
  await panel.getByRole('button', { name: 'Check consistency' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Checked' })).toContainText(
    /Checked [\d,]+ operations: \d models? violated\./,
    { timeout: 60_000 },
  );
  const verdicts = panel.locator('.consistency-verdicts');
  await expect(verdicts).toContainText('Linearizable');
  await expect(verdicts).toContainText(/read \d+ from k\d+ at [\d.]+ s after/);

  const picture = panel
    .getByRole('group', { name: 'Operations by client over simulated time' })
    .first();
  await expect(picture).toBeVisible();
  const anomalyBar = picture.getByRole('button', { name: /part of the anomaly/ }).first();
  const name = (await anomalyBar.getAttribute('aria-label')) ?? '';
  const answered = / s to ([\d.]+) s/.exec(name)?.[1];
  expect(answered, name).toBeDefined();
  await anomalyBar.focus();
  await page.keyboard.press('Enter');
  // The run goes to the operation's answer (the name says it to the millisecond), its messages
  // are drawn bold in the space-time diagram, and the nodes they went between are lit.
  await expect
    .poll(async () => Math.abs((await app.simTimeUs()) - Number(answered) * 1_000_000))
    .toBeLessThanOrEqual(500);
  const trail = page.getByTestId('spacetime-trail');
  await expect(trail).toContainText(/^Bold: the \d+ messages of c\d+(\.\d+)? (read|write) k\d+ /);
  await expect(page.locator('.topology .is-highlighted').first()).toBeVisible();
  expect(await page.locator('.topology .is-highlighted').count()).toBeGreaterThanOrEqual(2);
  await trail.getByRole('button', { name: 'Clear' }).click();
  await expect(trail).toHaveCount(0);
  await expect(page.locator('.topology .is-highlighted')).toHaveCount(0);

  // The guarantee table is there for the pattern, and the whole section passes axe.
  await panel.getByText('What this pattern guarantees').click();
  await expect(panel.locator('.consistency-table table')).toBeVisible();
  const results = await new AxeBuilder({ page }).include('section.consistency').analyze();
  const serious = results.violations.filter((each) =>
    ['serious', 'critical'].includes(each.impact ?? ''),
  );
  expect(serious.map((each) => `${each.id}: ${each.help}`)).toEqual([]);
});
