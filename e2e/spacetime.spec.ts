import AxeBuilder from '@axe-core/playwright';
import type { Locator } from '@playwright/test';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** The message count at the start of the diagram's caption ("42 messages (…) from …"). */
async function messageCount(caption: Locator): Promise<number> {
  const text = (await caption.textContent()) ?? '';
  const match = /^([\d,]+) messages? /.exec(text);
  if (match === null) throw new Error(`Unexpected caption: ${text}`);
  return Number((match[1] ?? '').replaceAll(',', ''));
}

/** The x of the current-time line's label, in page pixels. */
async function nowX(now: Locator): Promise<number> {
  const box = await now.boundingBox();
  if (box === null) throw new Error('The current-time line is not shown');
  return box.x + box.width;
}

test('the space-time diagram follows the run, the scrubber and its own zoom', async ({
  page,
}, testInfo) => {
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.load({
    scenarioId: 'leader-election',
    seed: 1,
    variant: 'pattern',
    params: {},
    commands: [{ atUs: 1_200_000, command: { type: 'node.crash', node: 'n2' } }],
  });
  const diagram = page.getByRole('region', { name: 'Space-time diagram' });
  const caption = diagram.getByTestId('spacetime-caption');
  const now = diagram.getByTestId('spacetime-now');

  await app.stepTo(1000);
  await expect(now).toHaveText('t = 1.000 s');
  const early = await messageCount(caption);
  expect(early).toBeGreaterThan(0);

  // Time advances: more messages fall in the (still [0, 3 s]) window, and the crash is counted.
  await app.stepTo(2500);
  await expect(now).toHaveText('t = 2.500 s');
  const later = await messageCount(caption);
  expect(later).toBeGreaterThan(early);
  await expect(caption).toContainText('1 crash');
  const xAtLater = await nowX(now);

  // A seek with the scrubber moves the line back and the counts with it.
  await page.getByRole('slider', { name: 'Simulated time' }).fill('1000000');
  await expect(now).toHaveText('t = 1.000 s');
  expect(await messageCount(caption)).toBeLessThan(later);
  expect(await nowX(now)).toBeLessThan(xAtLater);
  await expect(caption).not.toContainText('crash');

  // Zoom from the keyboard on the plot: the page's own + (speed) must not act as well.
  await app.stepTo(4000);
  await expect(now).toHaveText('t = 4.000 s');
  await expect(caption).toContainText('from t = 1.000 s to t = 4.000 s');
  await diagram.getByRole('group', { name: /^Space-time diagram of messages/ }).press('+');
  await expect(diagram.getByTestId('spacetime-span')).toHaveText('1.5 s shown');
  await expect(caption).toContainText('from t = 2.500 s to t = 4.000 s');
  await diagram.getByRole('button', { name: 'Zoom out' }).click();
  await expect(diagram.getByTestId('spacetime-span')).toHaveText('3 s shown');

  await app.screenshot('spacetime', testInfo);
  const results = await new AxeBuilder({ page }).include('section.spacetime').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});
