import { describe, expect, it } from 'vitest';
import {
  linkAt,
  linkWidthFor,
  linkWidthPx,
  pairKey,
  pairKeysOf,
  paintLinks,
  thinLinksFrom,
  type LinkPaint,
  type Pair,
} from './linkLayer.ts';

/** A 2D context that records the segments stroked, with the style each stroke had. */
function recordingContext() {
  const strokes: { colour: string; dashed: boolean; segments: number }[] = [];
  let segments = 0;
  let dash: number[] = [];
  const saved: number[][] = [];
  const context = {
    strokeStyle: '',
    lineWidth: 0,
    lineCap: 'butt',
    globalAlpha: 1,
    clears: 0,
    clearRect() {
      context.clears++;
    },
    beginPath() {
      segments = 0;
    },
    moveTo() {
      segments++;
    },
    lineTo() {},
    stroke() {
      strokes.push({ colour: context.strokeStyle, dashed: dash.length > 0, segments });
    },
    setLineDash(pattern: number[]) {
      dash = pattern;
    },
    save() {
      saved.push(dash);
    },
    restore() {
      dash = saved.pop() ?? [];
    },
  };
  return { context: context as unknown as CanvasRenderingContext2D & { clears: number }, strokes };
}

/** Four nodes on a square, every pair linked. */
const points = [
  { x: 0, y: 0 },
  { x: 100, y: 0 },
  { x: 100, y: 100 },
  { x: 0, y: 100 },
];
const pairs: Pair[] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 2],
  [1, 3],
  [2, 3],
];

function paintOf(cut: ReadonlySet<number>, omitted: number | null = null): LinkPaint {
  return { pairs, points, cut, omitted, colour: 'grey', cutColour: 'red', width: 100, height: 100 };
}

describe('link layer', () => {
  it('names unordered pairs, whichever way round', () => {
    expect(pairKey(3, 7)).toBe(pairKey(7, 3));
    expect(pairKey(0, 1)).not.toBe(pairKey(1, 2));
    expect(pairKeysOf(Int32Array.from([0, 2, 2, 0, 1, 3]))).toEqual(
      new Set([pairKey(0, 2), pairKey(1, 3)]),
    );
  });

  it('paints plain links, then cut ones dashed, leaving out the omitted one', () => {
    const { context, strokes } = recordingContext();
    const cut = new Set([pairKey(0, 2), pairKey(1, 3)]);
    expect(paintLinks(context, paintOf(cut, pairKey(1, 3)))).toBeNull();
    expect(context.clears).toBe(1);
    expect(strokes).toEqual([
      { colour: 'grey', dashed: false, segments: 4 },
      { colour: 'red', dashed: true, segments: 1 },
    ]);
    expect(context.lineWidth).toBe(linkWidthPx);
  });

  it('paints in slices that together paint every link once', () => {
    const { context, strokes } = recordingContext();
    const cut = new Set([pairKey(0, 2)]);
    const starts: number[] = [];
    let next: number | null = 0;
    while (next !== null) {
      starts.push(next);
      next = paintLinks(context, paintOf(cut), next, 4);
    }
    expect(starts).toEqual([0, 4, 8]);
    expect(context.clears).toBe(1);
    const plain = strokes.filter((stroke) => !stroke.dashed);
    const dashed = strokes.filter((stroke) => stroke.dashed);
    expect(plain.reduce((sum, stroke) => sum + stroke.segments, 0)).toBe(5);
    expect(dashed.reduce((sum, stroke) => sum + stroke.segments, 0)).toBe(1);
  });

  it('draws dense meshes 1 px wide', () => {
    expect(linkWidthFor(thinLinksFrom)).toBe(linkWidthPx);
    expect(linkWidthFor(thinLinksFrom + 1)).toBe(1);
  });

  it('finds the link under the pointer, within the tolerance, away from the nodes', () => {
    // Gap 10 at each end: the targets stop 10 px short of the node centres.
    expect(linkAt(pairs, points, 10, 50, 3)).toBe(0);
    expect(linkAt(pairs, points, 10, 50, 8)).toBeNull();
    expect(linkAt(pairs, points, 10, 97, 50)).toBe(3);
    // Next to node 0: its links' targets start 10 px away from it.
    expect(linkAt(pairs, points, 10, 1, 1, 2)).toBeNull();
    // The centre, where both diagonals cross: the later one wins, as the SVG's would.
    expect(linkAt(pairs, points, 10, 50, 50)).toBe(4);
  });
});
