import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { spanText } from '../src/ui/state/actInPast.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/**
 * Acting in the past, in the real page and worker: after a seek back, killing a node asks before
 * the rest of the run is dropped; Escape loses nothing; after "Drop and act", the notice's Undo
 * (pressed from the keyboard) brings back the run, its frontier and its trace hash.
 */

const frame = (page: Page) => page.evaluate(() => window.distsim?.frame() ?? null);
const traceHash = (page: Page) => page.evaluate(() => window.distsim?.traceHash() ?? null);
const commands = (page: Page) =>
  page.evaluate(() => window.distsim?.run()?.commands.map((record) => record.command) ?? []);

/** Seeks with the timeline's scrubber and waits for the run to be there. */
async function seekTo(page: Page, timeUs: number): Promise<void> {
  await page.getByRole('slider', { name: 'Simulated time' }).fill(String(timeUs));
  await page.waitForFunction((target) => window.distsim?.frame()?.timeUs === target, timeUs);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

test('acting in the past asks once, and Undo brings the dropped run back exactly', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(1000);
  await app.clickNode('n2');
  await page.getByRole('button', { name: 'Kill node' }).click();
  // At the frontier nothing is dropped, so nothing is asked.
  await expect.poll(() => commands(page)).toEqual([{ type: 'node.crash', node: 'n2' }]);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  // Play on for a while, then pause: the frontier is wherever it stopped.
  await page.evaluate(() => {
    window.distsim?.setSpeed(20);
  });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => (window.distsim?.frame()?.timeUs ?? 0) > 3_000_000);
  await page.evaluate(() => {
    window.distsim?.pause();
  });
  await page.waitForFunction(() => window.distsim?.frame()?.isPlaying === false);
  const frontierUs = (await frame(page))?.frontierUs ?? 0;

  // The trace hash at the frontier, reached from the past the way it will be after Undo.
  await seekTo(page, 500_000);
  await app.step({ kind: 'until', timeUs: frontierUs });
  const frontierHash = await traceHash(page);
  expect((await frame(page))?.frontierUs).toBe(frontierUs);
  await seekTo(page, 500_000);

  // Kill n3 back at 0.5 s: the page asks first, in figures.
  await app.clickNode('n3');
  const kill = page.getByRole('button', { name: 'Kill node' });
  await kill.click();
  const dialog = page.getByRole('alertdialog', { name: 'Change the run from here?' });
  await expect(dialog).toBeVisible();
  const dropped = `${spanText(frontierUs - 500_000)} of the run and 1 recorded command after t = 0.500 s`;
  await expect(dialog).toContainText(`Acting here drops ${dropped}. Go on?`);
  await expect(dialog).toContainText('1.000 s · crash n2');
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await app.screenshot('act-in-past-question', testInfo);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await seriousViolations(page)).toEqual([]);

  // Escape: nothing applied, nothing lost, focus back on the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(kill).toBeFocused();
  expect(await commands(page)).toEqual([{ type: 'node.crash', node: 'n2' }]);
  expect((await frame(page))?.frontierUs).toBe(frontierUs);

  // Asked again, once: "Drop and act".
  await kill.click();
  await page.getByRole('button', { name: 'Drop and act' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'Dropped' });
  await expect(notice).toContainText(`Dropped ${dropped}.`);
  await expect.poll(() => commands(page)).toEqual([{ type: 'node.crash', node: 'n3' }]);
  expect((await frame(page))?.frontierUs).toBe(500_000);
  await app.screenshot('act-in-past-dropped', testInfo);

  // Undo from the keyboard.
  await notice.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Undone' })).toContainText(
    'Undone: the run is back as it was before you acted, at t = 0.500 s.',
  );
  await expect(notice).toHaveCount(0);
  await page.waitForFunction((frontier) => {
    const shown = window.distsim?.frame();
    return shown?.timeUs === 500_000 && shown.frontierUs === frontier;
  }, frontierUs);
  expect(await commands(page)).toEqual([{ type: 'node.crash', node: 'n2' }]);
  await app.step({ kind: 'until', timeUs: frontierUs });
  expect(await traceHash(page)).toBe(frontierHash);
});
