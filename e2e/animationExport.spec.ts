import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { GifReader } from 'omggif';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** Opens "Animation…" from the export menu and returns the dialog. */
async function openDialog(page: Page) {
  await page.getByRole('button', { name: 'Export / open' }).click();
  await page.getByRole('button', { name: 'Animation…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export an animation' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Exports the dialog's window as it is set and returns the saved file's bytes. */
async function exportOnce(page: Page, path: string): Promise<Buffer> {
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('leader-election-seed-1-1000-2000ms-5fps.gif');
  await file.saveAs(path);
  await expect(page.getByRole('status').filter({ hasText: /^Saved / })).toContainText(
    '5 frames, 640×',
  );
  return readFileSync(path);
}

test('a 1 s window at 5 fps exports as the same 5-frame GIF twice, and the run stays where it was', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(3000);
  const hash = await app.traceHash();

  const dialog = await openDialog(page);
  await dialog.getByLabel('From (s)').fill('1');
  await dialog.getByLabel('To (s)').fill('2');
  await dialog.getByLabel('Frame rate').selectOption('5');
  await dialog.getByLabel('Width').selectOption('640');
  await dialog.getByLabel('Format').selectOption('gif');

  const first = await exportOnce(page, testInfo.outputPath('first.gif'));
  const second = await exportOnce(page, testInfo.outputPath('second.gif'));

  const reader = new GifReader(new Uint8Array(first));
  expect(reader.numFrames()).toBe(5);
  expect(reader.width).toBe(640);
  for (let i = 0; i < 5; i++) {
    const frame = reader.frameInfo(i);
    expect([frame.width, frame.height, frame.delay]).toEqual([640, reader.height, 20]);
  }
  // Frames taken at simulated times, drawn by the same code: byte for byte the same file.
  expect(second.equals(first)).toBe(true);
  await testInfo.attach('animation.gif', { body: first, contentType: 'image/gif' });

  // The run is back where it was, paused as it was, with the same trace.
  expect(await app.simTimeUs()).toBe(3_000_000);
  expect(await app.traceHash()).toBe(hash);
  expect(await page.evaluate(() => window.distsim?.frame()?.isPlaying)).toBe(false);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('where the browser can encode WebM, the window exports as a WebM video', async ({ page }) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(2000);
  const dialog = await openDialog(page);
  const format = dialog.getByLabel('Format');
  // Offered only when VideoEncoder accepts VP9 or VP8 at the chosen size (asked on opening).
  const isOffered = await expect
    .poll(() => format.locator('option[value="webm"]').count(), { timeout: 5_000 })
    .toBe(1)
    .then(
      () => true,
      () => false,
    );
  test.skip(!isOffered, 'this browser has no WebM encoder');
  await dialog.getByLabel('From (s)').fill('1');
  await dialog.getByLabel('To (s)').fill('1.4');
  await dialog.getByLabel('Frame rate').selectOption('5');
  await dialog.getByLabel('Width').selectOption('640');
  await format.selectOption('webm');
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('leader-election-seed-1-1000-1400ms-5fps.webm');
  const bytes = readFileSync(await file.path());
  // A Matroska/WebM file starts with the EBML header's ID.
  expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  expect(bytes.includes('webm')).toBe(true);
  expect(await app.simTimeUs()).toBe(2_000_000);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no serious problems in the animation dialog (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const app = new AppDriver(page);
    await app.open('#/leader-election');
    await app.stepTo(1500);
    const dialog = await openDialog(page);
    // With its error line showing too.
    await dialog.getByLabel('To (s)').fill('99');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('must end by 1.5 s');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help}`);
    expect(serious).toEqual([]);
    // Escape closes it and gives focus back to the page.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
}
