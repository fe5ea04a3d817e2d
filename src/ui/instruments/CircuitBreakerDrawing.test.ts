// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { BreakerInstrumentData } from '../../scenarios/circuit-breaker/instrument.ts';
import { failureBit, slowBit } from '../../scenarios/circuit-breaker/outcomeWindow.ts';
import { circuitBreakerDrawing } from './CircuitBreakerDrawing.ts';

const closed: BreakerInstrumentData = {
  state: 'closed',
  windowKind: 'count',
  windowSize: 20,
  outcomes: [0, failureBit, slowBit, 0],
  calls: 4,
  failures: 1,
  slow: 1,
  minimumCalls: 10,
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 0.5,
  openRemainingUs: null,
  waitInOpenUs: 5_000_000,
  probesStarted: 0,
  probesFinished: 0,
  permittedHalfOpenCalls: 3,
  trips: 0,
};

function drawn(data: BreakerInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  circuitBreakerDrawing.draw(svg, data, 320, circuitBreakerDrawing.heightPx(data, 320));
  return svg;
}

function litState(svg: SVGSVGElement): string[] {
  return [...svg.querySelectorAll('g.cb-state')]
    .filter((g) => (g.querySelector('rect') as SVGRectElement).style.fill !== 'none')
    .map((g) => g.textContent);
}

describe('circuit breaker drawing', () => {
  it('lights the current state only, and colours the window by outcome', () => {
    const svg = drawn(closed);
    expect(litState(svg)).toEqual(['closed']);
    const fills = [...svg.querySelectorAll('rect.cb-slot')].map(
      (rect) => (rect as SVGRectElement).style.fill,
    );
    expect(fills.slice(0, 5)).toEqual([
      'rgb(22, 163, 74)',
      'rgb(220, 38, 38)',
      'rgb(217, 119, 6)',
      'rgb(22, 163, 74)',
      'none',
    ]);
    expect(svg.textContent).toContain('not judged yet');
  });

  it('redraws in place: the next reading moves the light and fills the countdown', () => {
    const svg = drawn(closed);
    const open = { ...closed, state: 'open' as const, openRemainingUs: 2_500_000 };
    circuitBreakerDrawing.draw(svg, open, 320, 196);
    expect(litState(svg)).toEqual(['open']);
    expect(svg.textContent).toContain('Window: kept while open (late results recorded)');
    expect(svg.querySelectorAll('g.cb-state')).toHaveLength(3);
    const countdown = svg.querySelector('g.cb-countdown rect.segment') as SVGRectElement;
    const track = svg.querySelector('g.cb-countdown rect.track') as SVGRectElement;
    expect(Number(countdown.getAttribute('width'))).toBeCloseTo(
      Number(track.getAttribute('width')) / 2,
    );
  });

  it('says the window was emptied when an open breaker holds no calls (the earlier rules)', () => {
    const svg = drawn({ ...closed, state: 'open', outcomes: [], calls: 0, failures: 0, slow: 0 });
    expect(svg.textContent).toContain('Window: emptied on opening');
  });

  it('marks half-open trial calls started and finished', () => {
    const svg = drawn({ ...closed, state: 'half-open', probesStarted: 2, probesFinished: 1 });
    const trials = [...svg.querySelectorAll('circle.cb-trial')].map(
      (circle) => (circle as SVGCircleElement).style.fill,
    );
    expect(trials).toEqual(['rgb(22, 163, 74)', 'rgb(217, 119, 6)', 'none']);
  });

  it("lights the box an operator's forced state behaves like, named for it and dashed", () => {
    const svg = drawn({ ...closed, state: 'forced-open' });
    expect(litState(svg)).toEqual(['held open']);
    const dashed = [...svg.querySelectorAll('g.cb-state rect')].filter(
      (rect) => (rect as SVGRectElement).style.strokeDasharray !== '',
    );
    expect(dashed).toHaveLength(1);
    circuitBreakerDrawing.draw(svg, { ...closed, state: 'metrics-only' }, 320, 196);
    expect(litState(svg)).toEqual(['metrics only']);
    circuitBreakerDrawing.draw(svg, { ...closed, state: 'disabled' }, 320, 196);
    expect(litState(svg)).toEqual(['disabled']);
    // Back to an ordinary state: its own name, solid.
    circuitBreakerDrawing.draw(svg, closed, 320, 196);
    expect(litState(svg)).toEqual(['closed']);
    const stillDashed = [...svg.querySelectorAll('g.cb-state rect')].filter(
      (rect) => (rect as SVGRectElement).style.strokeDasharray !== '',
    );
    expect(stillDashed).toHaveLength(0);
  });
});
