import { deflateSync, strToU8 } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunDescription } from '../engine/types.ts';
import { decodeShareLink, encodeShareLink, fromBase64Url, toBase64Url } from './shareLink.ts';
import { testCatalogue } from './testing/testCatalogue.ts';

const run: RunDescription = {
  scenarioId: 'ping-pong',
  scenarioVersion: 1,
  seed: 42,
  variant: 'pattern',
  params: { nodeCount: 6 },
  commands: [
    { atUs: 1000, event: 12, command: { type: 'node.crash', node: 'p2' } },
    { atUs: 5000, event: 80, command: { type: 'net.partition', groups: [['p1', 'p3']] } },
  ],
};

function linkOf(payload: unknown): string {
  return `https://example.org/#run=${toBase64Url(deflateSync(strToU8(JSON.stringify(payload))))}`;
}

describe('share links', () => {
  it('round-trips a run and its position through a URL', () => {
    const fragment = encodeShareLink(run, 123_456);
    const decoded = decodeShareLink(`https://distsim.example/app/#/${fragment}`, testCatalogue);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.shared.positionUs).toBe(123_456);
    expect(decoded.shared.request).toMatchObject({
      scenarioId: 'ping-pong',
      seed: 42,
      params: { nodeCount: 6 },
      commands: run.commands,
    });
    expect(decoded.notes).toEqual([]);
  });

  it('base64url round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(/^[A-Za-z0-9_-]*$/.test(text)).toBe(true);
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('clamps out-of-range parameters and says so', () => {
    const decoded = decodeShareLink(
      linkOf({
        v: 1,
        scenarioId: 'ping-pong',
        seed: 1,
        variant: 'pattern',
        params: { nodeCount: 5000, bogus: 1 },
        commands: [],
      }),
      testCatalogue,
    );
    expect(decoded.ok && decoded.shared.request.params).toEqual({ nodeCount: 64 });
    expect(decoded.ok && decoded.notes.join(' ')).toMatch(
      /Nodes was 5000; set to 64.*Ignored unknown parameter "bogus"/,
    );
  });

  it('reports each kind of bad link with a clear message and never throws', () => {
    const good = encodeShareLink(run, 0);
    const cases: [string, string][] = [
      [good.slice(0, good.length - 9), 'corrupt'],
      ['#run=%%%not-base64', 'not-base64'],
      [`#run=${'A'.repeat(300_000)}`, 'too-long'],
      [`#run=${toBase64Url(deflateSync(strToU8('{not json')))}`, 'not-json'],
      [linkOf({ v: 99, scenarioId: 'ping-pong' }), 'bad-version'],
      [
        linkOf({
          v: 1,
          scenarioId: 'ping-pong',
          seed: -1,
          variant: 'pattern',
          params: {},
          commands: [],
        }),
        'invalid',
      ],
      [
        linkOf({
          v: 1,
          scenarioId: 'warp-drive',
          seed: 1,
          variant: 'pattern',
          params: {},
          commands: [],
        }),
        'unknown-scenario',
      ],
      [
        linkOf({
          v: 1,
          scenarioId: 'ping-pong',
          scenarioVersion: 7,
          seed: 1,
          variant: 'pattern',
          params: {},
          commands: [],
        }),
        'version-mismatch',
      ],
      [
        linkOf({
          v: 1,
          scenarioId: 'ping-pong',
          seed: 1,
          variant: 'pattern',
          params: {},
          commands: [{ atUs: 0, command: { type: 'node.explode' } }],
        }),
        'invalid',
      ],
    ];
    for (const [link, code] of cases) {
      const decoded = decodeShareLink(link, testCatalogue);
      expect(decoded.ok ? 'ok' : decoded.problem.code, link.slice(0, 60)).toBe(code);
      if (!decoded.ok) expect(decoded.problem.message.length).toBeGreaterThan(20);
    }
  });

  it('stops a decompression bomb without inflating it', () => {
    const bomb = deflateSync(new Uint8Array(10_000_000), { level: 9 });
    const decoded = decodeShareLink(`#run=${toBase64Url(bomb)}`, testCatalogue);
    expect(decoded.ok ? 'ok' : decoded.problem.code).toBe('too-long');
  });

  it('survives arbitrary garbage (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const decoded = decodeShareLink(text, testCatalogue);
        expect(typeof decoded.ok).toBe('boolean');
      }),
    );
  });
});
