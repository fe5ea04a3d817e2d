import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * Static hosting: the build that Playwright's web server made is served here by a plain file
 * server under a deep sub-path, the way GitHub Pages serves a project site, to prove that the
 * relative base, the module worker and the service worker all work from anywhere. The server can
 * go down (to prove offline use) and can serve a different sw.js (to stand in for a new deploy).
 */

const buildDir = path.resolve(import.meta.dirname, '..', process.env.PW_OUT_DIR ?? 'dist');
const subPath = '/some/deep/path/';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** A static file server for the build, under `subPath` only. */
class SubPathServer {
  /** Files served instead of the built ones, by path relative to the build. */
  readonly overrides = new Map<string, string>();
  /** Every path requested while the server was down. */
  readonly hitsWhileDown: string[] = [];
  isDown = false;
  private readonly server = http.createServer((request, response) => {
    void this.answer(request, response);
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  /** The app's address: the sub-path, with a trailing slash as static hosts redirect to. */
  get appUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${subPath}`;
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (this.isDown) {
      // No answer at all, as when the network is gone.
      this.hitsWhileDown.push(pathname);
      request.socket.destroy();
      return;
    }
    if (!pathname.startsWith(subPath)) {
      response.writeHead(404).end('Not under the app path.');
      return;
    }
    const relative = decodeURIComponent(pathname.slice(subPath.length)) || 'index.html';
    const file = path.resolve(buildDir, relative);
    if (!file.startsWith(buildDir + path.sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = this.overrides.get(relative) ?? (await readFile(file));
      response.writeHead(200, {
        'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  }
}

const server = new SubPathServer();

test.beforeAll(async () => {
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

test.afterEach(() => {
  server.isDown = false;
  server.overrides.clear();
  server.hitsWhileDown.length = 0;
});

/** Opens the app from the sub-path and waits for its first frame. */
async function openFromSubPath(page: Page, fragment: string): Promise<AppDriver> {
  await page.goto(`${server.appUrl}${fragment}`);
  const app = new AppDriver(page);
  await app.waitReady();
  return app;
}

/** Waits until a service worker has installed and controls the page. */
async function waitUntilControlled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Presses Play, waits for simulated time to pass, then pauses. */
/** Steps `ms` on from wherever playback stopped (at 1× it may be past any fixed time). */
async function stepOnBy(app: AppDriver, ms: number): Promise<void> {
  const fromUs = await app.simTimeUs();
  await app.stepTo(fromUs / 1000 + ms);
  expect(await app.simTimeUs()).toBe(fromUs + ms * 1000);
}

async function playBriefly(page: Page, app: AppDriver): Promise<void> {
  const before = await app.simTimeUs();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => app.simTimeUs(), { timeout: 15_000 }).toBeGreaterThan(before);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
}

test('the built app runs from a deep sub-path, fetching nothing outside it', async ({ page }) => {
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(request.url()));
  const app = await openFromSubPath(page, '#/leader-election');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Leader Election');
  await expect(app.node('n1')).toBeVisible();
  await playBriefly(page, app);
  await stepOnBy(app, 500);
  // The simulation worker's script came from the sub-path too.
  expect(requested.some((url) => /\/assets\/sim\.worker-[\w-]+\.js$/.test(url))).toBe(true);
  const outside = requested.filter(
    (url) => !url.startsWith(server.appUrl) && !url.startsWith('data:'),
  );
  expect(outside).toEqual([]);
});

test('after the first visit the app loads and runs with the network gone', async ({
  page,
  context,
}) => {
  await openFromSubPath(page, '#/circuit-breaker');
  await waitUntilControlled(page);
  // The worker's scope is the sub-path the app was opened from, not the origin's root.
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope),
  ).toBe(server.appUrl);
  server.isDown = true;
  await context.setOffline(true);
  await page.reload();
  const app = new AppDriver(page);
  await app.waitReady();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Circuit Breaker');
  await playBriefly(page, app);
  await stepOnBy(app, 500);
  // Nothing but the browser's own update check for sw.js even tried the server.
  expect(server.hitsWhileDown.filter((hit) => hit !== `${subPath}sw.js`)).toEqual([]);
  await context.setOffline(false);
});

test('a new deploy shows the update prompt, and Reload moves the page to it keeping the run', async ({
  page,
}) => {
  const app = await openFromSubPath(page, '#/leader-election');
  await waitUntilControlled(page);
  const cachesBefore = await page.evaluate(() => caches.keys());
  expect(cachesBefore).toHaveLength(1);
  const oldVersion = cachesBefore[0]?.split(' ').at(-1) ?? '';
  expect(oldVersion).toMatch(/^[0-9a-f]{16}$/);
  await app.stepTo(1500);
  const hash = await app.traceHash();
  await expect.poll(() => page.url()).toContain('run=');

  // A new deploy: the same app with a service worker of another version.
  const builtWorker = await readFile(path.join(buildDir, 'sw.js'), 'utf8');
  const newVersion = 'feedfacecafebeef';
  expect(builtWorker).toContain(oldVersion);
  server.overrides.set('sw.js', builtWorker.replaceAll(oldVersion, newVersion));
  await expect(page.getByText('A new version of DistSim is available')).toHaveCount(0);
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  const prompt = page.getByRole('status').filter({ hasText: 'A new version of DistSim' });
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText('your run is in the link');

  // Reached from the keyboard, and pressing it reloads the page under the new worker.
  const reload = prompt.getByRole('button', { name: 'Reload' });
  await reload.focus();
  await expect(reload).toBeFocused();
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  await app.waitReady();
  expect(await page.evaluate(() => caches.keys())).toEqual([
    cachesBefore[0]?.replace(oldVersion, newVersion),
  ]);
  expect(
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return {
        isControlled: navigator.serviceWorker.controller !== null,
        isWaiting: registration?.waiting !== null,
      };
    }),
  ).toEqual({ isControlled: true, isWaiting: false });
  await expect(page.getByText('A new version of DistSim is available')).toHaveCount(0);
  expect(await app.simTimeUs()).toBe(1_500_000);
  expect(await app.traceHash()).toBe(hash);
});
