import type {} from '../src/ui/testHook.ts';
import { execFileSync } from 'node:child_process';
import { chaosScheduleFor } from '../src/engine/chaos.ts';
import type { Variant } from '../src/engine/types.ts';
import { scenarios } from '../src/scenarios/registry.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

const seed = 3;
const durationMs = 6000;

/** The run's hash in Node, through the CLI, with its `--chaos` fault schedule. */
function nodeHash(scenarioId: string, variant: Variant): string {
  const args = ['src/cli/bin.ts', 'run', scenarioId, '--seed', String(seed), '--chaos'];
  if (variant === 'baseline') args.push('--baseline');
  args.push('--duration-ms', String(durationMs), '--json');
  const output = execFileSync('node_modules/.bin/tsx', args, { encoding: 'utf8' });
  return (JSON.parse(output) as { traceHash: string }).traceHash;
}

for (const scenario of scenarios.filter((each) => !each.isHidden)) {
  for (const variant of ['pattern', 'baseline'] as const) {
    test(`${scenario.title} (${variant}) under chaos: Chromium's Web Worker and Node's CLI give the same trace hash`, async ({
      page,
    }) => {
      // Wait for the page's own first run to be up, so it cannot replace the one loaded below.
      await new AppDriver(page).open();
      const commands = chaosScheduleFor(scenario, seed, variant, {}, durationMs * 1000);
      expect(commands.length).toBeGreaterThan(3);
      const browserHash = await page.evaluate(
        async ({ scenarioId, variant, seed, commands, untilUs }) => {
          const hook = window.distsim;
          if (hook === undefined) throw new Error('test hook missing');
          await hook.load({ scenarioId, seed, variant, params: {}, commands });
          await hook.step({ kind: 'until', timeUs: untilUs });
          return hook.traceHash();
        },
        { scenarioId: scenario.id, variant, seed, commands, untilUs: durationMs * 1000 },
      );
      expect(browserHash).toMatch(/^[0-9a-f]{16}$/);
      expect(browserHash).toBe(nodeHash(scenario.id, variant));
    });
  }
}
