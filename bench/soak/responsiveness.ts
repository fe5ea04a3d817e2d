import type { Page } from 'playwright-core';
import type { AppSession } from './app.ts';
import { profileMainThread } from './profile.ts';
import { type PartOutcome, quantile, say, spread } from './report.ts';

/*
 * Part 5: the page's main thread while the worker runs a scenario flat out (1000x, the top
 * speed: every slice spends its whole wall budget simulating). Measured in the page:
 * requestAnimationFrame intervals, long tasks (PerformanceObserver 'longtask') and input delay,
 * the time from a keydown or click the browser dispatched (its event timestamp) to the first
 * handler that sees it, for key presses and clicks sent every 250 ms during the window (the
 * speed at the window's end is printed, so a change of speed during it would show).
 *
 * The page counts as responsive when it answers input in time (p95 input delay of key presses and
 * clicks at most `inputP95MsMax`, the 100 ms within which a response feels immediate) and long
 * tasks fill at most `longTaskShareMax` of the window; a miss fails the soak. Whether the
 * animation is smooth (p95 frame interval at most `frameP95MsMax`) is judged and printed
 * separately and does not fail it: on the 2,000-message, 10,000-link bench-mesh, painting is the
 * known limit (bench/README.md, animation).
 */

const inputP95MsMax = 100;
const frameP95MsMax = 50;
const longTaskShareMax = 0.5;
const inputEveryMs = 250;
const scenarioIds = ['bench-mesh', 'leader-election'] as const;

/** Installed before the app: long tasks and input delays into `window.__soak`. */
const watchScript = `(() => {
  const soak = { longTasks: [], inputDelays: [] };
  globalThis.__soak = soak;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) soak.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  for (const type of ['keydown', 'click'])
    addEventListener(type, (event) => {
      if (event.isTrusted) soak.inputDelays.push({ type, ms: performance.now() - event.timeStamp });
    }, { capture: true });
})();`;

interface SoakWindow {
  readonly __soak: {
    readonly longTasks: { readonly start: number; readonly duration: number }[];
    readonly inputDelays: { readonly type: string; readonly ms: number }[];
  };
}

interface Recording {
  readonly startMs: number;
  readonly endMs: number;
  readonly deltas: number[];
  readonly simulatedUs: number;
  readonly events: number;
  readonly speed: number;
}

/** requestAnimationFrame intervals for `durationMs`, with how far the run moved meanwhile. */
function recordFrames(page: Page, durationMs: number): Promise<Recording> {
  return page.evaluate(
    (duration) =>
      new Promise<Recording>((done) => {
        const hook = window.distsim;
        const first = hook?.frame() ?? null;
        const deltas: number[] = [];
        let previous = -1;
        let startMs = 0;
        const tick = (now: number): void => {
          if (previous < 0) startMs = now;
          else deltas.push(now - previous);
          previous = now;
          if (now - startMs < duration) {
            requestAnimationFrame(tick);
            return;
          }
          const last = hook?.frame() ?? null;
          done({
            startMs,
            endMs: now,
            deltas,
            simulatedUs: (last?.timeUs ?? 0) - (first?.timeUs ?? 0),
            events: (last?.eventCount ?? 0) - (first?.eventCount ?? 0),
            speed: last?.speed ?? 0,
          });
        };
        requestAnimationFrame(tick);
      }),
    durationMs,
  );
}

/**
 * Presses "x" (no shortcut: the app's key handler looks and passes) and clicks the heading, in
 * turn. Not "+": the toolbar keeps its own copy of the speed, so "faster" would start from the
 * speed it last saw, not the 1000x set through the test hook, and slow the run down.
 */
async function sendInputs(page: Page, untilMs: number): Promise<void> {
  for (let i = 0; performance.now() < untilMs; i++) {
    if (i % 2 === 0) await page.keyboard.press('x');
    else await page.getByRole('heading', { level: 1 }).click();
    await new Promise((done) => setTimeout(done, inputEveryMs));
  }
}

async function playFlatOut(page: Page, scenarioId: string): Promise<void> {
  await page.evaluate(async (id) => {
    const hook = window.distsim;
    await hook?.load({ scenarioId: id, seed: 1, variant: 'pattern', params: {}, commands: [] });
    hook?.setSpeed(1000);
  }, scenarioId);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.distsim?.frame()?.isPlaying === true);
}

