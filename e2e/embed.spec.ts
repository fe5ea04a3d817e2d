import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as plainTest, type Page } from '@playwright/test';
import type { RunDescription } from '../src/engine/types.ts';
import { getScenario } from '../src/scenarios/registry.ts';
import { encodeShareLink } from '../src/worker/shareLink.ts';
import { AppDriver } from './driver.ts';
import { HeadersServer, HostSite } from './embedServers.ts';
import { expect, test } from './fixtures.ts';

/*
 * The embed framed by another origin: it plays, narrates, shows the pattern's instrument, speaks
 * its postMessage API, and opens the full app at the same run and time; the <distsim-run> web
 * component does the same from markup; and the full app still refuses to be framed. The build is
 * served with its `_headers` (HeadersServer); the framing pages come from a second origin.
 */

const buildDir = path.resolve(import.meta.dirname, '..', process.env.PW_OUT_DIR ?? 'dist');
const build = new HeadersServer(buildDir);
const host = new HostSite();

const leaderElection = getScenario('leader-election');
const run: RunDescription = {
  scenarioId: 'leader-election',
  scenarioVersion: leaderElection?.version ?? 1,
  seed: 1,
  variant: 'pattern',
  params: {},
  commands: [],
};
const title = leaderElection?.title ?? 'Leader Election';
const runFragment = `#/leader-election?${encodeShareLink(run, 0)}`;

/** A page of someone else's site: records every message from the embed in `window.received`. */
function hostPage(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,">
<script>
  window.received = [];
  window.addEventListener('message', (event) => { window.received.push(event.data); });
</script></head><body><h1>Someone else's page</h1>${body}</body></html>`;
}

declare global {
  interface Window {
    received?: { type: string; [key: string]: unknown }[];
  }
}

async function received(page: Page, type: string) {
  await page.waitForFunction((wanted) => window.received?.some((m) => m.type === wanted), type, {
    timeout: 20_000,
  });
  return page.evaluate(
    (wanted) => window.received?.filter((message) => message.type === wanted) ?? [],
    type,
  );
}

test.beforeAll(async () => {
  await build.start();
  await host.start();
});

test.afterAll(async () => {
  await build.stop();
  await host.stop();
});

test('the embed plays framed by another origin and opens DistSim at the same moment', async ({
  page,
  context,
}) => {
  const embedSrc = `${build.origin}/embed.html${runFragment}&from=0&caption=Election%20demo`;
  host.pages.set(
    '/iframe.html',
    hostPage(`<iframe id="embed" title="Leader election demo" width="900" height="520"
      src="${embedSrc}"></iframe>`),
  );
  await page.goto(`${host.origin}/iframe.html`);
  const embed = page.frameLocator('#embed');
  const [ready] = await received(page, 'distsim:ready');
  expect(ready).toMatchObject({ scenarioId: 'leader-election', title });
  const instrumentTitle = String(ready?.instrument);
  expect(instrumentTitle).not.toBe('');
  await expect(embed.getByRole('heading', { name: title })).toBeVisible();
  await expect(embed.getByText('Election demo')).toBeVisible();
  await expect(embed.locator('.instrument-title')).toHaveText(instrumentTitle);
  await expect(embed.getByRole('region', { name: 'Topology' })).toBeVisible();

  // It plays by itself, narrating each moment, and tells the host page as it goes.
  const [moment] = await received(page, 'distsim:moment');
  await expect(embed.getByRole('status').filter({ hasText: 'What just happened:' })).toContainText(
    /t = \d+\.\d{3} s/,
  );
  expect(String(moment?.text)).not.toBe('');
  await received(page, 'distsim:time');

  // The host page's commands: pause, then seek.
  const send = (command: object) =>
    page.evaluate((message) => {
      const frame = document.querySelector<HTMLIFrameElement>('#embed');
      frame?.contentWindow?.postMessage(message, '*');
    }, command);
  await send({ type: 'distsim:pause' });
  await expect(embed.getByRole('button', { name: 'Play' })).toBeVisible();
  await send({ type: 'distsim:seek', timeUs: 1_500_000 });
  await expect(embed.locator('.embed-time')).toHaveText('t = 1.500 s');
  // A command in the wrong shape is answered, not obeyed.
  await send({ type: 'distsim:seek', timeUs: 'soon' });
  const [error] = await received(page, 'distsim:error');
  expect(String(error?.message)).toContain('distsim:seek needs timeUs');
  await expect(embed.locator('.embed-time')).toHaveText('t = 1.500 s');

  // Keyboard: Play and Restart are buttons in the tab order.
  await embed.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Tab');
  await expect(embed.getByRole('button', { name: 'Restart' })).toBeFocused();

  // "Open in DistSim": the full app, in a new tab, at the same run and time.
  const open = embed.getByRole('link', { name: 'Open in DistSim' });
  await expect(open).toHaveAttribute('target', '_blank');
  await expect(open).toHaveAttribute('rel', 'noopener');
  await expect(open).toHaveAttribute(
    'href',
    new RegExp(`^${build.origin}/index\\.html#/leader-election\\?run=`),
  );
  const [appPage] = await Promise.all([context.waitForEvent('page'), open.click()]);
  const app = new AppDriver(appPage);
  await app.waitReady();
  expect(await app.simTimeUs()).toBe(1_500_000);
  await expect(appPage.locator('.app-subtitle')).toHaveText(` · ${title}`);
});

