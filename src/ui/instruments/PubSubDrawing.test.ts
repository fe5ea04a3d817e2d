// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type {
  PubSubInstrumentData,
  SubscriptionReading,
} from '../../scenarios/pub-sub/instrument.ts';
import { pubSubDrawing } from './PubSubDrawing.ts';

const sub = (id: string, queued: number, extra: Partial<SubscriptionReading> = {}) => ({
  id,
  isDurable: true,
  isSlow: false,
  slowFactor: 1,
  isUp: true,
  hasSubscription: true,
  queued,
  unacked: queued > 0 ? 1 : 0,
  redelivered: 0,
  duplicates: 0,
  behindSinceUs: null,
  ...extra,
});

const keepingUp: PubSubInstrumentData = {
  hasBroker: true,
  isBrokerUp: true,
  capacity: 100,
  behindAt: 25,
  policy: 'block-publisher',
  isAtLeastOnce: true,
  nowUs: 5_000_000,
  subscriptions: [sub('s1', 1), sub('s2', 0), sub('s3', 2, { isDurable: false }), sub('s4', 3)],
  publishers: [
    { id: 'p1', outbox: 1 },
    { id: 'p2', outbox: 0 },
  ],
  outboxMax: 500,
};

function drawn(data: PubSubInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  pubSubDrawing.draw(svg, data, 300, pubSubDrawing.heightPx(data, 300));
  return svg;
}

function queueWidths(svg: SVGSVGElement, id: string): number[] {
  const row = [...svg.querySelectorAll('g.ps-sub')].find(
    (g) => g.querySelector('text.ps-id')?.textContent.replace('*', '') === id,
  );
  return [...(row?.querySelectorAll('g.ps-queue rect.segment') ?? [])].map((rect) =>
    Number(rect.getAttribute('width')),
  );
}

describe('pub-sub drawing', () => {
  it('draws one queue bar per subscription against the bound', () => {
    const svg = drawn(keepingUp);
    expect(svg.querySelectorAll('g.ps-sub')).toHaveLength(4);
    // 300 px wide: the bar is 300 − 24 (ids) − 74 − 30 (numbers) = 172 px for 100 messages.
    const [unacked, waiting] = queueWidths(svg, 's3');
    expect(unacked).toBeCloseTo(1.72);
    expect(waiting).toBeCloseTo(1.72);
    expect(svg.textContent).toContain('* in-memory');
    expect(svg.textContent).toContain('Nobody behind');
  });

  it('redraws in place: a slowed subscriber fills its bar and is marked behind', () => {
    const svg = drawn(keepingUp);
    const behind: PubSubInstrumentData = {
      ...keepingUp,
      subscriptions: [
        ...keepingUp.subscriptions.slice(0, 3),
        sub('s4', 80, { slowFactor: 10, behindSinceUs: 2_000_000, redelivered: 2 }),
      ],
    };
    pubSubDrawing.draw(svg, behind, 300, 200);
    expect(svg.querySelectorAll('g.ps-sub')).toHaveLength(4);
    const [unacked, waiting] = queueWidths(svg, 's4');
    expect(unacked).toBeCloseTo(1.72);
    expect(waiting).toBeCloseTo(135.88);
    expect(svg.textContent).toContain('Behind: s4 3.0 s, slowed ×10.');
    const s4 = [...svg.querySelectorAll('g.ps-sub')][3];
    expect(s4?.querySelector('text.ps-queued')?.textContent).toBe('80');
    expect(s4?.querySelector('text.ps-unacked')?.textContent).toBe('1');
    expect(s4?.querySelector('text.ps-redelivered')?.textContent).toBe('2');
  });

  it('without a broker, draws the publishers’ outboxes instead', () => {
    const svg = drawn(keepingUp);
    pubSubDrawing.draw(
      svg,
      { ...keepingUp, hasBroker: false, publishers: [{ id: 'p1', outbox: 60 }] },
      300,
      200,
    );
    expect(svg.querySelectorAll('g.ps-sub')).toHaveLength(0);
    expect(svg.querySelectorAll('g.ps-pub')).toHaveLength(1);
    expect(svg.textContent).toContain('p1 outbox: 60/500');
    expect(svg.textContent).toContain('held up');
  });
});
