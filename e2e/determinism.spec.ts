import type {} from '../src/ui/testHook.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';

const commands = [
  { atUs: 1_500_000, command: { type: 'node.crash', node: 'n1' } },
  { atUs: 2_500_000, command: { type: 'net.isolate', node: 'n2' } },
  { atUs: 4_000_000, command: { type: 'net.heal' } },
  { atUs: 4_200_000, command: { type: 'node.restart', node: 'n1' } },
];

/** The same run in Node, through the CLI. */
function nodeHash(seed: number, durationMs: number): string {
  const faults = join(mkdtempSync(join(tmpdir(), 'distsim-e2e-')), 'faults.json');
  writeFileSync(faults, JSON.stringify(commands));
  const output = execFileSync(
    'node_modules/.bin/tsx',
    [
      'src/cli/bin.ts',
      'run',
      'leader-election',
      '--seed',
      String(seed),
      '--duration-ms',
      String(durationMs),
      '--faults',
      faults,
      '--json',
    ],
    { encoding: 'utf8' },
  );
  return (JSON.parse(output) as { traceHash: string }).traceHash;
}

test('Chromium, through the Web Worker, computes the same trace hash as Node', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('trace-hash')).toBeVisible();
  const browserHash = await page.evaluate(
    async ({ commands }) => {
      const hook = window.distsim;
      if (hook === undefined) throw new Error('test hook missing');
      await hook.load({
        scenarioId: 'leader-election',
        seed: 7,
        variant: 'pattern',
        params: {},
        commands: commands as never,
      });
      await hook.step({ kind: 'until', timeUs: 6_000_000 });
      return hook.traceHash();
    },
    { commands },
  );
  expect(browserHash).toMatch(/^[0-9a-f]{16}$/);
  expect(browserHash).toBe(nodeHash(7, 6000));
});
