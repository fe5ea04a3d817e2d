import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { median } from './measure.ts';

/**
 * `npm run bench:browser [-- [--reps N] [--port P] [name…]]`: the browser figures of
 * BENCHMARKS.md, measured on the production build in headless Chromium.
 *
 * 1. bundle: gzip size of the main chunk (the entry script of index.html) and of every chunk of
 *    a production build (`vite build`).
 * 2. first-frame: navigation start to the first frame whose trace hash is on screen, for
 *    `/#/leader-election`, median of fresh page loads (a new browser context each, so no cache).
 * 3. animation: the hidden `bench-mesh` scenario (100 nodes, about 2,000 messages in flight)
 *    playing at 1×: requestAnimationFrame deltas over 5 s windows and long tasks from a
 *    PerformanceObserver, interleaved (A B C D, B C D A…) with bench-mesh paused (the same 2,000
 *    messages on screen, nothing moving), bench-mesh at its largest node count (300, the same
 *    2,000 messages in flight) and leader-election playing (a light scenario), each
 *    case in a fresh page; then how long a pause takes to show while bench-mesh plays. Both
 *    bench-mesh sizes are held to the targets, each with its own lines.
 * 5. seek: a 10-minute simulated Leader Election run; the timeline scrubber is moved to 24
 *    times back and forth, each timed from the input event to the second animation frame after
 *    the page holds the frame of that time (so the redraw is in), interleaved with opening the
 *    same run at the same time from scratch (a replay from 0, the peer). Target <= 150 ms.
 * 4. transport: trace events the page receives per second from the app's worker while
 *    bench-mesh plays at 1000×, and a micro-benchmark in the page: a throwaway worker from a Blob
 *    URL posts 10k-event batches, packed typed arrays transferred (pooled or freshly allocated),
 *    packed arrays copied, and plain objects structured-cloned, interleaved.
 *
 * The page figures use `vite build --mode e2e` (the production build plus the test hook,
 * window.distsim), served by `vite preview` on 127.0.0.1. Both builds go to a private folder
 * under node_modules/.tmp, not dist/, so that an e2e run building dist/ at the same time cannot
 * change the files under the benchmark (or the other way round). A missed target is reported,
 * not failed; the exit code is 1 only when a figure could not be measured.
 */

const root = resolve(import.meta.dirname, '..');
const outRoot = join(root, 'node_modules', '.tmp', 'bench-browser');
const productionDir = join(outRoot, 'production');
const e2eDir = join(outRoot, 'e2e');
const systemChromium = '/usr/bin/chromium';

const targets = {
  firstFrameMs: 1000,
  frameP95Ms: 16.7,
  longTaskMs: 50,
  transportMevents: 20,
  mainChunkGzipKb: 160,
  seekMs: 150,
};

/** The run the seek figure scrubs: ten simulated minutes of the default Leader Election. */
const seekRunUs = 600_000_000;

/** The load the animation target names: 100 nodes, 2,000 messages in flight. */
const benchMeshRun = {
  scenarioId: 'bench-mesh',
  seed: 1,
  variant: 'pattern',
  params: {},
  commands: [],
} as const;
const inFlightStride = 5;
const windowMs = 5_000;

const figureNames = ['bundle', 'first-frame', 'animation', 'transport', 'seek'] as const;
type FigureName = (typeof figureNames)[number];

const usage = `Usage: npm run bench:browser -- [--reps N] [--port P] [name…]
  --reps N  first-frame loads (default 5), animation rounds (default 3, 5 s per case),
            transport windows and micro-benchmark rounds (default 5); figures are medians
  --port P  port of the preview server on 127.0.0.1 (default 4310)
  name…     only these figures: ${figureNames.join(' ')}`;

interface Options {
  readonly reps: number | null;
  readonly port: number;
  readonly figures: readonly FigureName[];
}

/** A failure with a message meant for the person running the benchmark. */
class BenchError extends Error {}

function parseOptions(args: readonly string[]): Options | string {
  let reps: number | null = null;
  let port = 4310;
  const figures: FigureName[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--reps' || arg === '--port') {
      const value = Number(args[++i]);
      const [min, max] = arg === '--reps' ? [1, 100] : [1024, 65535];
      if (!Number.isInteger(value) || value < min || value > max)
        return `${arg} needs a whole number from ${min} to ${max}.`;
      if (arg === '--reps') reps = value;
      else port = value;
    } else if (arg === '--help' || arg === '-h') return '';
    else if (arg.startsWith('-')) return `Unknown option ${arg}.`;
    else {
      const matching = figureNames.filter((name) => name.includes(arg));
      if (matching.length === 0) return `No figure is called ${arg}.`;
      figures.push(...matching);
    }
  }
  return { reps, port, figures: figures.length === 0 ? [...figureNames] : figures };
}

// ---------------------------------------------------------------------------------------------
// Formatting

