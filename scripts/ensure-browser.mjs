// Makes sure Playwright has a Chromium to drive before the e2e suite starts (STACK.md §3, P7).
//
// The order mirrors playwright.config.ts: a system Chromium (PW_CHROMIUM_PATH, else
// /usr/bin/chromium) wins; otherwise Playwright's own download is used, and we fetch it if it is
// missing. Setting PW_CHROMIUM_PATH to an empty string forces Playwright's own browser.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const systemChromium = process.env.PW_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless runs launch Playwright's "headless shell", a separate download from the full Chromium
 * that `chromium.executablePath()` names. Both sit side by side in the browser cache as
 * `chromium-<revision>` and `chromium_headless_shell-<revision>`, and Playwright writes an
 * INSTALLATION_COMPLETE marker into each once it is unpacked. We look for the shell's marker and
 * fall back to the full browser's executable if the cache layout is not the one we expect.
 */
function bundledChromiumIsInstalled() {
  const executable = chromium.executablePath();
  const parts = executable.split(path.sep);
  const index = parts.findIndex((part) => /^chromium-\d+$/.test(part));
  if (index === -1) return existsSync(executable);
  const cacheDirectory = parts.slice(0, index).join(path.sep) || path.sep;
  const revision = (parts[index] ?? '').slice('chromium-'.length);
  const shellDirectory = path.join(cacheDirectory, `chromium_headless_shell-${revision}`);
  return existsSync(path.join(shellDirectory, 'INSTALLATION_COMPLETE'));
}

function fail(reason) {
  console.error(
    [
      '',
      `ensure-browser: ${reason}`,
      'The end-to-end tests need Chromium. Either:',
      '  - install a system one:  sudo apt-get update && sudo apt-get install -y chromium',
      '    (it is picked up from /usr/bin/chromium), or',
      '  - point PW_CHROMIUM_PATH at a Chromium or Chrome executable, or',
      "  - on a machine that can reach Playwright's download host: npx playwright install chromium",
      '',
    ].join('\n'),
  );
  process.exit(1);
}

if (systemChromium !== '' && existsSync(systemChromium)) {
  console.log(`ensure-browser: using system Chromium at ${systemChromium}`);
} else if (bundledChromiumIsInstalled()) {
  console.log("ensure-browser: using Playwright's own Chromium");
} else {
  if (systemChromium !== '' && process.env.PW_CHROMIUM_PATH !== undefined) {
    console.warn(`ensure-browser: PW_CHROMIUM_PATH=${systemChromium} does not exist; ignoring it`);
  }
  console.log(
    "ensure-browser: no Chromium found; downloading Playwright's (playwright install chromium)…",
  );
  // The local binary is what `npx playwright` would run; calling it directly avoids npx asking
  // the registry for anything.
  const isWindows = process.platform === 'win32';
  const binary = path.join(
    root,
    'node_modules',
    '.bin',
    isWindows ? 'playwright.cmd' : 'playwright',
  );
  const result = spawnSync(binary, ['install', 'chromium'], {
    cwd: root,
    stdio: 'inherit',
    shell: isWindows,
  });
  if (result.error) fail(`could not run ${binary}: ${result.error.message}`);
  if (result.status !== 0 || !bundledChromiumIsInstalled()) {
    fail("downloading Playwright's Chromium failed (is its download host reachable?).");
  }
  console.log("ensure-browser: Playwright's Chromium is installed");
}
