// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { CqrsInstrumentData } from '../../scenarios/cqrs/instrument.ts';
import { cqrsDrawing, windowOf } from './CqrsDrawing.ts';

const lagging: CqrsInstrumentData = {
  hasReadSide: true,
  head: 100,
  publishedUpTo: 98,
  writesPerSecond: 12,
  laggingAt: 12,
  readers: [
    { id: 'projector', kind: 'projector', position: 88, lag: 12, isUp: true, isServing: false },
    { id: 'q1', kind: 'replica', position: 88, lag: 12, isUp: true, isServing: true },
    { id: 'q2', kind: 'replica', position: 100, lag: 0, isUp: true, isServing: true },
  ],
  spares: ['q3'],
};

function drawn(data: CqrsInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  cqrsDrawing.draw(svg, data, 300, cqrsDrawing.heightPx(data, 300));
  return svg;
}

function lagWidths(svg: SVGSVGElement): number[] {
  return [...svg.querySelectorAll('rect.cq-lag')].map((rect) => Number(rect.getAttribute('width')));
}

describe('cqrs drawing', () => {
  it('shows the newest stretch of the log and each reader’s lag to the head', () => {
    expect(windowOf(lagging)).toEqual({ from: 76, to: 100 });
    const svg = drawn(lagging);
    // 24 entries, the last two not yet acknowledged by the broker.
    const cells = [...svg.querySelectorAll('rect.cq-cell')];
    expect(cells).toHaveLength(24);
    expect(
      cells.filter((cell) => (cell as SVGRectElement).style.fill === 'rgb(37, 99, 235)'),
    ).toHaveLength(22);
    // Track 300 − 58 − 78 = 164 px for 24 positions: 12 behind is half of it.
    const [projector, q1, q2] = lagWidths(svg);
    expect(projector).toBeCloseTo(82);
    expect(q1).toBeCloseTo(82);
    expect(q2).toBe(0);
    expect(svg.textContent).toContain('12, ≈ 1.0 s');
    expect(svg.textContent).toContain('caught up');
    expect(svg.textContent).toContain('Spare: q3');
  });

  it('redraws in place as the readers catch up, and shows a replaying replica', () => {
    const svg = drawn(lagging);
    cqrsDrawing.draw(
      svg,
      {
        ...lagging,
        head: 110,
        publishedUpTo: 110,
        readers: [
          ...lagging.readers.map((reader) => ({ ...reader, position: 110, lag: 0 })),
          { id: 'q3', kind: 'replica', position: 20, lag: 90, isUp: true, isServing: false },
        ],
        spares: [],
      },
      300,
      200,
    );
    expect(svg.querySelectorAll('g.cq-reader')).toHaveLength(4);
    expect(lagWidths(svg).slice(0, 3)).toEqual([0, 0, 0]);
    // 90 behind widens the window to the whole log and beyond 60 entries: a solid bar.
    expect(svg.querySelectorAll('rect.cq-cell')).toHaveLength(0);
    expect(svg.querySelectorAll('rect.cq-solid')).toHaveLength(1);
    expect(svg.textContent).toContain('q3 ⟳');
    expect(svg.textContent).toContain('replaying, not serving');
  });

  it('draws only the log in the baseline', () => {
    const svg = drawn({ ...lagging, hasReadSide: false, readers: [], spares: [] });
    expect(svg.querySelectorAll('g.cq-reader')).toHaveLength(0);
    expect(svg.textContent).toContain('one store');
  });
});
