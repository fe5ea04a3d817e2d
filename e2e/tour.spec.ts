import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

test('the Leader Election tour can be completed in the browser', async ({ page }, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  // Waits in the tour are in simulated time; a fast speed keeps the wall time short.
  await page.evaluate(() => {
    window.distsim?.setSpeed(50);
  });
  await page.getByRole('button', { name: 'Take the tour' }).click();
  const next = page.getByRole('button', { name: 'Next step' });
  for (let step = 0; step < 8; step++) {
    const lockIn = page.getByRole('button', { name: 'Lock in my prediction' });
    if (await lockIn.isVisible()) {
      await page.getByRole('radio').first().check();
      await lockIn.click();
      await expect(page.getByText(/Correct|Not quite/)).toBeVisible({ timeout: 20_000 });
      if (step === 1) await app.screenshot('tour-revealed', testInfo);
    }
    if (!(await next.isVisible())) break;
    await expect(next).toBeEnabled({ timeout: 30_000 });
    await next.click();
  }
  await expect(page.getByRole('heading', { name: 'Tour complete' })).toBeVisible({
    timeout: 30_000,
  });
});
