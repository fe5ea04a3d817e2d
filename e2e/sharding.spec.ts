import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/** Keys per shard as the metrics panel's bars name them ("s5: 180 keys"), for sampled shards. */
async function keysPerShard(app: AppDriver): Promise<Record<string, number>> {
  const chart = app.page.getByRole('figure', { name: 'Keys per shard' });
  const labels = await chart
    .getByRole('listitem')
    .evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
  const keys: Record<string, number> = {};
  for (const label of labels) {
    const match = /^(\w+): (\d+)/.exec(label);
    if (match !== null) keys[match[1] ?? ''] = Number(match[2]);
  }
  return keys;
}

test('adding a shard from the router controls moves keys to it, as Transfer messages', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const app = new AppDriver(page);
  await app.open('#/sharding');
  await app.stepTo(2000);
  // Charts redraw a few times a second: wait for the bars of the sampled shards.
  await expect.poll(async () => Object.keys(await keysPerShard(app)).length).toBeGreaterThan(1);
  const before = await keysPerShard(app);
  const active = Object.entries(before).filter(([, count]) => count > 0);
  const total = active.reduce((sum, [, count]) => sum + count, 0);
  expect(active.length).toBeGreaterThanOrEqual(2);

  await app.clickNode('router');
  await page.getByRole('button', { name: 'Add a shard' }).click();
  // The keys travel: Transfer messages are on the wire within a second of the control.
  let isTransferSeen = false;
  for (let ms = 2020; ms <= 3000 && !isTransferSeen; ms += 20) {
    await app.stepTo(ms);
    isTransferSeen = await page.evaluate(
      () => window.distsim?.frame()?.inFlightTypes.includes('Transfer') ?? false,
    );
  }
  expect(isTransferSeen).toBe(true);
  await app.screenshot('keys-moving', testInfo);

  await app.stepTo(12_000);
  await expect
    .poll(async () => Object.values(await keysPerShard(app)).filter((count) => count > 0).length)
    .toBe(active.length + 1);
  const after = await keysPerShard(app);
  // No key lost or doubled: the same total, now over one more shard.
  expect(Object.values(after).reduce((sum, count) => sum + count, 0)).toBe(total);
  await expect(page.getByRole('region', { name: 'Invariants' })).not.toContainText('violated');
  await app.screenshot('keys-moved', testInfo);
});
