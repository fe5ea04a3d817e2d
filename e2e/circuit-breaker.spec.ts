import type { Locator } from '@playwright/test';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

/**
 * Steps to the next moment of the pattern at a time (each breaker transition is one, so a
 * half-open period shorter than a frame is not skipped; ten at a time took minutes on a loaded
 * machine) until the node's accessible name matches `pattern`; returns the names seen on the way.
 */
async function stepUntilNamed(app: AppDriver, node: Locator, pattern: RegExp, limitMs: number) {
  const endUs = (await app.simTimeUs()) + limitMs * 1000;
  const seen: string[] = [];
  for (;;) {
    const name = (await node.getAttribute('aria-label')) ?? '';
    const label = name.split(', ')[1] ?? '';
    if (seen.at(-1) !== label) seen.push(label);
    if (pattern.test(name)) return seen;
    if ((await app.simTimeUs()) >= endUs) {
      throw new Error(`"${name}" still does not match ${String(pattern)}; saw ${seen.join(' → ')}`);
    }
    const before = await app.simTimeUs();
    await app.step({ kind: 'interesting' });
    if ((await app.simTimeUs()) === before) await app.step({ kind: 'events', count: 10 });
  }
}

test('killing the dependency from its node controls trips the breaker, and it closes after a restart', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const app = new AppDriver(page);
  await app.open('#/circuit-breaker');
  // Without the workload's scheduled incident, so only the user's fault moves the breaker.
  await app.load({
    scenarioId: 'circuit-breaker',
    seed: 1,
    variant: 'pattern',
    params: { incidentStartS: 0 },
    commands: [],
  });
  await app.stepTo(3000);
  const service = app.node('service');
  await expect(service).toHaveAccessibleName(/^service, closed/);

  await app.clickNode('dependency');
  await page.getByRole('button', { name: 'Kill node' }).click();
  await expect(app.node('dependency')).toHaveAccessibleName(/^dependency, dependency, down/);
  expect(await stepUntilNamed(app, service, /^service, open/, 5000)).toEqual(['closed', 'open']);
  await expect(service).toHaveText(/open/);
  await app.screenshot('breaker-open', testInfo);

  await page.getByRole('button', { name: 'Restart node' }).click();
  // The breaker waits in open, lets trial calls through half-open, and closes when they pass.
  expect(await stepUntilNamed(app, service, /^service, half-open/, 10_000)).toEqual([
    'open',
    'half-open',
  ]);
  expect(await stepUntilNamed(app, service, /^service, closed/, 10_000)).toEqual([
    'half-open',
    'closed',
  ]);
  // Each transition is an event in the trace; the latest is in the event log's newest rows.
  const log = page.getByRole('region', { name: 'Event log' });
  await expect(log).toContainText('breaker half-open → closed');
  await expect(page.getByRole('region', { name: 'Invariants' })).not.toContainText('violated');
  await app.screenshot('breaker-closed', testInfo);
});
