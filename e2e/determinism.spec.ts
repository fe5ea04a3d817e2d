import type {} from '../src/ui/testHook.ts';
import { execFileSync } from 'node:child_process';
import { chaosScheduleFor } from '../src/engine/chaos.ts';
import type { Variant } from '../src/engine/types.ts';
import { scenarios } from '../src/scenarios/registry.ts';
import { scenarioCatalogue } from '../src/worker/catalogue.ts';
import { runHeadless } from '../src/worker/headless.ts';
import type { RunRequest } from '../src/worker/protocol.ts';
import { AppDriver } from './driver.ts';
import { expect, test } from './fixtures.ts';

const firstSeed = 3;
const durationMs = 6000;

/**
 * Seeds compared per scenario and variant: a few in `npm test`, more for a soak
 * (`DISTSIM_DET_SEEDS=20`; `npm run soak` compares 20 per scenario and variant on its own).
 */
function seedCount(): number {
  const text = process.env.DISTSIM_DET_SEEDS;
  if (text === undefined || text === '') return 3;
  const count = Number(text);
  if (!Number.isSafeInteger(count) || count < 1 || count > 10_000)
    throw new Error(`DISTSIM_DET_SEEDS must be a whole number from 1 to 10000, got "${text}".`);
  return count;
}

const seeds = Array.from({ length: seedCount() }, (_, i) => firstSeed + i);

/** The run's hash in Node, through the CLI, with its `--chaos` fault schedule. */
function cliHash(scenarioId: string, variant: Variant, seed: number): string {
  const args = ['src/cli/bin.ts', 'run', scenarioId, '--seed', String(seed), '--chaos'];
  if (variant === 'baseline') args.push('--baseline');
  args.push('--duration-ms', String(durationMs), '--json');
  const output = execFileSync('node_modules/.bin/tsx', args, { encoding: 'utf8' });
  return (JSON.parse(output) as { traceHash: string }).traceHash;
}

for (const scenario of scenarios.filter((each) => !each.isHidden)) {
  for (const variant of ['pattern', 'baseline'] as const) {
    test(`${scenario.title} (${variant}) under chaos: Chromium's Web Worker and Node give the same trace hash for ${seeds.length} seeds`, async ({
      page,
    }) => {
      // Wait for the page's own first run to be up, so it cannot replace the ones loaded below.
      await new AppDriver(page).open();
      const runs: RunRequest[] = seeds.map((seed) => ({
        scenarioId: scenario.id,
        seed,
        variant,
        params: {},
        commands: chaosScheduleFor(scenario, seed, variant, {}, durationMs * 1000),
      }));
      expect(runs[0]?.commands.length).toBeGreaterThan(3);
      const browserHashes = await page.evaluate(
        async ({ runs, untilUs }) => {
          const hook = window.distsim;
          if (hook === undefined) throw new Error('test hook missing');
          const hashes: (string | null)[] = [];
          for (const run of runs) {
            await hook.load(run);
            await hook.step({ kind: 'until', timeUs: untilUs });
            hashes.push(hook.traceHash());
          }
          return hashes;
        },
        { runs, untilUs: durationMs * 1000 },
      );
      expect(browserHashes[0]).toMatch(/^[0-9a-f]{16}$/);
      // The first seed through the CLI itself, the rest through the same headless host in-process.
      expect(browserHashes[0]).toBe(cliHash(scenario.id, variant, firstSeed));
      const label = (hash: string | null | undefined, i: number) =>
        `seed ${seeds[i] ?? '?'}: ${hash ?? 'none'}`;
      const nodeHashes = runs.map(
        (run) => runHeadless(scenarioCatalogue, run, durationMs * 1000).traceHash,
      );
      expect(browserHashes.map(label)).toEqual(nodeHashes.map(label));
    });
  }
}
