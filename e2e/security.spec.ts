import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { RunDescription } from '../src/engine/types.ts';
import { getScenario, scenarios } from '../src/scenarios/registry.ts';
import { encodeShareLink } from '../src/worker/shareLink.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/*
 * The built page's Content Security Policy, its network use, and untrusted strings: everything a
 * share link carries must reach the page as text, never as markup.
 */

const buildDir = path.resolve(import.meta.dirname, '..', process.env.PW_OUT_DIR ?? 'dist');

declare global {
  interface Window {
    /** Every CSP violation the page reported, recorded from before the app's first script. */
    cspViolations?: string[];
    /** Set by the payloads below if the browser ever ran them. */
    payloadRan?: number;
  }
}

/** Records CSP violations from the very start of every document the page opens. */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => window.cspViolations ?? ['the violation listener was not installed']);
}

test('the built page carries the expected policy and no inline script', async ({ page }) => {
  await new AppDriver(page).open('#/leader-election');
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  const directives = Object.fromEntries(
    (policy ?? '').split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources.join(' ')];
    }),
  );
  expect(directives).toEqual({
    'default-src': "'self'",
    'script-src': "'self'",
    'worker-src': "'self'",
    'connect-src': "'self'",
    'img-src': "'self' data: blob:",
    'style-src': "'self'",
    'frame-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'self'",
    'form-action': "'none'",
  });
  // The meta comes before every script and stylesheet, so it governs them all.
  expect(
    await page.evaluate(() => document.head.firstElementChild?.getAttribute('http-equiv')),
  ).toBe('Content-Security-Policy');
  await expect(page.locator('script:not([src])')).toHaveCount(0);
  const html = await readFile(path.join(buildDir, 'index.html'), 'utf8');
  expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  expect(html).not.toMatch(/\sstyle=/);
});

test('the built scripts never evaluate strings as code', async () => {
  const files = await readdir(buildDir, { recursive: true });
  const scripts = files.filter((file) => file.endsWith('.js'));
  expect(scripts.length).toBeGreaterThanOrEqual(3);
  for (const file of scripts) {
    const code = await readFile(path.join(buildDir, file), 'utf8');
    expect(code, file).not.toMatch(/\beval\s*\(|\bnew\s+Function\s*\(/);
  }
});

test('the policy is enforced: an injected inline script does not run', async ({
  page,
  pageErrors,
}) => {
  await watchViolations(page);
  await new AppDriver(page).open('#/leader-election');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.payloadRan = 1;';
    document.head.append(script);
  });
  await expect.poll(() => violations(page)).toEqual(['script-src-elem blocked inline']);
  expect(await page.evaluate(() => window.payloadRan)).toBeUndefined();
  // Chromium reports the refusal on the console too; that one was expected here.
  const refusals = pageErrors.filter((error) =>
    /inline script violates the following Content Security Policy directive 'script-src/.test(
      error,
    ),
  );
  expect(refusals).toHaveLength(1);
  pageErrors.splice(pageErrors.indexOf(refusals[0] ?? ''), 1);
});

for (const scenario of scenarios.filter((each) => !each.isHidden)) {
  test(`${scenario.title} runs with no policy violation and no request to another origin`, async ({
    page,
    baseURL,
  }) => {
    const requested: string[] = [];
    page.context().on('request', (request) => requested.push(request.url()));
    await watchViolations(page);
    const app = new AppDriver(page);
    await app.open(`#/${scenario.id}`);
    const before = await app.simTimeUs();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => app.simTimeUs(), { timeout: 15_000 }).toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await app.stepTo(3000);
    await page
      .getByRole('button', { name: /^[\w-]+, / })
      .first()
      .click();
    await expect(page.getByRole('button', { name: 'Kill node' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
    const origin = new URL(baseURL ?? '').origin;
    expect(requested.length).toBeGreaterThan(0);
    const foreign = requested.filter(
      (url) => new URL(url).origin !== origin && !url.startsWith('data:'),
    );
    expect(foreign).toEqual([]);
  });
}

// ---- Untrusted strings -------------------------------------------------------------------

/** Markup that sets `payloadRan` if a browser ever parses and runs it. */
const imagePayload = '<img src=x onerror="window.payloadRan=1">';
const boldPayload = '<b id="payload-bold">bold</b>';
const svgPayload = '<svg onload="window.payloadRan=2"></svg>';

const leaderElection = getScenario('leader-election');

function linkTo(run: Partial<RunDescription>): string {
  const full: RunDescription = {
    scenarioId: 'leader-election',
    scenarioVersion: leaderElection?.version ?? 1,
    seed: 1,
    variant: 'pattern',
    params: {},
    commands: [],
    ...run,
  };
  return `#/leader-election?${encodeShareLink(full, 0)}`;
}

/**
 * Checks that nothing from the payloads became an element and nothing ran. The CSP alone would
 * stop the handlers, so the element checks are the ones that catch an HTML sink.
 */
async function expectNoMarkupFromPayloads(page: Page): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('#payload-bold')).toHaveCount(0);
  await expect(page.locator('svg[onload]')).toHaveCount(0);
  expect(await page.evaluate(() => window.payloadRan)).toBeUndefined();
  expect(await violations(page)).toEqual([]);
}

const hostileLinks: [string, string, string][] = [
  [
    'a scenario id',
    linkTo({ scenarioId: imagePayload }),
    `The link is for a scenario this app does not have ("${imagePayload}").`,
  ],
  [
    'a node named in a command',
    linkTo({ commands: [{ atUs: 10, command: { type: 'node.crash', node: boldPayload } }] }),
    boldPayload,
  ],
  [
    'a parameter name',
    linkTo({ params: { [svgPayload]: 1 } }),
    `Ignored unknown parameter "${svgPayload}".`,
  ],
];

for (const [where, fragment, literal] of hostileLinks) {
  test(`markup in ${where} of a share link is shown as text`, async ({ page }) => {
    await watchViolations(page);
    const app = new AppDriver(page);
    await app.open(fragment);
    await expect(page.getByText(literal).first()).toBeVisible();
    await expectNoMarkupFromPayloads(page);
  });
}

test('markup in the URL route opens the first scenario and stays inert', async ({ page }) => {
  await watchViolations(page);
  const app = new AppDriver(page);
  await app.open(`#/${imagePayload}${boldPayload}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('DistSim');
  await expectNoMarkupFromPayloads(page);
});
