// `npm test`: every check the project has, in order, with one summary line at the end.
//
// Each step streams its own output live under a header. A failed step does not stop the run, so
// the summary always covers everything; the exit code is non-zero if any step failed. The last
// line printed is `N passed, N failed`: tests counted from the vitest and Playwright JSON
// reports, plus 1 failure for each static step (typecheck, lint, format) that failed and for each
// runner that failed without a report to count from. Only Node built-ins are used here.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportsDirectory = path.join(root, 'reports');
const vitestReport = path.join(reportsDirectory, 'vitest.json');
const playwrightReport = path.join(reportsDirectory, 'playwright.json');
const isWindows = process.platform === 'win32';

/**
 * `kind` decides how a step is counted: `static` counts 1 failure when it fails, `setup` counts
 * nothing (its failure shows up in the runner it was preparing), `runner` counts its tests.
 */
const steps = [
  { name: 'typecheck', kind: 'static', bin: 'tsc', args: ['-b'] },
  { name: 'lint', kind: 'static', bin: 'eslint', args: ['.', '--max-warnings', '0'] },
  { name: 'format', kind: 'static', bin: 'prettier', args: ['--check', '.'] },
  {
    name: 'unit tests (vitest)',
    kind: 'runner',
    bin: 'vitest',
    args: ['run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json'],
    report: vitestReport,
    count: countVitest,
  },
  {
    name: 'browser for e2e',
    kind: 'setup',
    command: process.execPath,
    args: [path.join('scripts', 'ensure-browser.mjs')],
  },
  {
    name: 'e2e tests (playwright)',
    kind: 'runner',
    bin: 'playwright',
    args: ['test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: 'reports/playwright.json' },
    report: playwrightReport,
    count: countPlaywright,
    needs: 'browser for e2e',
  },
];

/** @param {{ numPassedTests?: unknown, numFailedTests?: unknown }} report */
function countVitest(report) {
  return { passed: asCount(report.numPassedTests), failed: asCount(report.numFailedTests) };
}

/** Playwright: `expected` passed, `flaky` passed on a retry, `unexpected` failed. */
function countPlaywright(report) {
  const stats = report.stats ?? {};
  return {
    passed: asCount(stats.expected) + asCount(stats.flaky),
    failed: asCount(stats.unexpected),
  };
}

function asCount(value) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`expected a test count, got ${JSON.stringify(value)}`);
  }
  return value;
}

let interrupted = false;
let current = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The child usually got the same Ctrl+C from the terminal; pass it on in case it did not,
    // and run nothing after it.
    interrupted = true;
    current?.kill(signal);
  });
}

function run(step) {
  const command = step.command ?? path.join(root, 'node_modules', '.bin', step.bin);
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(isWindows && step.bin ? `"${command}.cmd"` : command, step.args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...step.env },
      shell: isWindows && Boolean(step.bin),
    });
    current = child;
    child.on('error', (error) => {
      console.error(`test-all: could not start ${command}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      current = null;
      resolve({ code: code ?? 1, signal, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function header(text) {
  const line = `=== ${text} `;
  console.log(`\n${line}${'='.repeat(Math.max(3, 78 - line.length))}`);
}

mkdirSync(reportsDirectory, { recursive: true });
const results = [];
for (const [index, step] of steps.entries()) {
  const shown = [step.bin ?? 'node', ...step.args].join(' ');
  const title = `[${index + 1}/${steps.length}] ${step.name}: ${shown}`;
  if (interrupted) {
    results.push({ step, status: 'skipped', note: 'interrupted', passed: 0, failed: 0 });
    continue;
  }
  const prerequisite = results.find((result) => result.step.name === step.needs);
  header(title);
  if (prerequisite && prerequisite.status !== 'ok') {
    console.log(`skipped: "${step.needs}" failed`);
  }
  // A report left over from an earlier run must not be counted as this run's.
  if (step.report) rmSync(step.report, { force: true });
  const outcome =
    prerequisite && prerequisite.status !== 'ok'
      ? { code: 1, signal: null, seconds: undefined, skipped: true }
      : await run(step);
  results.push(judge(step, outcome));
}

function judge(step, outcome) {
  const ok = outcome.code === 0 && !outcome.signal;
  const base = { step, seconds: outcome.seconds, status: ok ? 'ok' : 'failed' };
  const exit = outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.code}`;
  if (step.kind === 'static') return { ...base, passed: 0, failed: ok ? 0 : 1, note: exit };
  if (step.kind === 'setup') return { ...base, passed: 0, failed: 0, note: exit };
  const report = outcome.skipped ? undefined : readReport(step.report);
  let counts;
  try {
    counts = report === undefined ? undefined : step.count(report);
  } catch (error) {
    console.error(`test-all: ${path.relative(root, step.report)}: ${error.message}`);
  }
  if (!counts) {
    const why = outcome.skipped ? `not run ("${step.needs}" failed)` : `no report, ${exit}`;
    const note = `${why}, counted as 1 failed`;
    return { ...base, status: 'failed', passed: 0, failed: 1, note };
  }
  // A runner can fail with no failed test (a test file that does not load, a web server that
  // does not start, an unhandled error). Count that as one failure so the summary line never
  // says "0 failed" while the exit code says otherwise.
  const failed = !ok && counts.failed === 0 ? 1 : counts.failed;
  const counted = failed === counts.failed ? '' : ' (counted as 1 failed)';
  const note = `${counts.passed} passed, ${counts.failed} failed, ${exit}${counted}`;
  return { ...base, passed: counts.passed, failed, note };
}

header('summary');
for (const result of results) {
  const seconds = result.seconds === undefined ? '' : ` in ${result.seconds.toFixed(1)} s`;
  const status = result.status.padEnd(7);
  console.log(`${status} ${result.step.name.padEnd(24)} ${result.note}${seconds}`);
}
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
const anyFailed = results.some((result) => result.status !== 'ok');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = anyFailed || failed > 0 || interrupted ? 1 : 0;
