import { describe, expect, it, vi } from 'vitest';
import { upgradeFrom } from './earlierVersions.ts';
import format1 from './pinnedHashesFormat1.json' with { type: 'json' };
import { pinnedRuns, pinOf } from './testing/pinnedRuns.ts';

/*
 * The pins taken before the structure and speed work (trace format 1, the scenario versions of
 * that day) still hold: with format 1's message hash in place of the current one, every pinned
 * run replays to the trace hash and event count it had then. A scenario whose version has moved
 * on plays its pinned version through earlierVersions.ts, as a link of that version opens. So
 * trace format 2 changed fingerprints only, and each later scenario version still plays the
 * runs of the one before exactly.
 */

vi.mock('../engine/contentHash.ts', async () => import('../engine/testing/contentHashFormat1.ts'));

const versions = format1.scenarioVersions as Record<string, number>;
const pins = format1.pins as Record<string, string>;

const cases = pinnedRuns((scenario) => {
  const version = versions[scenario.id];
  if (version === undefined || version === scenario.version) return {};
  const upgrade = upgradeFrom(scenario, version, {});
  if (upgrade === null) throw new Error(`${scenario.id} no longer plays version ${version}`);
  return upgrade.params;
});

describe('format 1 pins (taken before the structure and speed work)', () => {
  it('covers every listed scenario and variant', () => {
    expect(Object.keys(pins).sort()).toEqual(cases.map((each) => each.key).sort());
  });
  it.each(cases)('$key', (each) => {
    expect(pinOf(each)).toBe(pins[each.key]);
  });
});