function ms(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

function mevents(rate: number): string {
  return `${rate >= 10 ? rate.toFixed(1) : rate.toFixed(2)} M events/s`;
}

function ratio(value: number): string {
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}x`;
}

/** "target ≤ 1000 ms: met (0.41x the budget)" and the like, for an upper bound. */
function atMost(value: number, target: number, unit: string): string {
  const verdict = value <= target ? 'met' : 'MISSED';
  return `target <= ${String(target)} ${unit}: ${verdict} (${ratio(value / target)} the limit)`;
}

/** The same for a lower bound. */
function atLeast(value: number, target: number, unit: string): string {
  const verdict = value >= target ? 'met' : 'MISSED';
  return `target >= ${String(target)} ${unit}: ${verdict} (${ratio(value / target)} the target)`;
}

function line(name: string, text: string): void {
  console.log(`${name.padEnd(22)} ${text}`);
}

function detail(text: string): void {
  console.log(`${''.padEnd(22)} ${text}`);
}

/** The value at quantile q of a sorted list (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

function list(values: readonly number[], digits = 0): string {
  return values.map((value) => value.toFixed(digits)).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Processes: build, preview server

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to completion, keeping its output (printed only when it fails). */
function runCommand(command: string, args: readonly string[]): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolvePromise({ code, output });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

async function build(label: string, args: readonly string[], outDir: string): Promise<number> {
  const started = performance.now();
  const fullArgs = ['vite', 'build', ...args, '--outDir', outDir, '--emptyOutDir'];
  const result = await runCommand('npx', fullArgs);
  if (result.code !== 0 || !existsSync(join(outDir, 'index.html'))) {
    throw new BenchError(
      `The ${label} build failed (npx ${fullArgs.join(' ')}, exit ${String(result.code)}):\n` +
        lastLines(result.output, 30),
    );
  }
  return performance.now() - started;
}

/** Fails early, with a clear message, when something already listens on the port. */
function checkPortFree(port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new BenchError(
          error.code === 'EADDRINUSE'
            ? `Port ${String(port)} on 127.0.0.1 is busy (another preview server or benchmark?). ` +
                'Stop it, or pass --port with a free port.'
            : `Cannot listen on 127.0.0.1:${String(port)}: ${error.message}`,
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolvePromise();
      });
    });
  });
}

interface Preview {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Starts `vite preview` in its own process group (so stopping it also stops npx's node). */
function spawnPreview(port: number, outDir: string): Preview {
  const child = spawn('npx', [...previewArgs(port), '--outDir', outDir], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { url: `http://127.0.0.1:${String(port)}`, child, output: () => output };
}

function previewArgs(port: number): string[] {
  return ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
}

