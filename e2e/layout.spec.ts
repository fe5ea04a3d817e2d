import { scenarios } from '../src/scenarios/registry.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';
import { collisions, glyphLabelProblems } from './layoutChecks.ts';

/*
 * Captions are readable in every scenario at the common desktop sizes: measured from the drawn
 * boxes, no caption overlaps another caption or another node's glyph, none leaves the view, and
 * the open legend covers neither nodes nor captions.
 * Each scenario is looked at past its storyline's first moments, when its badges are longest.
 */

const sizes = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;

for (const size of sizes) {
  test(`no caption collides or is cut off, ids fit their glyphs at ${String(size.width)}×${String(size.height)}`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    const app = new AppDriver(page);
    await app.open();
    const found: string[] = [];
    for (const scenario of scenarios.filter((each) => !each.isHidden)) {
      await app.load({
        scenarioId: scenario.id,
        seed: 1,
        variant: 'pattern',
        params: {},
        commands: [],
      });
      await app.stepTo(12_000);
      await expect(page.locator('.topology-node').first()).toBeVisible();
      // Opened paused at a position, the legend still names what was sent on the way there.
      await expect(page.locator('.topology-legend')).not.toContainText('None sent yet');
      for (const problem of await collisions(page)) found.push(`${scenario.title}: ${problem}`);
      for (const problem of await glyphLabelProblems(page)) {
        found.push(`${scenario.title}: ${problem}`);
      }
    }
    expect(found).toEqual([]);
  });
}
