import type { Page } from '@playwright/test';
import { scenarios } from '../src/scenarios/registry.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

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

/** What overlaps or sticks out, in words; empty when the topology reads cleanly. */
function collisions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const view = document.querySelector('.topology svg')?.getBoundingClientRect();
    if (view === undefined) return ['no topology'];
    const nodes = [...document.querySelectorAll<SVGGElement>('.topology-node')].map((node) => ({
      name: node.getAttribute('aria-label')?.split(',')[0] ?? '?',
      body: node.querySelector('.node-body')?.getBoundingClientRect() ?? null,
      caption: node.querySelector('.node-caption')?.getBoundingClientRect() ?? null,
    }));
    const overlap = (a: DOMRect, b: DOMRect) =>
      a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const found: string[] = [];
    const legend = document.querySelector('.topology-legend[open]')?.getBoundingClientRect();
    nodes.forEach((node, i) => {
      if (legend !== undefined) {
        if (node.body !== null && overlap(node.body, legend))
          found.push(`the legend covers ${node.name}`);
        if (node.caption !== null && overlap(node.caption, legend)) {
          found.push(`the legend covers ${node.name}'s caption`);
        }
      }
      const caption = node.caption;
      if (caption === null) return;
      if (caption.left < view.left - 1 || caption.right > view.right + 1) {
        found.push(`${node.name}'s caption leaves the view`);
      }
      nodes.forEach((other, j) => {
        if (j === i) return;
        if (j > i && other.caption !== null && overlap(caption, other.caption)) {
          found.push(`${node.name}'s caption overlaps ${other.name}'s`);
        }
        if (other.body !== null && overlap(caption, other.body)) {
          found.push(`${node.name}'s caption covers ${other.name}`);
        }
      });
    });
    return found;
  });
}

for (const size of sizes) {
  test(`no caption collides or is cut off at ${String(size.width)}×${String(size.height)}`, async ({
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
    }
    expect(found).toEqual([]);
  });
}
