import { cpus, loadavg } from 'node:os';
import { type AppSession, HarnessError, startApp } from './soak/app.ts';
import { soakChaos } from './soak/chaos.ts';
import { soakDeterminism } from './soak/determinism.ts';
import { soakLinks } from './soak/linkFuzz.ts';
import { soakMemory } from './soak/memory.ts';
import { type PartName, type SoakOptions, parseSoakOptions, soakUsage } from './soak/options.ts';
import type { PartOutcome } from './soak/report.ts';
import { seconds } from './soak/report.ts';
import { soakResponsiveness } from './soak/responsiveness.ts';

/**
 * `npm run soak [-- --part NAME… --seeds N …]`: the robustness figures of issue 8 at large
 * counts, printed per part, exit code 1 on any failure (2 on bad arguments):
 *
 * 1. links: share-link fuzzing (10,000 fast-check cases from a printed seed);
 * 2. chaos: every listed scenario over 1,000 seeds under the CLI's chaos schedule, on two
 *    processes, through the CLI's sweep path, with a reproduction line per failure;
 * 3. determinism: Node's and Chromium's trace hashes for 20 seeds of every scenario and variant;
 * 4. memory: 10 M events through the host, heap after gc every million events;
 * 5. responsiveness: the page's main thread while the worker runs flat out.
 *
 * The small counts of the same checks run in `npm test` (shareLink.fuzz.test.ts,
 * longRun.test.ts, e2e/fuzz-links.spec.ts, e2e/determinism.spec.ts).
 */

async function runPart(
  name: PartName,
  options: SoakOptions,
  app: () => Promise<AppSession>,
): Promise<PartOutcome> {
  switch (name) {
    case 'links':
      return soakLinks(options.cases, options.fuzzSeed);
    case 'chaos':
      return soakChaos(options.seeds, options.baselineSeeds, options.workers);
    case 'determinism':
      return soakDeterminism(await app(), options.detSeeds);
    case 'memory':
      return soakMemory(options.events);
    case 'responsiveness':
      return soakResponsiveness(await app(), options.seconds);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(soakUsage);
    return 0;
  }
  const options = parseSoakOptions(args);
  if (typeof options === 'string') {
    console.error(`soak: ${options}`);
    return 2;
  }
  console.log(
    `soak: Node ${process.version}, ${cpus().length} cores (load ${loadavg()[0]?.toFixed(1) ?? '?'}), parts: ${options.parts.join(', ')}`,
  );
  let app: AppSession | null = null;
  const appOnce = async (): Promise<AppSession> => {
    app ??= await startApp(options.port);
    return app;
  };
  const started = performance.now();
  const results: { name: PartName; failures: readonly string[]; wallMs: number }[] = [];
  try {
    for (const name of options.parts) {
      const partStarted = performance.now();
      let outcome: PartOutcome;
      try {
        outcome = await runPart(name, options, appOnce);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        console.log(
          `[${name}] FAILED to run: ${error instanceof HarnessError ? reason : reason.split('\n').slice(0, 6).join('\n')}`,
        );
        outcome = { failures: [`${name} could not run: ${reason.split('\n')[0] ?? ''}`] };
      }
      results.push({ name, failures: outcome.failures, wallMs: performance.now() - partStarted });
    }
  } finally {
    await (app as AppSession | null)?.close();
  }
  console.log('soak summary:');
  for (const result of results) {
    console.log(
      `  ${result.name.padEnd(15)} ${result.failures.length === 0 ? 'ok' : `${result.failures.length} FAILURES`} (${seconds(result.wallMs)})`,
    );
    for (const failure of result.failures.slice(0, 20)) console.log(`    ${failure}`);
  }
  const failed = results.reduce((sum, result) => sum + result.failures.length, 0);
  console.log(
    `soak: ${failed === 0 ? 'all parts passed' : `${failed} failures`} in ${seconds(performance.now() - started)}`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