test('an embed link with a bad window says what is wrong instead of a blank frame', async ({
  page,
}) => {
  await page.goto(`${build.origin}/embed.html${runFragment}&from=5&to=2&speed=fast`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This DistSim embed cannot play');
  await expect(alert).toContainText('"to" (2 s) must be later than "from" (5 s).');
  await expect(alert).toContainText('"speed" must be a number from 0.01 to 1000');
  await expect(page.getByRole('link', { name: 'Open DistSim' })).toHaveAttribute(
    'href',
    `${build.origin}/index.html${runFragment}`,
  );
});

test('an embed of a damaged run link says so, as the app does, and plays the defaults', async ({
  page,
}) => {
  await page.goto(`${build.origin}/embed.html#/leader-election?run=not*a*link&from=0`);
  await expect(page.getByRole('status').filter({ hasText: 'damaged' })).toContainText(
    `Opened ${title} with its defaults instead.`,
  );
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.locator('figure.instrument')).toHaveCount(1);
});

test('the <distsim-run> web component plays in a plain page and takes commands', async ({
  page,
}) => {
  const embedSrc = `${build.origin}/embed.html${runFragment}&from=0.5&to=60`;
  host.pages.set(
    '/component.html',
    hostPage(`<script type="module" src="${build.origin}/distsim-run.js"></script>
      <distsim-run id="run" title="Leader election, from markup" src="${embedSrc}"></distsim-run>
      <script>
        window.elementEvents = [];
        for (const type of ['distsim-ready', 'distsim-moment']) {
          document.getElementById('run').addEventListener(type, (event) => {
            window.elementEvents.push({ type, detail: event.detail });
          });
        }
      </script>`),
  );
  await page.goto(`${host.origin}/component.html`);
  await page.waitForFunction(
    () =>
      (window as unknown as { elementEvents: { type: string }[] }).elementEvents.some(
        (event) => event.type === 'distsim-ready',
      ),
    undefined,
    { timeout: 20_000 },
  );
  const frame = page.frameLocator('distsim-run iframe');
  await expect(page.locator('distsim-run iframe')).toHaveAttribute(
    'title',
    'Leader election, from markup',
  );
  await expect(frame.getByRole('heading', { name: title })).toBeVisible();
  await page.evaluate(() => {
    // The element's methods (src/embed/distsimRun.ts).
    const element = document.querySelector<
      HTMLElement & { pause(): void; seek(timeUs: number): void }
    >('distsim-run');
    element?.pause();
    element?.seek(2_000_000);
  });
  await expect(frame.locator('.embed-time')).toHaveText('t = 2.000 s');
  await expect(frame.getByRole('button', { name: 'Play' })).toBeVisible();
});

// Chromium logs the refusal as a console error, which the project's fixture would count as the
// page's: this test expects it, so it runs on the plain Playwright test.
plainTest('the full app still refuses to be framed by another origin', async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('frame-ancestors')) refusals.push(message.text());
  });
  host.pages.set(
    '/both.html',
    hostPage(`<iframe id="app" title="The app" src="${build.origin}/index.html${runFragment}"></iframe>
      <iframe id="embed" title="The embed" src="${build.origin}/embed.html${runFragment}"></iframe>`),
  );
  await page.goto(`${host.origin}/both.html`);
  await expect(page.frameLocator('#embed').getByRole('heading', { name: title })).toBeVisible({
    timeout: 20_000,
  });
  await expect.poll(() => refusals.length).toBeGreaterThan(0);
  expect(refusals.join('\n')).toContain("frame-ancestors 'self'");
  await expect(page.frameLocator('#app').locator('#root')).toHaveCount(0);
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the Share dialog and the embed it makes pass axe (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const app = new AppDriver(page);
    await app.open(runFragment);
    await app.stepTo(3000);
    const share = page.getByRole('button', { name: 'Share…' });
    await share.click();
    const dialog = page.getByRole('dialog', { name: 'Share this run' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('checkbox').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    // The dialog's embed URL opens the embed at the window it says (a second before the time
    // shown and three after, by default), under the caption typed.
    await dialog.getByRole('textbox', { name: 'Caption' }).fill('Shared from the dialog');
    const embedUrl = await dialog.getByRole('textbox', { name: 'Embed URL' }).inputValue();
    expect(embedUrl).toContain('from=1&to=6&loop=1');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(share).toBeFocused();

    await page.goto(embedUrl);
    await expect(page.getByText('Shared from the dialog')).toBeVisible();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.locator('figure.instrument')).toHaveCount(1);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
