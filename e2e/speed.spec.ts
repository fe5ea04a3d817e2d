import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/**
 * The speed control tells the truth: asked for more than the worker can simulate, it says what
 * the run reaches. bench-mesh (100 nodes, about 2,000 messages in flight, 30,000 events per
 * simulated second) cannot play at 1000× in a browser; the check is on the behaviour (a figure
 * is shown, and it is below the speed asked), not on how fast this machine is.
 */
test('at 1000× on bench-mesh the toolbar shows the speed actually reached', async ({ page }) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.load({
    scenarioId: 'bench-mesh',
    seed: 1,
    variant: 'pattern',
    params: {},
    commands: [],
  });
  await page.evaluate(() => {
    window.distsim?.setSpeed(1000);
  });
  const value = page.getByTestId('speed-value');
  await expect(value).toHaveText('1000×');
  await page.getByRole('button', { name: 'Play', exact: true }).click();

  await expect(value).toHaveText(/^1000× asked, [\d.]+× running$/, { timeout: 20_000 });
  const text = (await value.textContent()) ?? '';
  const running = Number(/asked, ([\d.]+)× running/.exec(text)?.[1]);
  expect(running).toBeGreaterThan(0);
  expect(running).toBeLessThan(1000);
  // Read with the slider as its description, not announced as it changes.
  const slider = page.getByRole('slider', { name: 'Speed' });
  await expect(slider).toHaveAccessibleDescription(/^1000× asked, [\d.]+× running$/);
  await expect(slider).toHaveAttribute('aria-valuetext', '1000× real time');
  expect(
    await value.evaluate((element) => element.closest('[aria-live], [role="status"]')),
  ).toBeNull();

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(value).toHaveText('1000×');
});
