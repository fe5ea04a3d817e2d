import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../engine/types.ts';
import { sideLabel } from './labels.ts';
import type { SideInfo } from './protocol.ts';
import { sideInfoFixture } from './testInfo.ts';

const mode: ParamSpec = {
  label: 'Placement strategy',
  default: 1,
  min: 0,
  max: 2,
  step: 1,
  unit: '',
  help: 'How a key finds its shard.',
  choices: [
    { value: 0, label: 'hash mod N' },
    { value: 1, label: 'consistent hashing' },
    { value: 2, label: 'range partitioning' },
  ],
};

/** The fixture pattern with a named parameter `mode` beside its numeric ones. */
function withMode(params: Readonly<Record<string, number>>): SideInfo {
  const info = sideInfoFixture('pattern', true, params);
  return { ...info, meta: { ...info.meta, params: { ...info.meta.params, mode } } };
}

describe('sideLabel', () => {
  it('names the baseline by what it does and a changed number with its unit', () => {
    const a = sideInfoFixture('pattern');
    expect(sideLabel(sideInfoFixture('baseline'), a)).toBe('Baseline: direct calls');
    const faster = sideInfoFixture('pattern', true, { rate: 8, pool: 4 });
    expect(sideLabel(faster, a)).toBe('Fixture Pattern, Request rate = 8 req/s');
    expect(sideLabel(a, null)).toBe('Fixture Pattern');
  });

  it('names two runs that differ only in their commands by how many each has', () => {
    const a = sideInfoFixture('pattern');
    const crash = { atUs: 1_000_000, command: { type: 'node.crash', node: 'n1' } } as const;
    const shrunk = { ...a, run: { ...a.run, commands: [crash] } };
    const original = { ...a, run: { ...a.run, commands: [crash, crash, crash] } };
    expect(sideLabel(original, shrunk)).toBe('Fixture Pattern, 3 commands');
    expect(sideLabel(shrunk, original)).toBe('Fixture Pattern, 1 command');
    // Another seed as well: not the same run, so just the title.
    const reseeded = { ...shrunk, run: { ...shrunk.run, seed: shrunk.run.seed + 1 } };
    expect(sideLabel(reseeded, original)).toBe('Fixture Pattern');
    const baseline = sideInfoFixture('baseline');
    const baselineShrunk = { ...baseline, run: { ...baseline.run, commands: [crash] } };
    expect(sideLabel(baselineShrunk, baseline)).toBe('Baseline: direct calls, 1 command');
  });

  it('names a changed parameter with named values by the name, not the number', () => {
    const a = withMode({ rate: 5, pool: 4, mode: 1 });
    expect(sideLabel(withMode({ rate: 5, pool: 4, mode: 2 }), a)).toBe(
      'Fixture Pattern, Placement strategy = range partitioning',
    );
    // A value none of the choices names (a hand-made link) is said as the number it is.
    expect(sideLabel(withMode({ rate: 5, pool: 4, mode: 0.5 }), a)).toBe(
      'Fixture Pattern, Placement strategy = 0.5 (not one of the named choices)',
    );
  });
});
