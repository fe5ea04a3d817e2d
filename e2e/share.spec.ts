import { deflateSync, strToU8 } from 'fflate';
import { toBase64Url } from '../src/worker/shareLink.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

test('a copied link opens in a new page at the same time with the same trace hash', async ({
  page,
  context,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new AppDriver(page);
  await app.open('#/leader-election');
  await app.stepTo(1500);
  await page.getByRole('button', { name: 'n3,', exact: false }).first().click();
  await page.getByRole('button', { name: 'Kill node' }).click();
  await app.stepTo(3210);
  const hash = await app.traceHash();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#\/leader-election\?run=/);
  const other = await context.newPage();
  const second = new AppDriver(other);
  await second.open(link.slice(link.indexOf('#')));
  expect(await second.simTimeUs()).toBe(3_210_000);
  expect(await second.traceHash()).toBe(hash);
  await expect(other.getByTestId('sim-time')).toContainText('3.21');
  await second.screenshot('shared-link', testInfo);
  // Reload loses nothing.
  await other.reload();
  await second.waitReady();
  expect(await second.traceHash()).toBe(hash);
});

function payload(data: unknown): string {
  return toBase64Url(deflateSync(strToU8(JSON.stringify(data))));
}

const good = {
  v: 1,
  scenarioId: 'leader-election',
  seed: 1,
  variant: 'pattern',
  params: {},
  commands: [],
  positionUs: 0,
};

const badLinks: [string, string, RegExp][] = [
  ['truncated', `#/leader-election?run=${payload(good).slice(0, 20)}`, /damaged or cut short/],
  ['not base64', '#/leader-election?run=***!!!', /damaged/],
  ['too long', `#/leader-election?run=${'A'.repeat(210_000)}`, /characters long/],
  [
    'not JSON',
    `#/leader-election?run=${toBase64Url(deflateSync(strToU8('{"v":1,')))}`,
    /not readable/,
  ],
  ['future format', `#/leader-election?run=${payload({ ...good, v: 9 })}`, /format version 9/],
  ['bad seed', `#/leader-election?run=${payload({ ...good, seed: -4 })}`, /invalid/],
  [
    'unknown scenario',
    `#/leader-election?run=${payload({ ...good, scenarioId: 'warp-drive' })}`,
    /does not have \("warp-drive"\)/,
  ],
  [
    'old scenario version',
    `#/leader-election?run=${payload({ ...good, scenarioVersion: 99 })}`,
    /version 99/,
  ],
  [
    'unknown node in a fault',
    `#/leader-election?run=${payload({ ...good, commands: [{ atUs: 10, command: { type: 'node.crash', node: 'n42' } }] })}`,
    /could not be replayed.*n42/,
  ],
  [
    'out-of-range parameter',
    `#/leader-election?run=${payload({ ...good, params: { nodeCount: 400 } })}`,
    /set to 9/,
  ],
  [
    'unknown command',
    `#/leader-election?run=${payload({ ...good, commands: [{ atUs: 10, command: { type: 'node.explode', node: 'n1' } }] })}`,
    /invalid/,
  ],
];

for (const [kind, fragment, message] of badLinks) {
  test(`a ${kind} link opens the app with a clear message`, async ({ page }) => {
    const app = new AppDriver(page);
    await app.open(fragment);
    await expect(page.getByText(message).first()).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('DistSim');
  });
}

test('the page follows its address: a link pasted into the open tab, Back and Forward', async ({
  page,
}) => {
  const app = new AppDriver(page);
  await app.open('#/circuit-breaker');
  await app.stepTo(2000);
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toContainText('Circuit Breaker');
  // Picking another pattern adds a history entry.
  await page.getByRole('button', { name: /^Sharding/ }).click();
  await expect(title).toContainText('Sharding');
  await app.waitReady();
  // A link pasted into the address bar of the open tab (only the fragment changes).
  await page.goto('/#/pub-sub');
  await expect(title).toContainText('Pub/Sub');
  await page.goBack();
  await expect(title).toContainText('Sharding');
  await page.goBack();
  await expect(title).toContainText('Circuit Breaker');
  // The run on screen was kept in history with its position.
  await app.waitReady();
  await expect.poll(() => app.simTimeUs()).toBe(2_000_000);
  await page.goForward();
  await expect(title).toContainText('Sharding');
});
