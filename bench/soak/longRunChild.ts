import { longRun } from './longRun.ts';

/*
 * Child process of the soak's memory part, started with --expose-gc: runs the long run named by
 * its arguments (scenario id, events) and sends the result to the parent.
 */
const [scenarioId = 'bench-mesh', eventsText = '10000000'] = process.argv.slice(2);
const collect = globalThis.gc;
if (collect === undefined) {
  process.send?.({ error: 'this process was started without --expose-gc' });
} else {
  try {
    process.send?.(
      longRun(scenarioId, Number(eventsText), () => {
        collect();
      }),
    );
  } catch (error) {
    process.send?.({ error: error instanceof Error ? error.message : String(error) });
  }
}
