import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/**
 * What a newcomer sees who opens a pattern and presses Play, nothing else: within 20 s of wall
 * time the first moment of its storyline is on the timeline, the pattern's instrument has
 * changed what it says, and "What just happened" has told it in a sentence. Each scenario starts
 * at its own default speed (1×; Leader Election ½×).
 */

const scenarios = [
  ['ambassador', 'Requests'],
  ['circuit-breaker', 'Breaker'],
  ['cqrs', 'Write log and read models'],
  ['event-sourcing', 'Streams'],
  ['leader-election', 'Election'],
  ['pub-sub', 'Subscriptions'],
  ['sharding', 'Shard map'],
  ['strangler-fig', 'Routes'],
] as const;

const withinMs = 20_000;

for (const [id, instrument] of scenarios) {
  test(`${id}: Play shows the first moment, the instrument changing and a sentence within 20 s`, async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const app = new AppDriver(page);
    await app.open(`#/${id}`);
    const figure = page.locator('figure.instrument');
    await expect(figure).toHaveCount(1);
    await expect(figure.getByText(instrument, { exact: true })).toBeVisible();
    const before = await figure.getAttribute('aria-label');
    expect(before).toMatch(/^\S.*\.$/);

    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const ticks = page.getByRole('list', { name: /^Moments on the timeline/ }).getByRole('button');
    const log = page.getByRole('log', { name: 'What just happened' });
    await expect(ticks.first()).toBeVisible({ timeout: withinMs });
    await expect(log.getByRole('button').first()).toBeVisible({ timeout: withinMs });
    await expect(figure).not.toHaveAttribute('aria-label', before ?? '', { timeout: withinMs });
    // The sentence on the timeline names the same moment as the first tick.
    const firstTick = (await ticks.first().getAttribute('aria-label')) ?? '';
    expect(firstTick.length).toBeGreaterThan(10);
  });
}
