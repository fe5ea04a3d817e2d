import { describe, expect, it } from 'vitest';
import type { RunDescription } from '../../engine/types.ts';
import { decodeShareLink } from '../../worker/shareLink.ts';
import { testCatalogue } from '../../worker/testing/testCatalogue.ts';
import {
  compareFragment,
  compareUrlFor,
  embeddedSideOf,
  isCompareFragment,
  pageKindOf,
  parseCompareFragment,
  payloadOf,
  sideFrameSrc,
} from './compareUrl.ts';

const run: RunDescription = {
  scenarioId: 'ping-pong',
  scenarioVersion: 1,
  seed: 9,
  variant: 'pattern',
  params: {},
  commands: [{ atUs: 2_000_000, event: 40, command: { type: 'node.crash', node: 'p2' } }],
};

describe('compare URLs', () => {
  it('tells the page kinds apart', () => {
    expect(isCompareFragment('#/compare?a=x&b=y')).toBe(true);
    expect(isCompareFragment('#/compare')).toBe(true);
    expect(isCompareFragment('#/compare-things')).toBe(false);
    expect(embeddedSideOf('#/?run=abc&embed=b')).toBe('b');
    expect(embeddedSideOf('#/?run=abc&embed=c')).toBeNull();
    expect(embeddedSideOf('#/leader-election?run=abc')).toBeNull();
    expect(pageKindOf('#/compare?a=x&b=y')).toBe('compare');
    expect(pageKindOf('#/?run=abc&embed=a')).toBe('embedded');
    expect(pageKindOf('#/leader-election')).toBe('single');
  });

  it('round-trips both payloads through the fragment', () => {
    const fragment = compareFragment({ a: 'AbC-_1', b: 'xYz' });
    expect(parseCompareFragment(fragment)).toEqual({
      ok: true,
      payloads: { a: 'AbC-_1', b: 'xYz' },
    });
  });

  it('explains a missing or damaged run instead of opening something else', () => {
    const missing = parseCompareFragment('#/compare?a=abc');
    expect(missing).toMatchObject({ ok: false });
    expect(!missing.ok && missing.message).toContain('no run for side b');
    const damaged = parseCompareFragment('#/compare?a=ab*c&b=');
    expect(!damaged.ok && damaged.message).toContain("side a's run has characters");
    expect(!damaged.ok && damaged.message).toContain('no run for side b');
    const tooLong = parseCompareFragment(`#/compare?a=${'A'.repeat(200_001)}&b=abc`);
    expect(!tooLong.ok && tooLong.message).toContain('longer than');
    expect(parseCompareFragment('#/compare')).toMatchObject({ ok: false });
  });

  it("opens a side's iframe on a link the controller's parsing reads as a run", () => {
    const src = sideFrameSrc('http://host/app/', 'PAYLOAD', 'a');
    expect(src).toBe('http://host/app/#/?run=PAYLOAD&embed=a');
    expect(payloadOf(src)).toBe('PAYLOAD');
    expect(embeddedSideOf(src.slice(src.indexOf('#')))).toBe('a');
    expect(payloadOf('#/leader-election')).toBeNull();
  });

  it('builds side a as the pattern and side b as the baseline of the same run', () => {
    const url = compareUrlFor('http://host/', run, 3_000_000);
    expect(url.startsWith('http://host/#/compare?a=')).toBe(true);
    const parsed = parseCompareFragment(url.slice(url.indexOf('#')));
    if (!parsed.ok) throw new Error(parsed.message);
    const a = decodeShareLink(parsed.payloads.a, testCatalogue);
    const b = decodeShareLink(parsed.payloads.b, testCatalogue);
    if (!a.ok || !b.ok) throw new Error('a payload did not decode');
    expect(a.shared.request).toMatchObject({ variant: 'pattern', seed: 9 });
    expect(a.shared.request.commands).toEqual(run.commands);
    expect(b.shared.request).toMatchObject({ variant: 'baseline', seed: 9 });
    // The baseline may lack nodes the commands name: the compare page fits them in once it
    // knows b's topology.
    expect(b.shared.request.commands).toEqual([]);
    expect(a.shared.positionUs).toBe(3_000_000);
    expect(b.shared.positionUs).toBe(3_000_000);
  });
});