/** Waits until the server answers with the app's page; a clear error when it does not. */
async function waitUntilServing(preview: Preview, port: number): Promise<void> {
  const { child } = preview;
  const command = `npx ${previewArgs(port).join(' ')}`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (!isRunning(child)) {
      throw new BenchError(
        `The preview server stopped at once (${command}, exit ` +
          `${String(child.exitCode ?? child.signalCode)}):\n${lastLines(preview.output(), 20)}`,
      );
    }
    try {
      const response = await fetch(`${preview.url}/`);
      const body = await response.text();
      if (response.ok && body.includes('id="root"')) return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      throw new BenchError(
        `The preview server (${command}) did not answer on ${preview.url} within 30 s:\n` +
          lastLines(preview.output(), 20),
      );
    }
    await sleep(200);
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends a signal to the preview server's process group (ours: it was started detached). */
function signalPreview(preview: Preview, signal: NodeJS.Signals): void {
  const pid = preview.child.pid;
  if (pid === undefined || !isRunning(preview.child)) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops the preview server's process group: SIGTERM, then SIGKILL after 5 s. */
async function stopPreview(preview: Preview): Promise<void> {
  const { child } = preview;
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolvePromise) => {
    child.once('exit', () => {
      resolvePromise();
    });
  });
  signalPreview(preview, 'SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (isRunning(child)) {
    signalPreview(preview, 'SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

// ---------------------------------------------------------------------------------------------
// Bundle

interface Chunk {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Gzip at zlib's default level, as Vite's own size report does. */
function chunkOf(outDir: string, file: string): Chunk {
  const content = readFileSync(join(outDir, file));
  return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
}

function entryChunk(outDir: string): string {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const match = /<script[^>]*type="module"[^>]*src="\/?([^"]+\.js)"/.exec(html);
  if (match?.[1] === undefined) throw new BenchError(`No module script in ${outDir}/index.html.`);
  return match[1];
}

function chunksOf(outDir: string): Chunk[] {
  const assets = join(outDir, 'assets');
  return readdirSync(assets)
    .filter((file) => /\.(js|css)$/.test(file) && statSync(join(assets, file)).isFile())
    .map((file) => chunkOf(outDir, `assets/${file}`))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

function reportBundle(): void {
  const main = chunkOf(productionDir, entryChunk(productionDir));
  const e2eMain = chunkOf(e2eDir, entryChunk(e2eDir));
  for (const chunk of chunksOf(productionDir)) {
    const tag = chunk.file === main.file ? ' (main)' : '';
    detail(`${chunk.file}${tag}: ${kb(chunk.bytes)} raw, ${kb(chunk.gzipBytes)} gzip`);
  }
  detail(
    `e2e build's main chunk (with the test hook): ${kb(e2eMain.gzipBytes)} gzip, ` +
      `${kb(e2eMain.gzipBytes - main.gzipBytes)} more`,
  );
  line(
    'bundle',
    `main chunk ${kb(main.gzipBytes)} gzip (${kb(main.bytes)} raw) | ` +
      atMost(main.gzipBytes / 1000, targets.mainChunkGzipKb, 'kB gzip'),
  );
}

// ---------------------------------------------------------------------------------------------
// In the page

/*
 * Installed before any page script runs. tsx compiles this file with esbuild's keepNames, which
 * wraps named functions in `__name(...)` calls; Playwright sends functions to the page as their
 * source text, so the page needs a `__name` too. Then: long tasks from the page's start
 * (buffered), a wrapper around Worker that counts the app's frame messages and their trace
 * events, and a requestAnimationFrame watcher for the first trace hash on screen.
 */
const initScript = `(() => {
  globalThis.__name = globalThis.__name || ((target) => target);
  const bench = {
    longTasks: [],
    frames: 0,
    traceEvents: 0,
    firstHookFrameMs: null,
    firstDomHashMs: null,
  };
  globalThis.__bench = bench;
  try {
    new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries())
        bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const NativeWorker = globalThis.Worker;
  if (NativeWorker !== undefined) {
    globalThis.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        this.addEventListener('message', (event) => {
          const data = event.data;
          if (data === null || typeof data !== 'object' || data.type !== 'frame') return;
          bench.frames += 1;
          bench.traceEvents += data.frame.trace.times.length;
        });
      }
    };
  }
  const hex = /^[0-9a-f]{16}$/;
  const watch = () => {
    const now = performance.now();
    const hook = globalThis.distsim;
    if (bench.firstHookFrameMs === null && hook !== undefined && hook.frame() !== null)
      bench.firstHookFrameMs = now;
    const element = document.querySelector('[data-testid="trace-hash"]');
    if (element !== null && hex.test((element.textContent || '').trim())) {
      bench.firstDomHashMs = now;
      return;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();`;

/** What the page exposes to the benchmark (the app's test hook and our counters). */
interface PageFrame {
  readonly timeUs: number;
  readonly isPlaying: boolean;
  readonly inFlight: Float64Array;
  readonly traceTotal: number;
}

interface BenchWindow {
  readonly distsim?: {
    load(run: unknown, positionUs?: number): Promise<{ scenarioId: string; nodeIds: string[] }>;
    frame(): PageFrame | null;
    setSpeed(speed: number): void;
    pause(): void;
  };
  readonly __bench: {
    readonly longTasks: { readonly start: number; readonly duration: number }[];
    readonly frames: number;
    readonly traceEvents: number;
    readonly firstHookFrameMs: number | null;
    readonly firstDomHashMs: number | null;
  };
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: initScript });
  return context;
}

/** Page errors and console errors, printed when a figure fails. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// First frame

interface LoadTiming {
  readonly domHashMs: number;
  readonly hookFrameMs: number | null;
  readonly domContentLoadedMs: number;
  readonly firstPaintMs: number | null;
}

async function loadOnce(browser: Browser, url: string): Promise<LoadTiming> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(
        () => (window as unknown as BenchWindow).__bench.firstDomHashMs !== null,
        null,
        { timeout: 30_000, polling: 50 },
      );
    } catch {
      throw new BenchError(
        `No trace hash appeared on ${url} within 30 s.${errors.length > 0 ? `\n${errors.join('\n')}` : ''}`,
      );
    }
    return await page.evaluate(() => {
      const { __bench } = window as unknown as BenchWindow;
      const navigation = performance.getEntriesByType('navigation')[0] as
        PerformanceNavigationTiming | undefined;
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        domHashMs: __bench.firstDomHashMs ?? Number.NaN,
        hookFrameMs: __bench.firstHookFrameMs,
        domContentLoadedMs: navigation?.domContentLoadedEventEnd ?? Number.NaN,
        firstPaintMs: paint?.startTime ?? null,
      };
    });
  } finally {
    await context.close();
  }
}

async function reportFirstFrame(browser: Browser, baseUrl: string, reps: number): Promise<void> {
  const url = `${baseUrl}/#/leader-election`;
  // One load first, not counted: the server's and the browser's first request.
  await loadOnce(browser, url);
  const timings: LoadTiming[] = [];
  for (let i = 0; i < reps; i++) timings.push(await loadOnce(browser, url));
  const hash = timings.map((timing) => timing.domHashMs);
  const hooks = timings.map((timing) => timing.hookFrameMs ?? Number.NaN);
  const paints = timings.map((timing) => timing.firstPaintMs ?? Number.NaN);
  detail(
    `${url}, ${String(reps)} fresh contexts (after 1 unmeasured load): trace hash on screen at ` +
      `${list(hash)} ms`,
  );
  detail(
    `medians: DOMContentLoaded ${ms(median(timings.map((t) => t.domContentLoadedMs)))}, ` +
      `first contentful paint ${ms(median(paints))}, first frame in the test hook ${ms(median(hooks))}`,
  );
  const first = median(hash);
  line(
    'first-frame',
    `median ${ms(first)} from navigation start to the trace hash on screen | ` +
      atMost(first, targets.firstFrameMs, 'ms'),
  );
}

// ---------------------------------------------------------------------------------------------
// Animation

interface WindowSample {
  readonly startMs: number;
  readonly endMs: number;
  readonly deltas: number[];
  readonly simUs: number;
  readonly frames: number;
  readonly traceEvents: number;
  readonly traceTotal: number;
  readonly inFlight: number[];
}

/** Records requestAnimationFrame deltas for `durationMs` of wall time, with what the app did. */
function recordWindow(page: Page, durationMs: number): Promise<WindowSample> {
  return page.evaluate(
    ({ duration, stride }) =>
      new Promise<WindowSample>((resolvePromise) => {
        const { distsim, __bench } = window as unknown as BenchWindow;
        const frameNow = () => distsim?.frame() ?? null;
        const deltas: number[] = [];
        const inFlight: number[] = [];
        const firstFrame = frameNow();
        const frames = __bench.frames;
        const traceEvents = __bench.traceEvents;
        let previous = -1;
        let startMs = 0;
        const tick = (now: number) => {
          const frame = frameNow();
          if (frame !== null) inFlight.push(frame.inFlight.length / stride);
          if (previous < 0) startMs = now;
          else deltas.push(now - previous);
          previous = now;
          if (now - startMs < duration) {
            requestAnimationFrame(tick);
            return;
          }
          const lastFrame = frameNow();
          resolvePromise({
            startMs,
            endMs: now,
            deltas,
            simUs: (lastFrame?.timeUs ?? 0) - (firstFrame?.timeUs ?? 0),
            frames: __bench.frames - frames,
            traceEvents: __bench.traceEvents - traceEvents,
            traceTotal: (lastFrame?.traceTotal ?? 0) - (firstFrame?.traceTotal ?? 0),
            inFlight,
          });
        };
        requestAnimationFrame(tick);
      }),
    { duration: durationMs, stride: inFlightStride },
  );
}

async function longTasksBetween(
  page: Page,
  startMs: number,
  endMs: number,
): Promise<{ start: number; duration: number }[]> {
  const tasks = await page.evaluate(() => (window as unknown as BenchWindow).__bench.longTasks);
  return tasks.filter((task) => task.start + task.duration >= startMs && task.start <= endMs);
}

interface WindowStats {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly longestTask: number;
  readonly tasksOver50: number;
  readonly speed: number;
  readonly framesPerSecond: number;
  readonly inFlight: number;
}

async function statsOf(page: Page, sample: WindowSample): Promise<WindowStats> {
  const sorted = sample.deltas.slice().sort((a, b) => a - b);
  const tasks = await longTasksBetween(page, sample.startMs, sample.endMs);
  const wallMs = sample.endMs - sample.startMs;
  return {
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    longestTask: Math.max(0, ...tasks.map((task) => task.duration)),
    tasksOver50: tasks.filter((task) => task.duration > targets.longTaskMs).length,
    speed: sample.simUs / 1000 / wallMs,
    framesPerSecond: (sample.frames * 1000) / wallMs,
    inFlight: median(sample.inFlight),
  };
}

/** The scalar parts of the page's latest frame (the bulk arrays stay in the page). */
type FrameFacts = Pick<PageFrame, 'timeUs' | 'isPlaying' | 'traceTotal'>;

async function frameOf(page: Page): Promise<FrameFacts | null> {
  return page.evaluate(() => {
    const frame = (window as unknown as BenchWindow).distsim?.frame() ?? null;
    return frame === null
      ? null
      : { timeUs: frame.timeUs, isPlaying: frame.isPlaying, traceTotal: frame.traceTotal };
  });
}

async function waitFor(
  page: Page,
  what: string,
  predicate: (frame: FrameFacts) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const frame = await frameOf(page);
    if (frame !== null && predicate(frame)) return;
    if (performance.now() > deadline) throw new BenchError(`Timed out waiting for ${what}.`);
    await sleep(100);
  }
}

