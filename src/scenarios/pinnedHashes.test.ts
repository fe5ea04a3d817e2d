import { describe, expect, it } from 'vitest';
import pinned from './pinnedHashes.json' with { type: 'json' };
import { pinnedRuns, pinOf } from './testing/pinnedRuns.ts';

/*
 * Trace hashes (and event counts) of every listed scenario, both variants, a quiet default run
 * and two seeds under the CLI's chaos schedule. A change that alters any of them changes what a
 * run file replays to, so it must bump a version on purpose: the scenario's (a change in
 * behaviour, with earlierVersions.ts mapping the old version where the new one can still play
 * it) or the run file's (a change in how the trace is hashed, trace format 2 since the
 * compositional message hash). pinnedHashesFormat1.test.ts keeps the pins taken before the
 * structure and speed work holding under format 1.
 *
 * Regenerate only for an intended change: PIN_HASHES=write npx vitest run pinnedHashes.test
 */

const cases = pinnedRuns();
const pins = pinned as Record<string, string>;

describe('pinned trace hashes', () => {
  if (process.env.PIN_HASHES === 'write') {
    it('writes the pins', async () => {
      const { writeFileSync } = await import('node:fs');
      const out: Record<string, string> = {};
      for (const each of cases) out[each.key] = pinOf(each);
      writeFileSync(
        new URL('./pinnedHashes.json', import.meta.url),
        `${JSON.stringify(out, null, 2)}\n`,
      );
    });
    return;
  }
  it('covers every listed scenario and variant', () => {
    expect(Object.keys(pins).sort()).toEqual(cases.map((each) => each.key).sort());
  });
  it.each(cases)('$key', (each) => {
    expect(pinOf(each)).toBe(pins[each.key]);
  });
});