async function measure(app: AppSession, scenarioId: string, seconds: number): Promise<string[]> {
  const page = await app.openPage(watchScript);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await playFlatOut(page, scenarioId);
    const durationMs = seconds * 1000;
    const [recording] = await Promise.all([
      recordFrames(page, durationMs),
      sendInputs(page, performance.now() + durationMs - inputEveryMs),
    ]);
    const { longTasks, inputDelays } = await page.evaluate(
      () => (window as unknown as SoakWindow).__soak,
    );
    const inWindow = longTasks.filter(
      (task) => task.start + task.duration >= recording.startMs && task.start <= recording.endMs,
    );
    const wallMs = recording.endMs - recording.startMs;
    const longMs = inWindow.reduce((sum, task) => sum + task.duration, 0);
    const sorted = [...recording.deltas].sort((a, b) => a - b);
    const p95 = quantile(sorted, 0.95);
    say(
      'responsiveness',
      `${scenarioId} at 1000x for ${(wallMs / 1000).toFixed(1)} s: ${(recording.events / (wallMs / 1000) / 1e6).toFixed(2)} M events/s simulated, ${(recording.simulatedUs / 1000 / wallMs).toFixed(0)}x real time`,
    );
    say('responsiveness', `  animation frames: ${spread(recording.deltas)}`);
    say(
      'responsiveness',
      `  long tasks: ${inWindow.length}, ${longMs.toFixed(0)} ms in all (${((longMs / wallMs) * 100).toFixed(1)}% of the window), longest ${Math.max(0, ...inWindow.map((task) => task.duration)).toFixed(0)} ms`,
    );
    for (const type of ['keydown', 'click'])
      say(
        'responsiveness',
        `  input delay, ${type}: ${spread(inputDelays.filter((delay) => delay.type === type).map((delay) => delay.ms))}`,
      );
    const inputP95 = Math.max(
      ...['keydown', 'click'].map((type) =>
        quantile(
          inputDelays
            .filter((delay) => delay.type === type)
            .map((delay) => delay.ms)
            .sort((a, b) => a - b),
          0.95,
        ),
      ),
    );
    const isResponsive = inputP95 <= inputP95MsMax && longMs <= wallMs * longTaskShareMax;
    const isSmooth = p95 <= frameP95MsMax;
    say(
      'responsiveness',
      `  ${isResponsive ? 'responsive' : 'NOT RESPONSIVE'} (rule: p95 input delay <= ${inputP95MsMax} ms and long tasks <= ${longTaskShareMax * 100}% of the time); ` +
        `animation ${isSmooth ? 'smooth' : 'NOT SMOOTH'} (p95 frame interval ${p95.toFixed(1)} ms; target <= ${frameP95MsMax} ms, reported, not failed)`,
    );
    const failures = pageErrors.map((error) => `${scenarioId}: page error: ${error}`);
    if (!isResponsive || !isSmooth) await explain(page);
    if (!isResponsive)
      failures.push(
        `${scenarioId} at 1000x: p95 input delay ${inputP95.toFixed(1)} ms, long tasks ${longMs.toFixed(0)} ms of ${wallMs.toFixed(0)} ms; reproduce: npm run soak -- --part responsiveness`,
      );
    return failures;
  } finally {
    await page.context().close();
  }
}

/** Prints where the main thread spends its time over a further profiled window. */
async function explain(page: Page): Promise<void> {
  const windowMs = 5_000;
  const spots = await profileMainThread(page, windowMs, 12);
  say(
    'responsiveness',
    `  main thread over a further ${windowMs / 1000} s, CPU profile, self time by function:`,
  );
  for (const spot of spots)
    say(
      'responsiveness',
      `    ${spot.selfMs.toFixed(0).padStart(6)} ms (${((spot.selfMs / windowMs) * 100).toFixed(1)}%)  ${spot.where}`,
    );
}

/** Measures the main thread for `seconds` while each scenario plays flat out. */
export async function soakResponsiveness(app: AppSession, seconds: number): Promise<PartOutcome> {
  const failures: string[] = [];
  for (const scenarioId of scenarioIds) failures.push(...(await measure(app, scenarioId, seconds)));
  return { failures };
}