/** Opens the app and waits for the test hook's first frame. */
async function openApp(context: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${baseUrl}/#/leader-election`, { waitUntil: 'load' });
  try {
    await page.waitForFunction(
      () => (window as unknown as BenchWindow).distsim?.frame() != null,
      null,
      { timeout: 30_000 },
    );
  } catch {
    throw new BenchError(
      'The test hook (window.distsim) never showed a frame: is this the e2e build?' +
        (errors.length > 0 ? `\n${errors.join('\n')}` : ''),
    );
  }
  return page;
}

/** Loads a run (seed 1, defaults or `params`) through the test hook at 1x, paused; its node count. */
async function loadScenario(
  page: Page,
  scenarioId: string,
  params: Readonly<Record<string, number>> = {},
): Promise<number> {
  const run = { ...benchMeshRun, scenarioId, params };
  const loaded = await page.evaluate(async (request) => {
    const hook = (window as unknown as BenchWindow).distsim;
    if (hook === undefined) return null;
    const result = await hook.load(request);
    hook.setSpeed(1);
    return result;
  }, run);
  if (loaded?.scenarioId !== scenarioId) {
    throw new BenchError(
      `Loading ${scenarioId} through the test hook gave ${JSON.stringify(loaded)}.`,
    );
  }
  return loaded.nodeIds.length;
}

/** Opens the app and loads bench-mesh; returns the page, paused. */
async function openBenchMesh(context: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await openApp(context, baseUrl);
  detail(`bench-mesh loaded: ${String(await loadScenario(page, 'bench-mesh'))} nodes`);
  return page;
}

/** Presses the toolbar's Play button (the test hook has no play) and waits for playback. */
async function play(page: Page): Promise<void> {
  if ((await frameOf(page))?.isPlaying === true) return;
  const button = page.getByRole('button', { name: 'Play', exact: true });
  try {
    await button.click({ timeout: 10_000 });
  } catch {
    throw new BenchError('No enabled "Play" button was found in the page.');
  }
  await waitFor(page, 'playback to start', (frame) => frame.isPlaying);
}

async function pause(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as BenchWindow).distsim?.pause();
  });
  await waitFor(page, 'playback to stop', (frame) => !frame.isPlaying);
}

