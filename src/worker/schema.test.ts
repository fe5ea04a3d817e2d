import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Command } from '../engine/types.ts';
import { type CheckedCommand, parseCommandLog, parseRunRequest } from './schema.ts';

describe('schemas for untrusted input', () => {
  it('accepts atMs for hand-written logs and converts it to microseconds', () => {
    const parsed = parseCommandLog([{ atMs: 1.5, command: { type: 'node.crash', node: 'n1' } }]);
    expect(parsed).toEqual({
      ok: true,
      value: [{ atUs: 1500, command: { type: 'node.crash', node: 'n1' } }],
    });
  });

  it('names the path of each problem', () => {
    const parsed = parseCommandLog([
      { atMs: 1, command: { type: 'node.crash' } },
      { atUs: 5, atMs: 5, command: { type: 'net.heal' } },
      { atMs: 1, command: { type: 'link.set', from: 'a', to: 'b', lossProbability: 3 } },
    ]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.join('\n')).toMatch(/0\.command\.node/);
    expect(parsed.problems.join('\n')).toMatch(/exactly one of atUs and atMs/);
    expect(parsed.problems.join('\n')).toMatch(/2\.command\.lossProbability/);
  });

  it('rejects unknown fields, wrong variants and unsafe seeds', () => {
    const base = { scenarioId: 'x', seed: 1, variant: 'pattern', params: {}, commands: [] };
    expect(parseRunRequest(base).ok).toBe(true);
    expect(parseRunRequest({ ...base, extra: 1 }).ok).toBe(false);
    expect(parseRunRequest({ ...base, variant: 'other' }).ok).toBe(false);
    expect(parseRunRequest({ ...base, seed: 2 ** 60 }).ok).toBe(false);
    expect(parseRunRequest({ ...base, params: { a: Infinity } }).ok).toBe(false);
  });
});

describe('the command schema', () => {
  // Checked by the typecheck (tsc), not at run time: a command added to the engine's `Command`
  // without a schema, or a schema field the engine does not have, fails the build.
  it('accepts exactly the engine’s Command type', () => {
    expectTypeOf<Command>().toExtend<CheckedCommand>();
    expectTypeOf<CheckedCommand>().toExtend<Command>();
  });
});
