import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { scenarios } from '../src/scenarios/registry.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';
import { collisions, glyphLabelProblems, sidewaysScrollPx } from './layoutChecks.ts';

/*
 * The page on a phone, at browser zoom 150% and in presenter mode, measured from the drawn boxes:
 * nothing scrolls sideways, the topology comes first and is big enough to tap, a tapped node's
 * inspector opens as a sheet without moving the page, and presenter mode shows the stage, the
 * instrument and the tour in large type with the tour's steps turned from the keyboard.
 */

const listed = scenarios.filter((each) => !each.isHidden);

/** What axe finds serious or critical on the page as it is now. */
async function seriousProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

function defaultRun(scenarioId: string) {
  return { scenarioId, seed: 1, variant: 'pattern' as const, params: {}, commands: [] };
}

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('every scenario fits the width, with the topology first and readable', async ({ page }) => {
    test.setTimeout(120_000);
    const app = new AppDriver(page);
    await app.open();
    const found: string[] = [];
    for (const scenario of listed) {
      await app.load(defaultRun(scenario.id));
      await app.stepTo(12_000);
      await expect(page.locator('.topology-node').first()).toBeVisible();
      const sideways = await sidewaysScrollPx(page);
      if (sideways > 0)
        found.push(`${scenario.title}: the page scrolls ${String(sideways)} px sideways`);
      const topology = await page.locator('.topology').boundingBox();
      const list = await page.locator('.scenario-picker').boundingBox();
      if (topology === null || list === null) {
        found.push(`${scenario.title}: no topology or scenario list`);
        continue;
      }
      if (topology.height < 280)
        found.push(`${scenario.title}: the topology is ${String(topology.height)} px tall`);
      if (topology.y > list.y)
        found.push(`${scenario.title}: the scenario list comes before the topology`);
      for (const problem of await collisions(page)) found.push(`${scenario.title}: ${problem}`);
      for (const problem of await glyphLabelProblems(page))
        found.push(`${scenario.title}: ${problem}`);
    }
    expect(found).toEqual([]);
  });

  test('a tapped node opens the inspector as a sheet, and the page stays put', async ({ page }) => {
    const app = new AppDriver(page);
    await app.open('#/circuit-breaker');
    await app.stepTo(3_000);
    const node = page.getByRole('button', { name: /^service,/ });
    await node.scrollIntoViewIfNeeded();
    const scrolledBefore = await page.evaluate(() => window.scrollY);
    await node.tap();
    const sheet = page.locator('.inspector.is-sheet');
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole('heading', { name: 'Inspector' })).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolledBefore);
    const box = await sheet.boundingBox();
    expect(box).not.toBeNull();
    // On screen, over the bottom of it, leaving the upper half to the topology.
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(845);
    expect(box?.y ?? 0).toBeGreaterThan(844 * 0.45);
    await sheet.getByRole('button', { name: 'Close the inspector' }).tap();
    await expect(page.locator('.inspector.is-sheet')).toHaveCount(0);
  });
});

test.describe('the tour on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('once under way it is a sheet at the bottom, its buttons within a thumb', async ({
    page,
  }) => {
    const app = new AppDriver(page);
    await app.open('#/circuit-breaker');
    await page.getByRole('button', { name: 'Take the tour' }).tap();
    const sheet = page.locator('section.tour');
    await expect(sheet).toContainText('Step 1 of');
    const box = await sheet.boundingBox();
    expect(box).not.toBeNull();
    // Fixed over the bottom of the screen, at most about 42% of its height.
    expect(Math.round((box?.y ?? 0) + (box?.height ?? 0))).toBeLessThanOrEqual(844);
    expect(box?.height ?? 0).toBeLessThanOrEqual(844 * 0.43);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    const next = page.getByRole('button', { name: 'Next step' });
    await expect(next).toBeInViewport();
    expect(await sidewaysScrollPx(page)).toBe(0);
  });
});

test.describe('zooming the topology on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('the zoom buttons draw it larger, the view scrolls over it, Fit brings it back', async ({
    page,
  }) => {
    const app = new AppDriver(page);
    await app.open('#/cqrs');
    await app.stepTo(3_000);
    const glyph = page.locator('.topology-node .node-body').first();
    const before = (await glyph.boundingBox())?.width ?? 0;
    await page.getByRole('button', { name: 'Zoom the topology in' }).tap();
    await page.getByRole('button', { name: 'Zoom the topology in' }).tap();
    await expect
      .poll(async () => (await glyph.boundingBox())?.width ?? 0)
      .toBeGreaterThan(before * 1.5);
    const scroller = page.locator('.topology-scroll');
    const overflow = await scroller.evaluate(
      (element) => element.scrollWidth - element.clientWidth,
    );
    expect(overflow).toBeGreaterThan(100);
    // Still a node to tap: the inspector opens for it.
    await page.locator('.topology-node').nth(4).tap();
    await expect(page.locator('.inspector.is-sheet')).toBeVisible();
    await page.getByRole('button', { name: 'Close the inspector' }).tap();
    await page.getByRole('button', { name: 'Fit the topology to the view' }).tap();
    await expect.poll(async () => (await glyph.boundingBox())?.width ?? 0).toBeLessThan(before + 1);
    expect(await sidewaysScrollPx(page)).toBe(0);
  });
});

