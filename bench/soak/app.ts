import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type {} from '../../src/ui/testHook.ts';

/*
 * The built app in Chromium for the soak's browser parts: an e2e build (the production build
 * plus the test hook, window.distsim) in a private folder, served by `vite preview` on 127.0.0.1
 * in its own process group, and headless Chromium (Debian's when present).
 */

const root = resolve(import.meta.dirname, '..', '..');
const outDir = join(root, 'node_modules', '.tmp', 'soak-app');
const systemChromium = '/usr/bin/chromium';

/** The app served and a browser to open it in; `close` stops both. */
export interface AppSession {
  readonly browser: Browser;
  readonly url: string;
  /** Opens a fresh page on the app (running `initScript` first) and waits for its first frame. */
  openPage(initScript?: string): Promise<Page>;
  close(): Promise<void>;
}

/** A failure of the harness itself (build, server, browser), with a message for the reader. */
export class HarnessError extends Error {}

function run(
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, output });
    });
  });
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Stops the server's whole process group (npx, then vite). */
function stopServer(server: ChildProcess): void {
  if (server.pid === undefined || !isRunning(server)) return;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

async function waitServing(server: ChildProcess, url: string, log: () => string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (!isRunning(server))
      throw new HarnessError(`vite preview stopped at once:\n${log().slice(-1500)}`);
    try {
      const response = await fetch(url);
      if (response.ok && (await response.text()).includes('id="root"')) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new HarnessError(
    `vite preview did not answer on ${url} within 30 s:\n${log().slice(-1500)}`,
  );
}

/** Builds the app (e2e mode), serves it on `port` and launches headless Chromium. */
export async function startApp(port: number): Promise<AppSession> {
  const build = await run('npx', [
    'vite',
    'build',
    '--mode',
    'e2e',
    '--outDir',
    outDir,
    '--emptyOutDir',
  ]);
  if (build.code !== 0 || !existsSync(join(outDir, 'index.html')))
    throw new HarnessError(`vite build --mode e2e failed:\n${build.output.slice(-1500)}`);
  const server = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--outDir',
      outDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const onExit = (): void => {
    stopServer(server);
  };
  process.on('exit', onExit);
  const url = `http://127.0.0.1:${String(port)}`;
  try {
    await waitServing(server, `${url}/`, () => log);
    const browser = await chromium.launch({
      headless: true,
      args: ['--no-sandbox'],
      ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
    });
    return {
      browser,
      url,
      openPage: (initScript = '') => openPage(browser, url, initScript),
      close: async () => {
        await browser.close().catch(() => undefined);
        stopServer(server);
        process.off('exit', onExit);
      },
    };
  } catch (error) {
    stopServer(server);
    process.off('exit', onExit);
    throw error;
  }
}

/**
 * tsx compiles with esbuild's keepNames, which wraps named functions in `__name(...)`; Playwright
 * sends functions to the page as source text, so the page needs a `__name` too.
 */
const nameShim = 'globalThis.__name = globalThis.__name || ((target) => target);';

async function openPage(browser: Browser, url: string, initScript: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: `${nameShim}\n${initScript}` });
  const page = await context.newPage();
  await page.goto(`${url}/#/leader-election`);
  await page.waitForFunction(() => window.distsim?.frame() != null, null, { timeout: 30_000 });
  return page;
}
