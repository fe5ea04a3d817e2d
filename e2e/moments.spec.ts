import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/**
 * The pattern's moments reach the person: "Next interesting event" jumps to the first one (the
 * Circuit Breaker's default incident saturates the service at about 10.8 s), the timeline marks
 * it with a tick that goes back to it, and "What just happened" says it in words.
 */
test('next interesting event jumps to the first moment, marked on the timeline and told in words', async ({
  page,
}) => {
  const app = new AppDriver(page);
  await app.open('#/circuit-breaker');
  const log = page.getByRole('log', { name: 'What just happened' });
  await expect(log.getByRole('button')).toHaveCount(0);

  await page.getByRole('button', { name: 'Next interesting event' }).click();
  const first = log.getByRole('button').first();
  await expect(first).toContainText('service is saturated');
  const timeUs = await app.simTimeUs();
  expect(timeUs).toBeGreaterThan(5_000_000);
  expect(timeUs).toBeLessThan(20_000_000);

  const ticks = page.getByRole('list', { name: /^Moments on the timeline/ }).getByRole('button');
  await expect(ticks.first()).toHaveAccessibleName(/service is saturated/);
  await expect(page.locator('.narration-line')).toContainText('service is saturated');

  // On to the next moment, then back to the first through its tick.
  await page.getByRole('button', { name: 'Next interesting event' }).click();
  await expect(log.getByRole('button')).toHaveCount(2);
  await ticks.first().click();
  await expect.poll(() => app.simTimeUs()).toBeLessThan(timeUs + 1);
  await expect(log.getByRole('button')).toHaveCount(1);
});
