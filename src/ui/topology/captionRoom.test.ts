import { describe, expect, it } from 'vitest';
import {
  captionCharPx,
  captionPlaces,
  leftClearanceWithCaptionsPx,
  sideCaptionGapPx,
} from './captionRoom.ts';
import { captionCharsMax } from './shapes.ts';

const radius = 14;

describe('captionPlaces', () => {
  it('gives a lone node its whole caption under it', () => {
    expect(captionPlaces([{ x: 400, y: 200 }], radius, 800)).toEqual([
      { side: 'below', chars: captionCharsMax },
    ]);
  });

  it('lets two captions in one row share the gap between their nodes, never crossing', () => {
    const points = [
      { x: 300, y: 200 },
      { x: 420, y: 200 },
    ];
    const [left, right] = captionPlaces(points, radius, 800);
    expect(left?.side).toBe('below');
    expect(right?.side).toBe('below');
    const halfWidth = (chars: number) => (chars * captionCharPx) / 2;
    expect(300 + halfWidth(left?.chars ?? 0)).toBeLessThan(420 - halfWidth(right?.chars ?? 0));
    expect(left?.chars).toBeLessThan(captionCharsMax);
  });

  it('puts the captions of a column beside it, on the side of the nearer edge, within the view', () => {
    const column = (x: number) => [0, 1, 2].map((i) => ({ x, y: 100 + i * 40 }));
    const onLeft = captionPlaces(column(120), radius, 800);
    expect(onLeft.map((place) => place.side)).toEqual(['left', 'left', 'below']);
    for (const place of onLeft.slice(0, 2)) {
      expect(120 - radius - sideCaptionGapPx - place.chars * captionCharPx).toBeGreaterThanOrEqual(
        0,
      );
    }
    const onRight = captionPlaces(column(700), radius, 800);
    expect(onRight.map((place) => place.side)).toEqual(['right', 'right', 'below']);
  });

  it('stops a caption short of a glyph that reaches into its row', () => {
    const points = [
      { x: 300, y: 200 },
      { x: 380, y: 200 + radius + 16 },
    ];
    const [first] = captionPlaces(points, radius, 800);
    const reachRight = ((first?.chars ?? 0) * captionCharPx) / 2;
    expect(300 + reachRight).toBeLessThanOrEqual(380 - radius);
  });
});

describe('leftClearanceWithCaptionsPx', () => {
  it('counts captions to the left of a node as well as glyphs', () => {
    const points = [{ x: 200, y: 100 }];
    expect(leftClearanceWithCaptionsPx(points, radius, [{ side: 'below', chars: 2 }])).toBe(186);
    expect(leftClearanceWithCaptionsPx(points, radius, [{ side: 'below', chars: 10 }])).toBe(
      200 - 5 * captionCharPx,
    );
    expect(leftClearanceWithCaptionsPx(points, radius, [{ side: 'left', chars: 10 }])).toBe(
      200 - radius - sideCaptionGapPx - 10 * captionCharPx,
    );
  });
});

describe('a crowded row', () => {
  const row = [0, 1, 2, 3, 4, 5].map((k) => ({ x: 40 + k * 55, y: 200 }));

  it('staggers its captions over two lines, so each gets about twice the room', () => {
    const places = captionPlaces(row, 12, 390);
    expect(places.map((place) => place.side)).toEqual([
      'below',
      'lower',
      'below',
      'lower',
      'below',
      'lower',
    ]);
    // Two neighbours on one line are 110 px apart instead of 55: 13 characters, not 6 (the
    // first is bounded by the view's edge instead).
    expect(places.map((place) => place.chars)).toEqual([10, 13, 13, 13, 13, 13]);
  });

  it('leaves a row with room on one line', () => {
    const wide = [0, 1, 2].map((k) => ({ x: 100 + k * 200, y: 200 }));
    expect(captionPlaces(wide, 12, 800).map((place) => place.side)).toEqual([
      'below',
      'below',
      'below',
    ]);
  });
});