async function describeCanvas(page: Page): Promise<string> {
  return page.evaluate(() => {
    const topology = document.querySelector('section.topology, [aria-label="Topology"]');
    if (topology === null) return 'no topology view in the page';
    const canvases = topology.querySelectorAll('canvas');
    const lines = topology.querySelectorAll('svg line, svg path').length;
    const size = Array.from(canvases)
      .map((canvas) => `${String(canvas.width)}x${String(canvas.height)}`)
      .join(', ');
    return canvases.length === 0
      ? `topology view has NO canvas message layer yet (${String(lines)} SVG lines/paths)`
      : `topology view has ${String(canvases.length)} canvas (${size} px) and ` +
          `${String(lines)} SVG lines/paths`;
  });
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

function summarizeWindows(stats: readonly WindowStats[]): string {
  return (
    `p50 ${ms(median(stats.map((s) => s.p50)))}, p95 ${ms(median(stats.map((s) => s.p95)))}, ` +
    `max ${ms(median(stats.map((s) => s.max)))}`
  );
}

/** What one animation window shows: a scenario, playing at 1x or paused after a second. */
interface AnimationCase {
  readonly name: string;
  readonly scenarioId: string;
  readonly params: Readonly<Record<string, number>>;
  readonly isPlaying: boolean;
}

/**
 * The large topology: bench-mesh at its largest (300 nodes, 44,850 links: the largest full mesh
 * the engine's random streams allow for a run of any length, see its README; the target names
 * 1,000 nodes), pinging every 30 ms so that the same 2,000 messages are in flight as at 100
 * nodes: the figure then measures the topology's size, not a heavier load.
 */
const largeMesh = { nodeCount: 300, intervalMs: 30 } as const;

const animationCases: readonly AnimationCase[] = [
  { name: 'bench-mesh playing', scenarioId: 'bench-mesh', params: {}, isPlaying: true },
  { name: 'bench-mesh paused', scenarioId: 'bench-mesh', params: {}, isPlaying: false },
  { name: 'large mesh playing', scenarioId: 'bench-mesh', params: largeMesh, isPlaying: true },
  { name: 'leader-election playing', scenarioId: 'leader-election', params: {}, isPlaying: true },
];

/** The cases held to the targets, each with its own summary line. */
const targetCases = ['bench-mesh playing', 'large mesh playing'] as const;

/**
 * Opens the app in a fresh context, loads the case's scenario, plays one simulated second
 * (bench-mesh reaches its steady state after two latencies, about 200 ms), checks the messages
 * in flight, and pauses again for the paused case. A fresh page per case, so that no case
 * inherits another's history (event log, charts, checkpoints).
 */
async function prepareCase(
  context: BrowserContext,
  baseUrl: string,
  animationCase: AnimationCase,
): Promise<{ page: Page; nodeCount: number; inFlight: number | null }> {
  const page = await openApp(context, baseUrl);
  const nodeCount = await loadScenario(page, animationCase.scenarioId, animationCase.params);
  await play(page);
  // The large mesh takes longer to open and to reach its first simulated second.
  await waitFor(page, 'one simulated second', (frame) => frame.timeUs >= 1_000_000, 120_000);
  let inFlight: number | null = null;
  if (animationCase.scenarioId === 'bench-mesh') {
    inFlight = median((await recordWindow(page, 500)).inFlight);
    if (inFlight < 1_500 || inFlight > 2_500) {
      detail(`WARNING: not about 2,000 messages in flight (${inFlight.toFixed(0)})`);
    }
  }
  if (!animationCase.isPlaying) await pause(page);
  await sleep(500);
  return { page, nodeCount, inFlight };
}

/**
 * Wall time from pressing pause (through the hook) to the first frame that says so, or null
 * after `capMs`: a page that is far behind the worker answers even the benchmark's own calls
 * late, so the cap is a race on this side (the context is closed afterwards anyway).
 */
async function pauseLatency(page: Page, capMs: number): Promise<number | null> {
  const started = performance.now();
  const paused = (async () => {
    await page.evaluate(() => {
      (window as unknown as BenchWindow).distsim?.pause();
    });
    await waitFor(page, 'the pause', (frame) => !frame.isPlaying, capMs);
    return performance.now() - started;
  })();
  // Closing the context rejects the calls still waiting: not an error here.
  paused.catch(() => undefined);
  return Promise.race([paused, sleep(capMs).then(() => null)]);
}

const pauseCapMs = 30_000;

/** The text the toolbar's speed control shows (with the speed reached when it lags). */
async function speedShown(page: Page): Promise<string> {
  return page
    .getByTestId('speed-value')
    .textContent({ timeout: 1_000 })
    .then((text) => text ?? '')
    .catch(() => '?');
}

async function reportAnimation(browser: Browser, baseUrl: string, reps: number): Promise<void> {
  const stats = new Map<string, WindowStats[]>(animationCases.map((c) => [c.name, []]));
  const nodeCounts = new Map<string, number>();
  const pauses: string[] = [];
  const described = new Set<string>();
  // Round r starts with case r mod n (A B C D, B C D A…).
  for (let round = 0; round < reps; round++) {
    for (let k = 0; k < animationCases.length; k++) {
      const animationCase = animationCases[(round + k) % animationCases.length] as AnimationCase;
      const context = await newContext(browser);
      try {
        const { page, nodeCount, inFlight } = await prepareCase(context, baseUrl, animationCase);
        nodeCounts.set(animationCase.name, nodeCount);
        if (animationCase.isPlaying && !described.has(animationCase.name)) {
          described.add(animationCase.name);
          detail(
            `${animationCase.name}: ${String(nodeCount)} nodes; ${await describeCanvas(page)}`,
          );
        }
        const sample = await statsOf(page, await recordWindow(page, windowMs));
        stats.get(animationCase.name)?.push(sample);
        let pause = '';
        if (animationCase.name === 'bench-mesh playing') {
          const latency = await pauseLatency(page, pauseCapMs);
          pause = latency === null ? `> ${seconds(pauseCapMs)}` : seconds(latency);
          pauses.push(pause);
          pause = `; then pause took ${pause}`;
        }
        const shown = animationCase.isPlaying ? `, speed control "${await speedShown(page)}"` : '';
        detail(
          `${animationCase.name.padEnd(23)} round ${String(round + 1)}: p50 ${ms(sample.p50)} ` +
            `p95 ${ms(sample.p95)} max ${ms(sample.max)}, longest task ${ms(sample.longestTask)}, ` +
            `${sample.framesPerSecond.toFixed(0)} worker frames/s, sim at ${sample.speed.toFixed(2)}x` +
            `${shown}, ${sample.inFlight.toFixed(0)} in flight` +
            (inFlight === null ? '' : ` (${inFlight.toFixed(0)} at 1 s simulated)`) +
            pause,
        );
      } finally {
        await context.close();
      }
    }
  }
  const playing = stats.get('bench-mesh playing') ?? [];
  const paused = stats.get('bench-mesh paused') ?? [];
  const reference = stats.get('leader-election playing') ?? [];
  const p95 = median(playing.map((s) => s.p95));
  detail(
    `medians: bench-mesh paused ${summarizeWindows(paused)}; leader-election playing ` +
      `${summarizeWindows(reference)}; bench-mesh playing p95 is ` +
      `${ratio(p95 / median(paused.map((s) => s.p95)))} paused and ` +
      `${ratio(p95 / median(reference.map((s) => s.p95)))} leader-election's`,
  );
  detail(
    `pause after about 8 s of bench-mesh at 1x took ${pauses.join(', ')} ` +
      '(the page handles the frames queued before the paused one first)',
  );
  for (const name of targetCases) {
    const windows = stats.get(name) ?? [];
    const label = `${String(nodeCounts.get(name) ?? '?')} nodes`;
    const p95Case = median(windows.map((s) => s.p95));
    const longest = Math.max(...windows.map((s) => s.longestTask));
    const over = windows.reduce((sum, s) => sum + s.tasksOver50, 0);
    const suffix = name === 'bench-mesh playing' ? '' : '-large';
    line(
      `animation-frames${suffix}`,
      `bench-mesh, ${label} at 1x, ${String(reps)} x 5 s: median ${summarizeWindows(windows)} | ` +
        atMost(p95Case, targets.frameP95Ms, 'ms p95'),
    );
    line(
      `animation-long-tasks${suffix}`,
      `${label}: longest main-thread task ${ms(longest)}, ${String(over)} over 50 ms | ` +
        `target none over ${String(targets.longTaskMs)} ms: ${over === 0 ? 'met' : 'MISSED'} ` +
        `(${ratio(longest / targets.longTaskMs)} the limit)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Transport

async function reportAppTransport(browser: Browser, baseUrl: string, reps: number): Promise<void> {
  const context = await newContext(browser);
  try {
    const page = await openBenchMesh(context, baseUrl);
    await page.evaluate(() => {
      (window as unknown as BenchWindow).distsim?.setSpeed(1000);
    });
    await play(page);
    await sleep(1_000);
    const received: number[] = [];
    const produced: number[] = [];
    const framesPerSecond: number[] = [];
    let longest = 0;
    for (let i = 0; i < reps; i++) {
      const sample = await recordWindow(page, 1_000);
      const seconds = (sample.endMs - sample.startMs) / 1000;
      received.push(sample.traceEvents / seconds / 1e6);
      produced.push(sample.traceTotal / seconds / 1e6);
      framesPerSecond.push(sample.frames / seconds);
      const tasks = await longTasksBetween(page, sample.startMs, sample.endMs);
      longest = Math.max(longest, ...tasks.map((task) => task.duration));
    }
    const rate = median(received);
    detail(
      `app worker -> page while bench-mesh plays at 1000x, ${String(reps)} windows of 1 s: ` +
        `received ${list(
          received.map((r) => r * 1000),
          0,
        )} k events/s in ${median(framesPerSecond).toFixed(0)} frames/s; the engine recorded ` +
        `${mevents(median(produced))} (trace total), longest main-thread task ${ms(longest)}`,
    );
    line(
      'transport-app',
      `${mevents(rate)} trace events received by the page (engine-bound, see the micro-benchmark) | ` +
        atLeast(rate, targets.transportMevents, 'M events/s'),
    );
  } finally {
    await context.close();
  }
}

/*
 * The throwaway worker of the micro-benchmark, as source text for a Blob URL. Batches have the
 * app's PackedTrace layout: times, values and message ids as Float64Array, [type|label, node,
 * peer] as an Int32Array of three per event, and a small label table. At most `window` batches
 * are unacknowledged at once (the page acknowledges each; in the pooled mode the acknowledgement
 * carries the buffers back). Modes:
 *   pooled   packed, transferred, buffers reused from a pool (the page returns them)
 *   fresh    packed, transferred, newly allocated for every batch (what frames.ts does today)
 *   copied   packed, structured-cloned (copied), no transfer list
 *   objects  an array of plain TraceEvent-like objects, structured-cloned
 * Filling the batch is timed in every mode: the worker has to produce what it sends.
 */
const microWorkerSource = `
const labels = ['ping', 'pong', 'ping-timer', 'note', 'restart', 'drop', 'state', 'fault'];
const types = ['message.sent', 'message.delivered', 'timer.fired', 'node.state',
  'message.dropped', 'note.added', 'node.crashed', 'node.restarted'];
const pool = [];
let copySet = null;
let job = null;
const makeSet = (n) => ({
  times: new Float64Array(n), values: new Float64Array(n),
  messageIds: new Float64Array(n), ints: new Int32Array(n * 3),
});
const fill = (set, first) => {
  const { times, values, messageIds, ints } = set;
  for (let i = 0; i < times.length; i++) {
    const k = first + i;
    times[i] = k * 7;
    values[i] = k & 1023;
    messageIds[i] = k;
    ints[3 * i] = ((k & 7) << 16) | (k & 7);
    ints[3 * i + 1] = k % 100;
    ints[3 * i + 2] = (k * 31) % 100;
  }
  return set;
};
const fillObjects = (n, first) => {
  const events = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = first + i;
    events[i] = { index: k, timeUs: k * 7, type: types[k & 7], node: k % 100,
      peer: (k * 31) % 100, messageId: k, label: labels[k & 7], value: k & 1023 };
  }
  return events;
};
const buffersOf = (set) => [set.times.buffer, set.values.buffer, set.messageIds.buffer, set.ints.buffer];
const pump = () => {
  while (job.sent < job.batches && job.pending < job.window) {
    const first = job.sent * job.size;
    if (job.mode === 'objects') {
      postMessage({ firstIndex: first, events: fillObjects(job.size, first) });
    } else if (job.mode === 'copied') {
      const set = fill(copySet, first);
      postMessage({ firstIndex: first, ...set, labels });
    } else {
      const set = fill(job.mode === 'pooled' ? pool.pop() : makeSet(job.size), first);
      postMessage({ firstIndex: first, ...set, labels }, buffersOf(set));
    }
    job.sent += 1;
    job.pending += 1;
  }
};
onmessage = (event) => {
  const message = event.data;
  if (message.cmd === 'run') {
    job = { ...message, sent: 0, pending: 0 };
    while (pool.length < job.window) pool.push(makeSet(job.size));
    if (copySet === null) copySet = makeSet(job.size);
    pump();
  } else {
    job.pending -= 1;
    if (message.times !== undefined) pool.push(message);
    pump();
  }
};`;

type MicroMode = 'pooled' | 'fresh' | 'copied' | 'objects';

interface MicroResult {
  readonly ms: number;
  readonly events: number;
  readonly checksum: number;
}

const microBatchSize = 10_000;
const microBatches: Readonly<Record<MicroMode, number>> = {
  pooled: 300,
  fresh: 300,
  copied: 300,
  objects: 40,
};

async function microRun(page: Page, mode: MicroMode): Promise<MicroResult> {
  return page.evaluate(
    ({ mode: runMode, batches, size }) =>
      new Promise<MicroResult>((resolvePromise, reject) => {
        const holder = window as unknown as { __microWorker?: Worker };
        const worker = holder.__microWorker;
        if (worker === undefined) {
          reject(new Error('no micro-benchmark worker'));
          return;
        }
        let received = 0;
        let events = 0;
        let checksum = 0;
        worker.onmessage = (event: MessageEvent) => {
          const data = event.data as {
            events?: { timeUs: number }[];
            times?: Float64Array;
            values?: Float64Array;
            messageIds?: Float64Array;
            ints?: Int32Array;
          };
          if (data.events !== undefined) {
            events += data.events.length;
            checksum += data.events[data.events.length - 1]?.timeUs ?? 0;
            worker.postMessage({ cmd: 'ack' });
          } else if (data.times !== undefined) {
            events += data.times.length;
            checksum += data.times[data.times.length - 1] ?? 0;
            if (runMode === 'pooled') {
              const { times, values, messageIds, ints } = data;
              worker.postMessage({ cmd: 'ack', times, values, messageIds, ints }, [
                times.buffer,
                ...(values === undefined ? [] : [values.buffer]),
                ...(messageIds === undefined ? [] : [messageIds.buffer]),
                ...(ints === undefined ? [] : [ints.buffer]),
              ]);
            } else worker.postMessage({ cmd: 'ack' });
          }
          received += 1;
          if (received === batches) {
            resolvePromise({ ms: performance.now() - started, events, checksum });
          }
        };
        const started = performance.now();
        worker.postMessage({ cmd: 'run', mode: runMode, batches, size, window: 4 });
      }),
    { mode, batches: microBatches[mode], size: microBatchSize },
  );
}

async function reportMicroTransport(browser: Browser, reps: number): Promise<void> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto('about:blank');
    await page.evaluate((source) => {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      (window as unknown as { __microWorker?: Worker }).__microWorker = new Worker(url);
    }, microWorkerSource);
    const modes: readonly MicroMode[] = ['pooled', 'fresh', 'copied', 'objects'];
    const rates = new Map<MicroMode, number[]>(modes.map((mode) => [mode, []]));
    const checksums = new Map<MicroMode, number>();
    // One warm-up round, then `reps` rounds; the first mode of a round rotates.
    for (let round = 0; round <= reps; round++) {
      for (let k = 0; k < modes.length; k++) {
        const mode = modes[(round + k) % modes.length] as MicroMode;
        const result = await microRun(page, mode);
        const expected = microBatches[mode] * microBatchSize;
        if (result.events !== expected) {
          throw new BenchError(
            `${mode}: received ${String(result.events)} of ${String(expected)}.`,
          );
        }
        const previous = checksums.get(mode);
        if (previous !== undefined && previous !== result.checksum) {
          throw new BenchError(`${mode}: the data differed between rounds.`);
        }
        checksums.set(mode, result.checksum);
        if (round > 0) rates.get(mode)?.push(result.events / result.ms / 1000);
      }
    }
    const rateOf = (mode: MicroMode) => median(rates.get(mode) ?? []);
    const names: Readonly<Record<MicroMode, string>> = {
      pooled: 'packed, transferred, pooled buffers',
      fresh: 'packed, transferred, new buffers each batch (as frames.ts)',
      copied: 'packed, structured-cloned (copied)',
      objects: 'plain objects, structured-cloned',
    };
    for (const mode of modes) {
      detail(
        `${names[mode]}: median ${mevents(rateOf(mode))} ` +
          `(${list(rates.get(mode) ?? [], 1)}; ${String(microBatches[mode])} x 10k events a run)`,
      );
    }
    const objects = rateOf('objects');
    line(
      'transport-packed',
      `${mevents(rateOf('pooled'))} pooled, ${mevents(rateOf('fresh'))} new buffers; ` +
        `${ratio(rateOf('pooled') / objects)} and ${ratio(rateOf('fresh') / objects)} plain objects ` +
        `(${mevents(objects)}) | ` +
        atLeast(rateOf('pooled'), targets.transportMevents, 'M events/s'),
    );
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Main

// ---------------------------------------------------------------------------------------------
// Seek

/** Seek targets spread over the run and visited out of order (whole milliseconds, as the
 * scrubber's step is 1 ms): a fixed permutation so every run measures the same jumps. */
function seekTargets(count: number): number[] {
  const targets: number[] = [];
  for (let i = 0; i < count; i++) {
    // 7 is coprime with 24 and most counts: jumps alternate between far back and far ahead.
    const slot = (i * 7) % count;
    targets.push(Math.round(((slot + 0.5) * seekRunUs) / count / 1000) * 1000);
  }
  return targets;
}

/**
 * Times one way of reaching `targetUs` in the page, until the page has drawn that moment (the
 * frame of that time is held and two animation frames have passed): moving the scrubber
 * (`scrub`), or opening the run at that time from scratch, which replays from 0 (`replay`).
 */
function timeToMoment(
  page: Page,
  way: 'scrub' | 'replay',
  targetUs: number,
  run: unknown = null,
): Promise<number> {
  return page.evaluate(
    async ({ how, target, request }) => {
      const hook = (window as unknown as BenchWindow).distsim;
      if (hook === undefined) return -1;
      const started = performance.now();
      if (how === 'replay') {
        await hook.load(request, target);
      } else {
        const input = document.querySelector<HTMLInputElement>(
          'input[aria-label="Simulated time"]',
        );
        // React tracks the value it set; the prototype's setter makes the change look like a user's.
        const valueProperty = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
        if (input === null || valueProperty?.set === undefined) return -1;
        // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to the input just below
        const setValue = valueProperty.set;
        Reflect.apply(setValue, input, [String(target)]);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (hook.frame()?.timeUs === target) {
            requestAnimationFrame(() => {
              requestAnimationFrame(() => {
                resolve();
              });
            });
          } else requestAnimationFrame(check);
        };
        check();
      });
      return performance.now() - started;
    },
    { how: way, target: targetUs, request: run },
  );
}

async function reportSeek(browser: Browser, baseUrl: string, reps: number): Promise<void> {
  const context = await newContext(browser);
  try {
    const page = await openApp(context, baseUrl);
    const run = { ...benchMeshRun, scenarioId: 'leader-election' };
    const playedMs = await page.evaluate(
      async ({ request, untilUs }) => {
        const hook = (
          window as unknown as BenchWindow & {
            distsim?: { step(mode: unknown): Promise<number> };
          }
        ).distsim;
        if (hook === undefined) return -1;
        await hook.load(request);
        const started = performance.now();
        await hook.step({ kind: 'until', timeUs: untilUs });
        return performance.now() - started;
      },
      { request: run, untilUs: seekRunUs },
    );
    await waitFor(page, 'the run to reach 10 minutes', (frame) => frame.timeUs === seekRunUs);
    detail(`leader-election run to 600 s simulated in ${seconds(playedMs)}`);
    const seekTimes = seekTargets(Math.max(24, reps * 8));
    const scrubs: number[] = [];
    const replays: number[] = [];
    for (const [index, target] of seekTimes.entries()) {
      const scrub = await timeToMoment(page, 'scrub', target);
      if (scrub < 0) throw new BenchError('The page has no timeline scrubber or test hook.');
      scrubs.push(scrub);
      // A replay from 0 every third target (it is slow): the peer, interleaved in the same page.
      if (index % 3 === 0) {
        replays.push(await timeToMoment(page, 'replay', target, run));
        // Back to the full run for the next scrub.
        await timeToMoment(page, 'replay', seekRunUs, run);
      }
    }
    const sortedScrubs = [...scrubs].sort((a, b) => a - b);
    const scrubMedian = median(scrubs);
    const replayMedian = median(replays);
    line(
      'seek',
      `median ${ms(scrubMedian)}, p95 ${ms(quantile(sortedScrubs, 0.95))}, ` +
        `max ${ms(sortedScrubs[sortedScrubs.length - 1] ?? Number.NaN)} over ${String(scrubs.length)} scrubs; ` +
        atMost(quantile(sortedScrubs, 0.95), targets.seekMs, 'ms (p95)'),
    );
    detail(
      `peer: opening the run at the same time by replaying from 0, median ${ms(replayMedian)} ` +
        `over ${String(replays.length)}; scrubbing is ${ratio(replayMedian / scrubMedian)} faster`,
    );
    detail(`scrubs (ms, in order): ${list(scrubs)}`);
  } finally {
    await context.close();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    if (options !== '') console.error(options);
    console.log(usage);
    return options === '' ? 0 : 2;
  }
  const wants = (name: FigureName) => options.figures.includes(name);
  const needsBrowser = options.figures.some((name) => name !== 'bundle');
  const executablePath = existsSync(systemChromium) ? systemChromium : undefined;
  console.log(
    `bench:browser: Node ${process.version}, ${String(cpus().length)} cores ` +
      `(load average ${loadavg()[0]?.toFixed(1) ?? '?'}), ` +
      `Chromium ${executablePath ?? "(Playwright's own)"}, figures: ${options.figures.join(' ')}`,
  );
  if (needsBrowser) await checkPortFree(options.port);

  const productionMs = await build('production', [], productionDir);
  const e2eMs = await build('e2e', ['--mode', 'e2e'], e2eDir);
  console.log(
    `built ${relative(root, productionDir)} (vite build) in ${(productionMs / 1000).toFixed(1)} s ` +
      `and ${relative(root, e2eDir)} (vite build --mode e2e) in ${(e2eMs / 1000).toFixed(1)} s`,
  );

  let failures = 0;
  let isStopping = false;
  const sectionSeconds: string[] = [];
  const attempt = async (name: string, run: () => Promise<void> | void): Promise<void> => {
    const started = performance.now();
    try {
      await run();
    } catch (error) {
      failures += 1;
      if (isStopping) return;
      // Playwright's messages go on with the browser's whole log: its first lines say enough.
      const text =
        error instanceof BenchError
          ? error.message
          : (error instanceof Error ? error.message : String(error))
              .split('\n')
              .slice(0, 6)
              .join('\n');
      line(name, `FAILED: ${text}`);
    } finally {
      sectionSeconds.push(`${name} ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  };

  if (wants('bundle')) await attempt('bundle', reportBundle);
  if (!needsBrowser) {
    console.log(`wall time per section: ${sectionSeconds.join(', ')}`);
    return failures === 0 ? 0 : 1;
  }

  let preview: Preview | null = null;
  let browser: Browser | null = null;
  const cleanUp = async () => {
    const open = browser;
    browser = null;
    await open?.close().catch(() => undefined);
    if (preview !== null) await stopPreview(preview);
  };
  // Playwright's own signal handlers would exit before the preview server is stopped, so they
  // are off (handleSIGINT: false…) and these close the browser and stop the server instead.
  const onSignal = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    console.error(`\n${signal}: stopping the browser and the preview server.`);
    void cleanUp().finally(() => process.exit(130));
  };
  // Last resort, synchronous: never leave the server running behind us.
  const onExit = () => {
    if (preview !== null) signalPreview(preview, 'SIGKILL');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', onExit);
  try {
    await checkPortFree(options.port);
    preview = spawnPreview(options.port, e2eDir);
    await waitUntilServing(preview, options.port);
    const launched = await chromium.launch({
      headless: true,
      args: ['--no-sandbox'],
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      ...(executablePath === undefined ? {} : { executablePath }),
    });
    browser = launched;
    console.log(`serving the e2e build on ${preview.url}; Chromium ${launched.version()} headless`);
    const baseUrl = preview.url;
    if (wants('first-frame')) {
      await attempt('first-frame', () => reportFirstFrame(launched, baseUrl, options.reps ?? 5));
    }
    if (wants('animation')) {
      await attempt('animation', () => reportAnimation(launched, baseUrl, options.reps ?? 3));
    }
    if (wants('transport')) {
      await attempt('transport-app', () =>
        reportAppTransport(launched, baseUrl, options.reps ?? 5),
      );
      await attempt('transport-packed', () => reportMicroTransport(launched, options.reps ?? 5));
    }
    if (wants('seek')) {
      await attempt('seek', () => reportSeek(launched, baseUrl, options.reps ?? 3));
    }
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', onExit);
  }
  console.log(`wall time per section: ${sectionSeconds.join(', ')}`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof BenchError ? error.message : error);
    process.exitCode = 1;
  },
);
