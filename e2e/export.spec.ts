import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** Clicks a menu entry of "Export / open" and returns the download it starts. */
async function downloadFrom(page: Page, entry: string) {
  await page.getByRole('button', { name: 'Export / open' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: entry }).click();
  return download;
}

test('a downloaded run file opens in a fresh page and replays to the same trace hash', async ({
  page,
  context,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(1500);
  await app.node('n3').click();
  await page.getByRole('button', { name: 'Kill node' }).click();
  await app.stepTo(3210);
  const hash = await app.traceHash();

  const runDownload = await downloadFrom(page, 'Download run (JSON)');
  expect(runDownload.suggestedFilename()).toBe('leader-election-seed-1-at-3210ms.run.json');
  const runPath = testInfo.outputPath('run.json');
  await runDownload.saveAs(runPath);
  const file = JSON.parse(readFileSync(runPath, 'utf8')) as {
    format: string;
    untilUs: number;
    run: { commands: unknown[] };
    summary: { traceHash: string };
  };
  expect(file.format).toBe('distsim-run');
  expect(file.untilUs).toBe(3_210_000);
  expect(file.run.commands).toHaveLength(1);
  expect(file.summary.traceHash).toBe(hash);

  // The trace of the same run: a header, the events, and a last line with the same hash.
  const traceDownload = await downloadFrom(page, 'Download trace (JSON lines)');
  const tracePath = testInfo.outputPath('trace.jsonl');
  await traceDownload.saveAs(tracePath);
  const lines = readFileSync(tracePath, 'utf8').trimEnd().split('\n');
  const end = JSON.parse(lines[lines.length - 1] ?? '{}') as { traceHash: string; events: number };
  expect(end.traceHash).toBe(hash);
  expect(lines).toHaveLength(end.events + 2);

  // A fresh page on another scenario opens the file through the menu's file input.
  const other = await context.newPage();
  const second = new AppDriver(other);
  await second.open('#/pub-sub');
  await other.locator('input[type="file"][aria-label="Run file to open"]').setInputFiles(runPath);
  await expect(other.getByText(/matches the file's/)).toBeVisible({ timeout: 15_000 });
  expect(await other.evaluate(() => window.distsim?.traceHash())).toBe(file.summary.traceHash);
  expect(await second.simTimeUs()).toBe(3_210_000);
  await expect(other.getByTestId('trace-hash')).toHaveText(hash);
  await second.screenshot('opened-run-file', testInfo);
});

test('a file that is not a run file is refused with a notice and the run stays', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(800);
  const hash = await app.traceHash();
  const path = testInfo.outputPath('notes.json');
  writeFileSync(path, '{"format": "something-else"}');
  await page.locator('input[type="file"][aria-label="Run file to open"]').setInputFiles(path);
  await expect(
    page.getByText(/notes\.json was not opened: .*not a DistSim run file/),
  ).toBeVisible();
  expect(await app.traceHash()).toBe(hash);
});

test('the view downloads as an SVG with one element per node, and as a PNG', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(620);
  const nodesOnScreen = await page.locator('section.topology [data-node-index]').count();
  expect(nodesOnScreen).toBeGreaterThan(1);

  const svgDownload = await downloadFrom(page, 'Download view as SVG');
  expect(svgDownload.suggestedFilename()).toMatch(/^leader-election-seed-1-at-620ms\.svg$/);
  const svgPath = testInfo.outputPath('view.svg');
  await svgDownload.saveAs(svgPath);
  const svgText = readFileSync(svgPath, 'utf8');
  const parsed = await page.evaluate((text) => {
    const picture = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      hasError: picture.querySelector('parsererror') !== null,
      root: picture.documentElement.localName,
      namespace: picture.documentElement.namespaceURI,
      nodes: picture.querySelectorAll('[data-node-index]').length,
      // Colours are written into the elements: no theme variable is left to resolve.
      usesVariables: text.includes('var(--'),
      backingFill: picture.querySelector('.node-backing')?.getAttribute('fill') ?? '',
      // The links the page paints on a canvas under its SVG are lines in the picture.
      links: picture.querySelectorAll('.topology-link-strokes line').length,
    };
  }, svgText);
  expect(parsed).toEqual({
    hasError: false,
    root: 'svg',
    namespace: 'http://www.w3.org/2000/svg',
    nodes: nodesOnScreen,
    usesVariables: false,
    backingFill: expect.stringMatching(/^rgb/) as unknown,
    // Leader Election: five servers and a client, every pair linked.
    links: 15,
  });

  const pngDownload = await downloadFrom(page, 'Download view as PNG');
  expect(pngDownload.suggestedFilename()).toMatch(/\.png$/);
  const pngPath = testInfo.outputPath('view.png');
  await pngDownload.saveAs(pngPath);
  const png = readFileSync(pngPath);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await testInfo.attach('view.png', { path: pngPath, contentType: 'image/png' });
});
