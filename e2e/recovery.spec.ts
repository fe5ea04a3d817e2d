import AxeBuilder from '@axe-core/playwright';
import type { RunDescription } from '../src/engine/types.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * Faults of our own: the simulation worker throws an uncaught error, or the browser kills it.
 * Either way the page notices, starts a new worker and reopens the run from its URL, with the
 * command log, scenario and seed intact and time no earlier than the last frame it showed.
 */

const faults = [
  { kind: 'throws', inject: () => window.distsim?.crashWorker() ?? false },
  // A killed worker says nothing: the liveness check notices the silence (5 s, then a ping).
  { kind: 'is terminated', inject: () => window.distsim?.terminateWorker() ?? false },
] as const;

async function pageRun(app: AppDriver): Promise<RunDescription | null> {
  return app.page.evaluate(() => window.distsim?.run() ?? null);
}

for (const fault of faults) {
  test(`reopens the run with nothing lost when the worker ${fault.kind}`, async ({
    page,
  }, testInfo) => {
    const app = new AppDriver(page);
    await app.open('#/leader-election');
    await app.stepTo(1500);
    // Something to lose: a fault in the command log.
    await app.clickNode('n3');
    await page.getByRole('button', { name: 'Kill node' }).click();
    await expect.poll(async () => (await pageRun(app))?.commands.length).toBe(1);
    const before = await pageRun(app);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => (window.distsim?.frame()?.timeUs ?? 0) > 1_600_000);
    const shownUs = await app.simTimeUs();

    expect(await page.evaluate(fault.inject)).toBe(true);

    const notice = page
      .getByRole('status')
      .filter({ hasText: 'DistSim restarted it and reopened your run at t =' });
    await expect(notice).toBeVisible({ timeout: 20_000 });
    await expect(notice).toContainText('nothing was lost');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Leader Election');
    await app.waitReady();
    const after = await pageRun(app);
    expect(after?.scenarioId).toBe(before?.scenarioId);
    expect(after?.seed).toBe(before?.seed);
    expect(after?.commands).toEqual(before?.commands);
    const reopenedUs = await app.simTimeUs();
    expect(reopenedUs).toBeGreaterThanOrEqual(shownUs);
    await expect(page.getByTestId('trace-hash')).toHaveText(/^[0-9a-f]{16}$/);
    await app.screenshot(`recovered-after-worker-${fault.kind.replace(' ', '-')}`, testInfo);

    // The new worker runs the same run on.
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(
      (fromUs) => (window.distsim?.frame()?.timeUs ?? 0) > fromUs,
      reopenedUs,
    );
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    expect((await pageRun(app))?.commands).toEqual(before?.commands);
  });
}

test('a worker that keeps crashing ends in the crashed banner, with the reason and Reload', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(500);
  const restarted = page.getByRole('status').filter({ hasText: 'DistSim restarted it' });
  for (let count = 1; count <= 2; count++) {
    expect(await page.evaluate(() => window.distsim?.crashWorker())).toBe(true);
    await expect(restarted).toHaveCount(count, { timeout: 15_000 });
    await app.waitReady();
  }
  // The third crash within 30 s: no more restarts.
  expect(await page.evaluate(() => window.distsim?.crashWorker())).toBe(true);
  const banner = page.getByRole('alert').filter({ hasText: 'stopped restarting it' });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText('It stopped 3 times within 30 s');
  await expect(banner).toContainText('the URL still holds your run');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious.map((violation) => violation.id)).toEqual([]);
  await app.screenshot('crash-loop', testInfo);
  // Reload starts a new worker on the run the URL holds.
  await banner.getByRole('button', { name: 'Reload' }).click();
  await app.waitReady();
  expect(await app.simTimeUs()).toBe(500_000);
});