test.describe('at browser zoom 150% (1280×720 seen as 853×480)', () => {
  test.use({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });

  test('nothing scrolls sideways and the topology is still a stage', async ({ page }) => {
    const app = new AppDriver(page);
    await app.open('#/leader-election');
    await app.stepTo(12_000);
    expect(await sidewaysScrollPx(page)).toBe(0);
    const topology = await page.locator('.topology').boundingBox();
    expect(topology?.height ?? 0).toBeGreaterThanOrEqual(260);
    expect(await collisions(page)).toEqual([]);
  });
});

test.describe('presenter mode on a 1024×768 projector', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('P shows the stage, the instrument and the tour; arrows turn the steps; Esc leaves', async ({
    page,
  }) => {
    const app = new AppDriver(page);
    await app.open('#/circuit-breaker');
    await app.stepTo(3_000);
    const bodyFontBefore = await page.evaluate(() =>
      Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
    );
    await page.locator('body').press('p');
    await expect(page.getByRole('button', { name: 'Present' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(page.locator('.scenario-picker')).toBeHidden();
    await expect(page.locator('.spacetime')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Copy link' })).toBeHidden();
    await expect(page.locator('.instrument')).toBeVisible();
    const topology = await page.locator('.topology').boundingBox();
    expect(topology?.height ?? 0).toBeGreaterThanOrEqual(450);
    const bodyFont = await page.evaluate(() =>
      Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
    );
    expect(bodyFont).toBeGreaterThan(bodyFontBefore * 1.3);
    expect(await sidewaysScrollPx(page)).toBe(0);

    // The tour's steps are the slides: → starts it and goes on, ← goes back.
    await page.locator('body').press('ArrowRight');
    await expect(page.locator('.tour')).toContainText('Step 1 of');
    await page.locator('body').press('Escape');
    await expect(page.getByRole('button', { name: 'Present' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    await expect(page.locator('.scenario-picker')).toBeVisible();
  });

  test('the text size is kept across a reload', async ({ page }) => {
    const app = new AppDriver(page);
    await app.open('#/circuit-breaker');
    await page.getByRole('button', { name: 'Larger text' }).click();
    await page.getByRole('button', { name: 'Larger text' }).click();
    await expect(page.getByRole('group', { name: 'Text size 130%' })).toBeVisible();
    await page.reload();
    await app.waitReady();
    await expect(page.getByRole('group', { name: 'Text size 130%' })).toBeVisible();
    const font = await page.evaluate(() =>
      Number.parseFloat(getComputedStyle(document.documentElement).fontSize),
    );
    expect(font).toBeCloseTo(15 * 1.3, 0);
  });
});

test.describe('folded side columns at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('folding both sides gives the topology their width, and the choice stays', async ({
    page,
  }) => {
    const app = new AppDriver(page);
    await app.open('#/sharding');
    await app.stepTo(12_000);
    const before = await page.locator('.topology').boundingBox();
    await page.getByRole('button', { name: 'Hide the scenarios and tour' }).click();
    await page.getByRole('button', { name: 'Hide the panels' }).click();
    await expect(page.locator('.scenario-picker')).toBeHidden();
    // The instrument comes beside the topology rather than disappear with the panels.
    await expect(page.locator('figure.instrument')).toBeVisible();
    const after = await page.locator('.topology').boundingBox();
    // It starts 200 px further left and is no narrower, with the instrument beside it.
    expect(after?.x ?? 0).toBeLessThan((before?.x ?? 0) - 150);
    expect(after?.width ?? 0).toBeGreaterThanOrEqual((before?.width ?? 0) - 1);
    expect(await collisions(page)).toEqual([]);
    expect(await sidewaysScrollPx(page)).toBe(0);
    await page.reload();
    await app.waitReady();
    await expect(page.locator('.scenario-picker')).toBeHidden();
    const show = page.getByRole('button', { name: 'Show the scenarios and tour' });
    await expect(show).toHaveAttribute('aria-expanded', 'false');
    await show.click();
    await expect(page.locator('.scenario-picker')).toBeVisible();
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing serious in presenter mode and on a phone (${scheme})`, async ({
    page,
  }) => {
    // Two full axe runs: more than the default 30 s on a busy machine.
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1024, height: 768 });
    const app = new AppDriver(page);
    await app.open('#/circuit-breaker');
    await app.stepTo(12_000);
    await page.locator('body').press('p');
    await page.locator('body').press('ArrowRight');
    await expect(page.locator('.tour')).toContainText('Step 1 of');
    expect(await seriousProblems(page)).toEqual([]);
    await page.locator('body').press('Escape');
    await page.setViewportSize({ width: 390, height: 844 });
    await app.load({ scenarioId: 'cqrs', seed: 1, variant: 'pattern', params: {}, commands: [] });
    await app.stepTo(12_000);
    await page.getByRole('button', { name: 'Zoom the topology in' }).click();
    await page.locator('.topology-node').first().click();
    await expect(page.locator('.inspector.is-sheet')).toBeVisible();
    expect(await seriousProblems(page)).toEqual([]);
  });
}
