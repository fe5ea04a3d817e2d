import AxeBuilder from '@axe-core/playwright';
import type { FrameLocator, Page } from '@playwright/test';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** The share payload of the run the page holds now (what follows `run=`). */
async function sharePayload(page: Page): Promise<string> {
  const url = await page.evaluate(() => window.distsim?.shareUrl() ?? '');
  const payload = /[?&]run=([^&]+)/.exec(url)?.[1];
  if (payload === undefined) throw new Error(`No run in the share URL ${url}`);
  return payload;
}

/** Simulated seconds shown in a "t = 12.345 s" label. */
function seconds(text: string | null): number {
  const match = /t = (\d+\.\d+) s/.exec(text ?? '');
  return match === null ? Number.NaN : Number(match[1]);
}

function side(page: Page, name: 'a' | 'b'): FrameLocator {
  return page.frameLocator(`iframe[title^="Side ${name}:"]`);
}

test('compare mode runs the breaker and its baseline in step and mirrors a crash', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  // The two runs, built from share links: the pattern and its baseline, same seed, from t = 0.
  const app = new AppDriver(page);
  await app.open('#/circuit-breaker');
  const run = { scenarioId: 'circuit-breaker', seed: 7, params: {}, commands: [] };
  await app.load({ ...run, variant: 'pattern' });
  const a = await sharePayload(page);
  await app.load({ ...run, variant: 'baseline' });
  const b = await sharePayload(page);

  await page.goto(`/#/compare?a=${a}&b=${b}`);
  await expect(page.getByRole('heading', { name: /^Side a: Circuit Breaker/ })).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByRole('heading', { name: 'Side b: Baseline: no breaker' })).toBeVisible({
    timeout: 20_000,
  });
  const play = page.getByRole('button', { name: 'Play' });
  await expect(play).toBeEnabled();

  // Play at 5× (the speed slider has 100 positions per decade from 0.01×) to about 20 s, inside
  // the default workload's incident (10–25 s).
  await page.getByRole('slider', { name: 'Speed' }).fill('270');
  await play.click();
  await expect
    .poll(async () => seconds(await page.getByTestId('compare-time').textContent()), {
      timeout: 60_000,
      intervals: [100],
    })
    .toBeGreaterThanOrEqual(20);
  await page.getByRole('button', { name: 'Pause' }).click();

  // Paused, both sides stand at exactly the same simulated time, in the parent and in each page.
  const timeA = side(page, 'a').getByTestId('sim-time');
  const timeB = side(page, 'b').getByTestId('sim-time');
  await expect
    .poll(async () => (await timeA.textContent()) === (await timeB.textContent()))
    .toBe(true);
  const shown = await timeA.textContent();
  expect(seconds(shown)).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('side-a-time')).toHaveText(shown ?? '');
  await expect(page.getByTestId('side-b-time')).toHaveText(shown ?? '');

  // During the incident the breaker sheds load with fallbacks; without it the service's queue
  // fills and it rejects far more requests.
  const rejections = page.locator('tr[data-metric="service-rejections"]');
  const rejectedA = rejections.locator('td[data-side="a"]');
  const rejectedB = rejections.locator('td[data-side="b"]');
  await expect(rejectedA).toHaveText(/^\d+ requests$/);
  await expect(rejectedB).toHaveText(/^\d+ requests$/);
  const count = async (cell: typeof rejectedA) => parseInt((await cell.textContent()) ?? '', 10);
  expect(await count(rejectedB)).toBeGreaterThan(await count(rejectedA));
  const fallbacks = page.locator('tr[data-metric="fallbacks"]');
  await expect(fallbacks.locator('td[data-side="a"]')).toHaveText(/^[1-9]\d* requests$/);
  await expect(fallbacks.locator('td[data-side="b"]')).toHaveText('—');
  await expect(page.locator('.compare-side-a .invariant-summary')).toHaveText(/^Safety ok/);
  await app.screenshot('compare-incident', testInfo);

  // A crash given in side a's inspector is applied to side b at the same time.
  await side(page, 'a')
    .getByRole('button', { name: /^dependency,/ })
    .click();
  await side(page, 'a').getByRole('button', { name: 'Kill node' }).click();
  const logA = side(page, 'a').locator('.command-log');
  const logB = side(page, 'b').locator('.command-log');
  await expect(logA).toContainText('crash dependency');
  await expect(logB).toContainText('crash dependency');
  await expect(logB.locator('.command-text')).toHaveText([
    (await logA.locator('.command-text').first().textContent()) ?? '',
  ]);
  // The compare URL now holds both runs with the crash in each command log.
  await expect.poll(() => page.url()).toMatch(/#\/compare\?a=[\w-]+&b=[\w-]+$/);
  await app.screenshot('compare-mirrored-crash', testInfo);

  // Both pages, the compare page and its sides, pass axe's serious and critical rules.
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);

  // Side b can be the pattern with one parameter changed instead; it is rebuilt from side a's
  // run (the crash included) at the shared time.
  await page.getByLabel('Side b runs', { exact: true }).selectOption('param');
  await page
    .getByLabel('Parameter', { exact: true })
    .selectOption({ label: 'Trial calls (half-open)' });
  await page.getByLabel('Value (calls)', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Apply to side b' }).click();
  await expect(
    page.getByRole('heading', { name: /^Side b: Circuit Breaker, Trial calls \(half-open\) = 5/ }),
  ).toBeVisible({ timeout: 20_000 });
  await expect(logB).toContainText('crash dependency');
  await expect
    .poll(async () => (await timeB.textContent()) === (await timeA.textContent()))
    .toBe(true);
});

test('a damaged compare link shows what is wrong and a way back', async ({ page }) => {
  await page.goto('/#/compare?a=not*base64&b=');
  await expect(page.getByRole('alert')).toContainText('This comparison link cannot be opened');
  await expect(page.getByRole('alert')).toContainText('no run for side b');
  await expect(page.getByRole('link', { name: 'Open DistSim' })).toBeVisible();
});

test('"Compare with baseline" keeps the commands that fit the baseline and says which it left out', async ({
  page,
}) => {
  test.setTimeout(90_000);
  // The Ambassador's baseline has no ambassadors: a crash of amb-1 cannot be replayed there, a
  // crash of a remote can.
  const app = new AppDriver(page);
  await app.open('#/ambassador');
  await app.load(
    {
      scenarioId: 'ambassador',
      seed: 3,
      variant: 'pattern',
      params: {},
      commands: [
        { atUs: 1_000_000, command: { type: 'node.crash', node: 'amb-1' } },
        { atUs: 2_000_000, command: { type: 'node.crash', node: 'remote-1' } },
      ],
    },
    3_000_000,
  );
  await page.getByRole('button', { name: 'Compare with baseline' }).click();
  await expect(page).toHaveURL(/#\/compare\?a=/);
  const logA = side(page, 'a').locator('.command-log');
  const logB = side(page, 'b').locator('.command-log');
  await expect(logA).toContainText('crash amb-1', { timeout: 30_000 });
  await expect(logA).toContainText('crash remote-1');
  await expect(logB).toContainText('crash remote-1', { timeout: 30_000 });
  await expect(logB).not.toContainText('crash amb-1');
  await expect(page.locator('.compare-notices')).toContainText('amb-1');
  // Both sides end at the shared time.
  const timeA = side(page, 'a').getByTestId('sim-time');
  const timeB = side(page, 'b').getByTestId('sim-time');
  await expect
    .poll(async () => (await timeA.textContent()) === (await timeB.textContent()))
    .toBe(true);
});
