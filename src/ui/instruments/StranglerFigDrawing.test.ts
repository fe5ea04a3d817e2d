// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type {
  RouteReading,
  RoutesInstrumentData,
} from '../../scenarios/strangler-fig/instrument.ts';
import { stranglerFigDrawing } from './StranglerFigDrawing.ts';

function routeOf(name: string, overrides: Partial<RouteReading> = {}): RouteReading {
  return {
    name,
    stage: 'legacy',
    percentNew: 0,
    isShadow: false,
    windowCalls: 0,
    windowFailures: 0,
    recent: [],
    compared: 0,
    mismatches: 0,
    rollbacks: 0,
    releaseErrorPct: 0,
    releaseWrongPct: 0,
    isServiceUp: true,
    ...overrides,
  };
}

const plan: RoutesInstrumentData = {
  routes: [
    routeOf('catalog', { stage: 'new', percentNew: 100, windowCalls: 3, recent: [0, 0, 0] }),
    routeOf('orders', {
      stage: 'canary',
      percentNew: 25,
      isShadow: true,
      windowCalls: 4,
      windowFailures: 2,
      recent: [0, 1, 0, 1],
      compared: 5,
      mismatches: 1,
    }),
    routeOf('payments', { stage: 'shadow', isShadow: true, compared: 7 }),
    routeOf('accounts'),
  ],
  thresholdPct: 20,
  minCalls: 10,
  windowMs: 5000,
  legacy: 'serving',
  isFacadeDown: false,
};

function drawn(data: RoutesInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  stranglerFigDrawing.draw(svg, data, 300, stranglerFigDrawing.heightPx(data, 300));
  return svg;
}

function widths(svg: SVGSVGElement, className: string): number[] {
  return [...svg.querySelectorAll(`rect.${className}`)].map((rect) =>
    Number(rect.getAttribute('width')),
  );
}

describe('strangler fig drawing', () => {
  it('splits each route’s bar between legacy and new and names its stage', () => {
    const svg = drawn(plan);
    expect(widths(svg, 'sf-new')).toEqual([300, 75, 0, 0]);
    expect(widths(svg, 'sf-legacy')).toEqual([0, 225, 300, 300]);
    expect([...svg.querySelectorAll('text.sf-stage')].map((t) => t.textContent)).toEqual([
      'new',
      'canary 25% + shadow',
      'shadow',
      'legacy',
    ]);
    // The shadow copy is marked on shadowed routes only.
    expect(widths(svg, 'sf-shadow').map((w) => w > 0)).toEqual([false, true, true, false]);
    expect(svg.textContent).toContain('2/4 failed · 1 of 5 differ');
  });

  it('colours the window’s outcomes, newest right, and leaves legacy-only routes without one', () => {
    const svg = drawn(plan);
    const windows = [...svg.querySelectorAll('g.sf-window')];
    expect(windows.map((g) => g.querySelectorAll('rect.sf-slot').length)).toEqual([12, 12, 12, 0]);
    const orders = [...(windows[1] as Element).querySelectorAll('rect.sf-slot')].map(
      (rect) => (rect as SVGRectElement).style.fill,
    );
    expect(orders.slice(-4)).toEqual([
      'rgb(22, 163, 74)',
      'rgb(220, 38, 38)',
      'rgb(22, 163, 74)',
      'rgb(220, 38, 38)',
    ]);
    expect(orders[0]).toBe('none');
  });

  it('redraws in place: a rollback and legacy’s retirement', () => {
    const svg = drawn(plan);
    const next: RoutesInstrumentData = {
      ...plan,
      routes: plan.routes.map((each) =>
        each.name === 'orders' ? routeOf('orders', { stage: 'rolled back', rollbacks: 1 }) : each,
      ),
      legacy: 'retired',
    };
    stranglerFigDrawing.draw(svg, next, 300, stranglerFigDrawing.heightPx(next, 300));
    expect(svg.querySelectorAll('g.sf-route')).toHaveLength(4);
    expect(svg.querySelectorAll('text.sf-stage')[1]?.textContent).toBe('rolled back');
    expect(svg.textContent).toContain('rolled back once');
    expect(svg.textContent).toContain('Legacy retired: no way back');
    expect(stranglerFigDrawing.heightPx(next, 300)).toBeLessThanOrEqual(260);
  });
});
