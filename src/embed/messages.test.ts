import { describe, expect, it } from 'vitest';
import { readCommand } from './messages.ts';

describe('readCommand', () => {
  it('takes play, pause and seek', () => {
    expect(readCommand({ type: 'distsim:play' })).toEqual({
      ok: true,
      command: { type: 'distsim:play' },
    });
    expect(readCommand({ type: 'distsim:pause', extra: 1 })).toEqual({
      ok: true,
      command: { type: 'distsim:pause' },
    });
    expect(readCommand({ type: 'distsim:seek', timeUs: 1_250_000.4 })).toEqual({
      ok: true,
      command: { type: 'distsim:seek', timeUs: 1_250_000 },
    });
  });

  it('answers a DistSim message of the wrong shape with the reason', () => {
    expect(readCommand({ type: 'distsim:seek', timeUs: '3' })).toEqual({
      ok: false,
      message: 'distsim:seek needs timeUs, a number of microseconds, 0 or more (got "3").',
    });
    expect(readCommand({ type: 'distsim:seek' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('(got nothing)') as string,
    });
    expect(readCommand({ type: 'distsim:seek', timeUs: Number.NaN })).toMatchObject({ ok: false });
    expect(readCommand({ type: 'distsim:seek', timeUs: -1 })).toMatchObject({ ok: false });
    expect(readCommand({ type: 'distsim:seek', timeUs: 10n })).toMatchObject({
      ok: false,
      message: expect.stringContaining('a value of type bigint') as string,
    });
    expect(readCommand({ type: 'distsim:stop' })).toEqual({
      ok: false,
      message:
        'Unknown command "distsim:stop": the embed takes distsim:play, distsim:pause and distsim:seek.',
    });
  });

  it('ignores messages that are not for it, and its own events', () => {
    for (const data of [
      null,
      'distsim:play',
      42,
      {},
      { type: 'play' },
      { type: 'distsim:ready' },
    ]) {
      expect(readCommand(data)).toBeNull();
    }
  });
});
