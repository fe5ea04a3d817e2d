import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium when present (Playwright's own download is unreachable on our machines,
// STACK.md P7); Playwright's bundled Chromium otherwise. PW_CHROMIUM_PATH picks another
// executable, and an empty PW_CHROMIUM_PATH forces the bundled one (e.g. where /usr/bin/chromium
// is a snap wrapper). scripts/ensure-browser.mjs makes the same choice before the suite runs.
const systemChromium = process.env.PW_CHROMIUM_PATH ?? '/usr/bin/chromium';
const useSystemChromium = systemChromium !== '' && existsSync(systemChromium);
const isCI = Boolean(process.env.CI);

// PW_PORT and PW_OUT_DIR let several people run specs on one machine at once without sharing a
// server or a build directory; the defaults are what `npm test` and CI use.
const port = Number(process.env.PW_PORT ?? 4173);
const outDir = process.env.PW_OUT_DIR ?? 'dist';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  ...(isCI ? { workers: 1 } : {}),
  // The html reporter would otherwise open and serve the report on failure, blocking a scripted
  // run (STACK.md P11).
  reporter: isCI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // A laptop's usable height with the space-time diagram under the topology; at 720 px the
        // 15-node CQRS topology gets too cramped to click reliably.
        viewport: { width: 1280, height: 900 },
        ...(useSystemChromium
          ? {
              launchOptions: {
                executablePath: systemChromium,
                // Playwright adds most of these itself; they are repeated so that a change in its
                // defaults does not make the system browser reach for the network (STACK.md P8).
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                  '--no-first-run',
                ],
              },
            }
          : {}),
      },
    },
  ],
  // The suite runs against the production build, served the way `npm start` serves it. 127.0.0.1
  // rather than localhost, so IPv6 cannot get in the way; --strictPort so a busy port fails
  // loudly (STACK.md P10).
  webServer: {
    command: `npx vite build --mode e2e --outDir ${outDir} && npx vite preview --outDir ${outDir} --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: !isCI,
    timeout: 120_000,
  },
});
