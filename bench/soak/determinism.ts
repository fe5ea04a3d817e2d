import type { Page } from 'playwright-core';
import { chaosScheduleFor } from '../../src/engine/chaos.ts';
import type { Variant } from '../../src/engine/types.ts';
import { scenarioCatalogue } from '../../src/worker/catalogue.ts';
import { runHeadless } from '../../src/worker/headless.ts';
import type { RunRequest } from '../../src/worker/protocol.ts';
import type { AppSession } from './app.ts';
import { type PartOutcome, say, seconds } from './report.ts';

/*
 * Part 3: the same run descriptions replayed in Node (runHeadless, the CLI's path) and in
 * Chromium (the built app's Web Worker, through the test hook) must give the same trace hash:
 * every listed scenario, both variants, many seeds, each under its chaos fault schedule. The
 * browser works through one scenario and variant while Node computes the same runs.
 */

/** Simulated length of each compared run (the same as e2e/determinism.spec.ts). */
const durationUs = 6_000_000;

function requestsFor(scenarioId: string, variant: Variant, seeds: number): RunRequest[] {
  const scenario = scenarioCatalogue.get(scenarioId);
  if (scenario === undefined) return [];
  const requests: RunRequest[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const commands = chaosScheduleFor(scenario, seed, variant, {}, durationUs);
    requests.push({ scenarioId, seed, variant, params: {}, commands });
  }
  return requests;
}

/** Runs each request in the page's worker to `durationUs` and returns the trace hashes. */
function browserHashes(page: Page, requests: readonly RunRequest[]): Promise<(string | null)[]> {
  return page.evaluate(
    async ({ runs, untilUs }) => {
      const hook = window.distsim;
      if (hook === undefined) throw new Error('the test hook is missing: not an e2e build');
      const hashes: (string | null)[] = [];
      for (const run of runs) {
        await hook.load(run);
        await hook.step({ kind: 'until', timeUs: untilUs });
        hashes.push(hook.traceHash());
      }
      return hashes;
    },
    { runs: requests, untilUs: durationUs },
  );
}

/** Compares Node's and Chromium's hashes for `seeds` seeds of every scenario and variant. */
export async function soakDeterminism(app: AppSession, seeds: number): Promise<PartOutcome> {
  const page = await app.openPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const failures: string[] = [];
  const started = performance.now();
  let compared = 0;
  for (const scenario of scenarioCatalogue.scenarios.filter((each) => !each.isHidden)) {
    for (const variant of ['pattern', 'baseline'] as const) {
      const requests = requestsFor(scenario.id, variant, seeds);
      const inBrowser = browserHashes(page, requests);
      const inNode = requests.map(
        (request) => runHeadless(scenarioCatalogue, request, durationUs).traceHash,
      );
      const browser = await inBrowser;
      let mismatches = 0;
      requests.forEach((request, i) => {
        compared++;
        if (browser[i] === inNode[i]) return;
        mismatches++;
        const failure = `${scenario.id} ${variant} seed ${request.seed}: Node ${inNode[i] ?? '?'}, Chromium ${browser[i] ?? 'none'}; reproduce: npm run sim -- run ${scenario.id} --seed ${request.seed} --chaos --duration-ms ${durationUs / 1000}${variant === 'baseline' ? ' --baseline' : ''} --json`;
        failures.push(failure);
        say('determinism', `MISMATCH ${failure}`);
      });
      say(
        'determinism',
        `${`${scenario.id} ${variant}`.padEnd(26)} ${requests.length} seeds: ${requests.length - mismatches} equal, ${mismatches} different; at ${seconds(performance.now() - started)}`,
      );
    }
  }
  for (const error of pageErrors) failures.push(`page error: ${error}`);
  await page.context().close();
  say(
    'determinism',
    `${compared} runs compared (${seeds} seeds x ${compared / seeds} scenario-variants, ${durationUs / 1e6} s simulated each, chaos schedule) in ${seconds(performance.now() - started)}: ${failures.length} failures`,
  );
  return { failures };
}
