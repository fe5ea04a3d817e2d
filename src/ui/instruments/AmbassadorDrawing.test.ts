// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { RequestsInstrumentData } from '../../scenarios/ambassador/instrument.ts';
import { ambassadorDrawing } from './AmbassadorDrawing.ts';

const overloaded: RequestsInstrumentData = {
  hasAmbassador: true,
  focus: 'amb-1',
  inFlight: [
    {
      app: 'app-1',
      requestId: 1_000_000_126,
      elapsedUs: 600_000,
      attempts: 2,
      maxAttempts: 4,
      failed: 1,
      live: [{ kind: 'retry', sentAfterUs: 300_000, instance: 'remote-2' }],
      isBackingOff: false,
      lastFailure: 'timeout',
    },
    {
      app: 'app-1',
      requestId: 1_000_000_127,
      elapsedUs: 700_000,
      attempts: 2,
      maxAttempts: 4,
      failed: 2,
      live: [],
      isBackingOff: true,
      lastFailure: 'rejected',
    },
    {
      app: 'app-1',
      requestId: 1_000_000_128,
      elapsedUs: 200_000,
      attempts: 2,
      maxAttempts: 4,
      failed: 0,
      live: [
        { kind: 'first', sentAfterUs: 0, instance: 'remote-1' },
        { kind: 'hedge', sentAfterUs: 150_000, instance: 'remote-3' },
      ],
      isBackingOff: false,
      lastFailure: null,
    },
  ],
  pendingCount: 12,
  retryingCount: 5,
  answered: [
    {
      app: 'app-1',
      requestId: 1_000_000_120,
      attempts: 3,
      maxAttempts: 4,
      instances: 3,
      outcome: 'ok',
      latencyMs: 640,
    },
    {
      app: 'app-1',
      requestId: 1_000_000_119,
      attempts: 1,
      maxAttempts: 4,
      instances: 1,
      outcome: 'budget spent',
      latencyMs: 260,
    },
  ],
  budgets: [
    {
      ambassador: 'amb-1',
      isUp: true,
      retries: 60,
      allowance: 60.8,
      requests: 136,
      isRefusing: true,
      refusals: 4,
      hedges: 0,
    },
    {
      ambassador: 'amb-2',
      isUp: true,
      retries: 20,
      allowance: 47,
      requests: 90,
      isRefusing: false,
      refusals: 0,
      hedges: 0,
    },
  ],
  isBudgetOn: true,
  isHedgingOn: false,
  budgetPercent: 30,
  deadlineUs: 1_500_000,
  tryTimeoutUs: 250_000,
};

function drawn(data: RequestsInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  ambassadorDrawing.draw(svg, data, 300, ambassadorDrawing.heightPx(data, 300));
  return svg;
}

function fills(parent: Element, selector: string): string[] {
  return [...parent.querySelectorAll(selector)].map((each) => (each as SVGElement).style.fill);
}

describe('ambassador drawing', () => {
  it('draws each budget against its allowance, red when it refuses', () => {
    const svg = drawn(overloaded);
    const rows = [...svg.querySelectorAll('g.am-budget-row')];
    expect(rows.map((row) => row.querySelector('text.am-budget-text')?.textContent)).toEqual([
      '60 of 60 · full',
      '20 of 47',
    ]);
    const used = rows.map((row) => row.querySelector('rect.segment') as SVGRectElement);
    expect(used[0]?.style.fill).toBe('rgb(220, 38, 38)');
    expect(Number(used[1]?.getAttribute('width'))).toBeGreaterThan(0);
  });

  it('draws attempts in flight by kind on the arrival-to-deadline timeline', () => {
    const svg = drawn(overloaded);
    const rows = [...svg.querySelectorAll('g.am-flight-row')];
    expect(rows).toHaveLength(3);
    // The first: one failed, one retry live; dots red, amber, then two hollow.
    expect(fills(rows[0] as Element, 'g.am-dots circle')).toEqual([
      'rgb(220, 38, 38)',
      'rgb(217, 119, 6)',
      'none',
      'none',
    ]);
    expect(fills(rows[0] as Element, 'g.am-attempt rect')).toEqual(['rgb(217, 119, 6)']);
    // Backing off: the earlier part outlined, no live attempt.
    const backoff = (rows[1] as Element).querySelector('rect.am-earlier') as SVGRectElement;
    expect(Number(backoff.getAttribute('width'))).toBeGreaterThan(0);
    expect((rows[1] as Element).querySelectorAll('g.am-attempt')).toHaveLength(0);
    // A hedge runs beside the first try, each with its per-try timeout tick.
    expect(fills(rows[2] as Element, 'g.am-attempt rect')).toEqual([
      'rgb(37, 99, 235)',
      'rgb(147, 51, 234)',
    ]);
    expect((rows[2] as Element).querySelectorAll('g.am-attempt line')).toHaveLength(2);
  });

  it('redraws in place, and says the baseline has no ambassador', () => {
    const svg = drawn(overloaded);
    const calmer = { ...overloaded, inFlight: overloaded.inFlight.slice(2), answered: [] };
    ambassadorDrawing.draw(svg, calmer, 300, ambassadorDrawing.heightPx(calmer, 300));
    expect(svg.querySelectorAll('g.am-flight-row')).toHaveLength(1);
    expect(svg.querySelectorAll('g.am-answered-row')).toHaveLength(0);
    const baseline: RequestsInstrumentData = {
      ...overloaded,
      hasAmbassador: false,
      focus: null,
      inFlight: [],
      answered: [],
      budgets: [],
    };
    ambassadorDrawing.draw(svg, baseline, 300, ambassadorDrawing.heightPx(baseline, 300));
    expect(svg.textContent).toContain('Direct calls: one attempt each');
    expect(svg.querySelectorAll('g.am-budget-row')).toHaveLength(0);
    expect(ambassadorDrawing.heightPx(overloaded, 300)).toBeLessThanOrEqual(260);
  });
});
