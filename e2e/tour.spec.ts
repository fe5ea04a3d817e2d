import { scenarios } from '../src/scenarios/registry.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** Every listed scenario with a tour: each tour must be completable in the browser. */
const toured = scenarios.filter((scenario) => !scenario.isHidden && scenario.tour.length > 0);

for (const scenario of toured) {
  test(`the ${scenario.title} tour can be completed in the browser`, async ({ page }, testInfo) => {
    // Seven or eight steps, each a prediction and a wait while the page animates: on a two-core
    // machine a tour takes 20-40 s, too close to the default 30 s budget for a flow.
    test.setTimeout(120_000);
    const app = new AppDriver(page);
    await app.open(`#/${scenario.id}`);
    // Waits in the tour are in simulated time; 10× keeps them short in wall time while leaving
    // the page time to answer clicks (at 50× a two-core machine spends every frame rendering).
    const fast = () =>
      page.evaluate(() => {
        window.distsim?.setSpeed(10);
      });
    await fast();
    await page.getByRole('button', { name: 'Take the tour' }).click();
    const next = page.getByRole('button', { name: 'Next step' });
    const sideBySide = page.getByRole('button', { name: 'Open side by side with the baseline' });
    let questions = 0;
    let comparisons = 0;
    for (let step = 0; step < scenario.tour.length; step++) {
      await expect(page.getByText(`Step ${String(step + 1)} of`).first()).toBeVisible();
      // A step may set a speed of its own as it starts.
      await fast();
      const lockIn = page.getByRole('button', { name: 'Lock in my prediction' });
      if (await lockIn.isVisible()) {
        await page.getByRole('radio').first().check();
        await lockIn.click();
        // The verdict (the explanation may itself say "not quite").
        await expect(page.locator('.tour-verdict')).toBeVisible({ timeout: 30_000 });
        if (questions === 0) await app.screenshot(`${scenario.id}-tour-revealed`, testInfo);
        questions++;
      }
      if (!(await next.isVisible())) break;
      await expect(next).toBeEnabled({ timeout: 30_000 });
      if (scenario.tour[step]?.comparesWithBaseline === true) {
        // The tour opens this run beside its baseline in a new tab and stays where it is.
        const [compare] = await Promise.all([
          page.context().waitForEvent('page'),
          sideBySide.click(),
        ]);
        await compare.waitForLoadState();
        expect(compare.url()).toMatch(/#\/compare\?a=.+&b=.+/);
        await compare.close();
        comparisons++;
      }
      await next.click();
    }
    expect(comparisons).toBe(scenario.tour.filter((step) => step.comparesWithBaseline).length);
    expect(questions).toBe(scenario.tour.filter((step) => step.question !== undefined).length);
    await expect(page.getByRole('heading', { name: 'Tour complete' })).toBeVisible({
      timeout: 30_000,
    });
  });
}
