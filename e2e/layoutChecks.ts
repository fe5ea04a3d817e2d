import type { Page } from '@playwright/test';

/*
 * Layout checks shared by the browser tests of the screen sizes: measured from the drawn boxes,
 * never by eye.
 */

/** What overlaps or sticks out, in words; empty when the topology reads cleanly. */
export function collisions(page: Page): Promise<string[]> {
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
    const zoom = document.querySelector('.topology-zoom')?.getBoundingClientRect();
    nodes.forEach((node, i) => {
      if (zoom !== undefined) {
        if (node.body !== null && overlap(node.body, zoom))
          found.push(`the zoom buttons cover ${node.name}`);
        if (node.caption !== null && overlap(node.caption, zoom)) {
          found.push(`the zoom buttons cover ${node.name}'s caption`);
        }
      }
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

/**
 * Ids inside glyphs: one size for the whole view, at least 10 px, each inside its glyph, and no
 * two nodes showing the same (shortened) id.
 */
export function glyphLabelProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const sizes = new Set<string>();
    const shown = new Map<string, string>();
    for (const node of document.querySelectorAll<SVGGElement>('.topology-node')) {
      const name = node.getAttribute('aria-label')?.split(',')[0] ?? '?';
      const id = node.querySelector('.node-id');
      const body = node.querySelector('.node-body')?.getBoundingClientRect();
      if (id === null || body === undefined) continue;
      const text = id.textContent;
      const other = shown.get(text);
      if (other !== undefined) found.push(`${name} and ${other} both show "${text}"`);
      shown.set(text, name);
      const size = getComputedStyle(id).fontSize;
      sizes.add(size);
      if (Number.parseFloat(size) < 10) found.push(`${name}'s id is ${size}`);
      const box = id.getBoundingClientRect();
      if (box.left < body.left - 1 || box.right > body.right + 1) {
        found.push(`${name}'s id "${text}" is wider than its glyph`);
      }
    }
    if (sizes.size > 1) found.push(`ids are drawn at ${[...sizes].join(', ')}`);
    return found;
  });
}

/** How far the page scrolls sideways (0 when it fits its width). */
export function sidewaysScrollPx(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}
