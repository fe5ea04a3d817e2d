import AxeBuilder from '@axe-core/playwright';
import { encodeShareLink } from '../src/worker/shareLink.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * Explore seeds on the planted-violation test fixture: a chaos batch over seeds 1..40 in real
 * explore workers finds seeds that issue a counter value twice (which ones is up to the engine,
 * not this spec), and "Open seed N" loads that very run in the main view, paused at its first
 * violation (already shown as violated), and stepping to the end of the batch's duration shows
 * the same violation.
 */

const durationMs = 10_000;

// The fixture is hidden (not in the picker), so it opens through a share link, which names it
// by id: `#/planted-violation?run=…`.
const plantedFragment = `#/planted-violation?${encodeShareLink(
  {
    scenarioId: 'planted-violation',
    scenarioVersion: 1,
    seed: 1,
    variant: 'pattern',
    params: {},
    commands: [],
  },
  0,
)}`;

test('a seed batch finds the planted violation and opens a violating seed', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const app = new AppDriver(page);
  await app.open(plantedFragment);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Planted violation');

  await page.locator('summary', { hasText: 'Explore seeds' }).click();
  const form = page.getByRole('form', { name: 'Explore seeds' });
  await form.getByLabel('First seed').fill('1');
  await form.getByLabel('Last seed').fill('40');
  await form.getByLabel(/^Duration/).fill(String(durationMs / 1000));
  await expect(form.getByLabel('Random faults (chaos)')).toBeChecked();
  await expect(form.getByLabel('Variant')).toHaveValue('pattern');
  await form.getByRole('button', { name: 'Run' }).click();

  await expect(page.getByRole('progressbar', { name: '40 of 40 seeds' })).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByRole('status').filter({ hasText: 'Done.' })).toBeVisible();
  const counts = page.getByText(/^40 seeds, \d+ violated safety, \d+ missed liveness$/);
  await expect(counts).toBeVisible();
  const violated = Number(/(\d+) violated safety/.exec((await counts.textContent()) ?? '')?.[1]);
  expect(violated).toBeGreaterThanOrEqual(1);
  expect(violated).toBeLessThan(40);
  await expect(page.getByRole('img', { name: /^Seeds by / })).toBeVisible();

  const listed = page
    .getByRole('list', { name: 'Seeds that violated an invariant' })
    .getByRole('button', { name: /^Open seed \d+$/ });
  expect(await listed.count()).toBeGreaterThanOrEqual(violated);
  const axe = await new AxeBuilder({ page }).include('.explore').analyze();
  expect(
    axe.violations.filter((each) => each.impact === 'serious' || each.impact === 'critical'),
  ).toEqual([]);
  await app.screenshot('explore-results', testInfo);

  const first = listed.first();
  const seed = Number(/\d+/.exec((await first.textContent()) ?? '')?.[0]);
  // The button says where it opens: "Opens paused at its first violation, t = 1.234 s."
  const where = await first.evaluate(
    (button) => document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent,
  );
  // Milliseconds, truncated as the page shows them.
  const atMs = Math.round(1000 * Number(/t = (\d+\.\d+) s\.$/.exec(where ?? '')?.[1]));
  expect(atMs).toBeGreaterThan(0);
  await first.click();
  await expect(page.getByRole('spinbutton', { name: 'Seed', exact: true })).toHaveValue(
    String(seed),
  );
  await app.waitReady();
  const opened = await page.evaluate(() => window.distsim?.shareUrl() ?? '');
  expect(opened).toContain('#/planted-violation?');
  // Paused at the moment it broke: the violation is already there, nothing stepped.
  await expect.poll(() => app.simTimeUs()).toBeGreaterThanOrEqual(atMs * 1000);
  expect(await app.simTimeUs()).toBeLessThan((atMs + 1) * 1000);
  const invariants = page.getByRole('region', { name: 'Invariants' });
  await expect(invariants).toContainText('violated');
  expect(await page.evaluate(() => window.distsim?.frame()?.isPlaying)).toBe(false);

  await app.stepTo(durationMs);
  await expect(invariants).toContainText('violated');
  await expect(invariants).toContainText(/the primary issued \d+ again/);
  await app.screenshot('explore-opened-seed', testInfo);
});
