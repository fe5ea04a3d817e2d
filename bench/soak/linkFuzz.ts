import fc from 'fast-check';
import { scenarioCatalogue } from '../../src/worker/catalogue.ts';
import { decodeShareLink } from '../../src/worker/shareLink.ts';
import { linkArbitrary, outcomeFault } from '../../src/worker/testing/linkArbitraries.ts';
import { type PartOutcome, say, seconds } from './report.ts';

/*
 * Part 1: share-link fuzzing at scale, with the generators of src/worker/shareLink.fuzz.test.ts.
 * Every link must decode without throwing to a run that fits its scenario or to a problem with
 * a known code and a readable message. All cases run (a failure does not stop the count); faults
 * are grouped, each with its first case. fast-check draws from a printed seed, so the same
 * command gives the same links.
 */

interface FaultGroup {
  count: number;
  readonly firstCase: number;
  readonly firstLink: string;
  readonly firstFault: string;
}

function tally(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function byCount(map: ReadonlyMap<string, number>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
}

/** Runs `cases` generated links through the decoder and prints the outcome counts. */
export function soakLinks(cases: number, seed: number): PartOutcome {
  const outcomes = new Map<string, number>();
  const kinds = new Map<string, number>();
  const faults = new Map<string, FaultGroup>();
  say('links', `${cases} cases, fast-check seed ${seed}`);
  let index = 0;
  const started = performance.now();
  fc.assert(
    fc.property(linkArbitrary(scenarioCatalogue), ({ kind, link, expected }) => {
      index++;
      tally(kinds, kind);
      let fault: string | null;
      try {
        const decoded = decodeShareLink(link, scenarioCatalogue);
        tally(outcomes, decoded.ok ? 'valid run' : decoded.problem.code);
        fault = outcomeFault(decoded, expected, scenarioCatalogue);
      } catch (error) {
        tally(outcomes, 'threw');
        fault = `threw ${error instanceof Error ? error.message : String(error)}`;
      }
      if (fault === null) return;
      // Faults that differ only in their numbers are one fault.
      const key = `${kind}: ${fault.replace(/-?\d[\d.e+-]*/g, 'N').slice(0, 120)}`;
      const group = faults.get(key);
      if (group !== undefined) group.count++;
      else faults.set(key, { count: 1, firstCase: index, firstLink: link, firstFault: fault });
    }),
    { numRuns: cases, seed },
  );
  const wallMs = performance.now() - started;
  say(
    'links',
    `${index} cases in ${seconds(wallMs)}: ${Math.round((index * 1000) / wallMs)} cases/s`,
  );
  say('links', `outcomes: ${byCount(outcomes)}`);
  say('links', `generated kinds: ${byCount(kinds)}`);
  const failures: string[] = [];
  for (const [key, group] of faults) {
    const link =
      group.firstLink.length > 300 ? `${group.firstLink.slice(0, 300)}…` : group.firstLink;
    const failure = `${group.count} cases: ${key} (first: case ${group.firstCase}, ${group.firstFault}, link ${link}); reproduce: npm run soak -- --part links --fuzz-seed ${seed} --cases ${group.firstCase}`;
    failures.push(failure);
    say('links', `FAIL ${failure}`);
  }
  if (failures.length === 0)
    say('links', 'every link decoded to a fitting run or a clear problem; none threw');
  return { failures };
}
