import { describe, expect, it, test } from 'vitest';
import { leaderElectionView } from '../../scenarios/leader-election/view.ts';
import {
  captionCharsMax,
  clipped,
  darkInk,
  glyphCharsFor,
  glyphFontPx,
  glyphLabel,
  glyphLabels,
  inkOn,
  lightInk,
  relativeLuminance,
  shapePath,
} from './shapes.ts';

function contrast(a: string, b: string): number {
  const first = relativeLuminance(a) ?? 0;
  const second = relativeLuminance(b) ?? 0;
  return (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05);
}

describe('shapes', () => {
  test('every shape gives a closed path', () => {
    for (const shape of ['circle', 'square', 'hexagon', 'diamond'] as const) {
      expect(shapePath(shape, 20)).toMatch(/^M.*Z$/);
    }
  });

  test('luminance of black, white and short hex; null for other notations', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#fff')).toBe(1);
    expect(relativeLuminance('rebeccapurple')).toBeNull();
  });

  test('ink on a fill is the more readable of near-black and white', () => {
    expect(inkOn('#ffffff')).toBe(darkInk);
    expect(inkOn('#000000')).toBe(lightInk);
    expect(inkOn('#1d4ed8')).toBe(lightInk);
    expect(inkOn('#fbbf24')).toBe(darkInk);
  });

  test('ids on the scenario state colours reach 4.5:1', () => {
    for (const fill of Object.values(leaderElectionView.stateColours)) {
      expect(contrast(fill, inkOn(fill))).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('node captions', () => {
  it('cuts a long caption at a word boundary with an ellipsis and leaves short ones alone', () => {
    expect(clipped('leader')).toBe('leader');
    const long = 'caught up · 6 accounts, total 1316 · 79/79';
    expect(clipped(long)).toBe('caught up · 6 accounts, total …');
    expect(clipped(long).length).toBeLessThanOrEqual(captionCharsMax);
    for (const word of clipped(long).replace(' …', '').split(' ')) {
      expect(long.split(' ')).toContain(word);
    }
  });
});

describe('ids inside glyphs', () => {
  it('uses one size per radius, never below 10 px nor above 15 px', () => {
    expect(glyphFontPx(4)).toBe(10);
    expect(glyphFontPx(20)).toBe(12);
    expect(glyphFontPx(60)).toBe(15);
  });

  it('keeps an id that fits and shortens one that does not, keeping its number', () => {
    expect(glyphLabel('n3', 4)).toBe('n3');
    expect(glyphLabel('audit', 5)).toBe('audit');
    expect(glyphLabel('event-store', 4)).toBe('es');
    expect(glyphLabel('handler-2', 4)).toBe('h2');
    expect(glyphLabel('read-model-12', 4)).toBe('rm12');
    expect(glyphLabel('dependency', 4)).toBe('dep');
    expect(glyphLabel('dependency', 2)).toBe('de');
    expect(glyphLabel('client-1', 8)).toBe('client-1');
  });

  it('fits the characters the glyph is wide enough for', () => {
    expect(glyphCharsFor(14, glyphFontPx(14))).toBe(3);
    expect(glyphCharsFor(30, glyphFontPx(30))).toBe(5);
    expect(glyphCharsFor(30, 10)).toBe(8);
  });

  it('never gives two nodes of a view the same short label where more letters tell them apart', () => {
    expect(glyphLabels(['app-1', 'amb-1', 'app-2', 'amb-2', 'remote-1'], 4)).toEqual([
      'ap1',
      'am1',
      'ap2',
      'am2',
      'r1',
    ]);
    expect(glyphLabels(['client-1', 'client-2', 'n1'], 4)).toEqual(['c1', 'c2', 'n1']);
    // Past the glyph's room they stay alike rather than overflow.
    expect(glyphLabels(['abc-1', 'abd-1'], 3)).toEqual(['ab1', 'ab1']);
  });
});
