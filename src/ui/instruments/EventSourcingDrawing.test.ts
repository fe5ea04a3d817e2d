// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type {
  EventSourcingInstrumentData,
  StreamReading,
} from '../../scenarios/event-sourcing/instrument.ts';
import { cursorWindowOf, eventSourcingDrawing } from './EventSourcingDrawing.ts';

function streamOf(stream: string, version: number, snapshotVersion: number | null): StreamReading {
  const first = Math.max(1, version - 4);
  return {
    stream,
    version,
    events: Array.from({ length: version - first + 1 }, (_, i) => ({
      version: first + i,
      position: 10 * (first + i),
      type: i % 2 === 0 ? 'Deposited' : 'Withdrawn',
      amount: 5,
    })),
    snapshotVersion,
    balance: null,
  };
}

const conflicted: EventSourcingInstrumentData = {
  hasLog: true,
  head: 100,
  streamCount: 9,
  streams: [streamOf('acct-1', 40, 38), streamOf('acct-2', 3, null), streamOf('acct-6', 15, 10)],
  snapshotEvery: 10,
  snapshotCount: 2,
  projections: [
    {
      id: 'balances',
      position: 96,
      lag: 4,
      isUp: true,
      isRebuilding: false,
      isWaitingOnGap: false,
    },
    { id: 'audit', position: 100, lag: 0, isUp: true, isRebuilding: false, isWaitingOnGap: false },
  ],
  retried: 3,
  gaveUp: 0,
  lastConflict: {
    handler: 'handler-1',
    atUs: 1,
    stream: 'acct-1',
    expectedVersion: 38,
    actualVersion: 39,
    retry: 1,
  },
};

function drawn(data: EventSourcingInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  eventSourcingDrawing.draw(svg, data, 300, eventSourcingDrawing.heightPx(data, 300));
  return svg;
}

function versionsOf(svg: SVGSVGElement, stream: string): string[] {
  const row = [...svg.querySelectorAll('g.es-stream')].find(
    (each) => each.querySelector('text.es-name')?.textContent === stream,
  );
  return [...(row?.querySelectorAll('text.es-version') ?? [])].map((t) => t.textContent);
}

describe('event sourcing drawing', () => {
  it('draws each stream’s newest events, its snapshot mark, the cursors and the conflict', () => {
    const svg = drawn(conflicted);
    expect(eventSourcingDrawing.heightPx(conflicted, 300)).toBeLessThanOrEqual(260);
    expect(versionsOf(svg, 'acct-1')).toEqual(['v36', 'v37', 'v38', 'v39', 'v40']);
    expect(versionsOf(svg, 'acct-2')).toEqual(['v1', 'v2', 'v3']);
    // acct-1's snapshot (v38) is among the cells drawn; acct-6's (v10) is older than them.
    expect(svg.querySelectorAll('path.es-snap')).toHaveLength(1);
    expect(svg.textContent).toContain('snap v10');
    expect(svg.textContent).toContain('+6 more streams');
    // The event that got in first (v39) is marked on the conflicted stream.
    expect(svg.querySelectorAll('line.es-won')).toHaveLength(1);
    expect(svg.textContent).toContain('acct-1: expected v38, was v39');
    expect(svg.textContent).toContain('Conflicts retried: 3');
    expect(svg.textContent).toContain('96, 4 behind');
    expect(svg.textContent).toContain('100, caught up');
    expect(cursorWindowOf(conflicted)).toEqual({ from: 80, to: 100 });
  });

  it('redraws in place as the streams grow and a projection rebuilds', () => {
    const svg = drawn(conflicted);
    const before = svg.querySelector('g.es-stream');
    eventSourcingDrawing.draw(
      svg,
      {
        ...conflicted,
        head: 101,
        streams: [streamOf('acct-1', 41, 40), ...conflicted.streams.slice(1)],
        projections: [
          { ...conflicted.projections[0], position: 0, lag: 101, isRebuilding: true },
          { ...conflicted.projections[1], position: 101 },
        ] as EventSourcingInstrumentData['projections'],
      },
      300,
      200,
    );
    expect(svg.querySelector('g.es-stream')).toBe(before);
    expect(svg.querySelectorAll('g.es-stream')).toHaveLength(3);
    expect(versionsOf(svg, 'acct-1')).toEqual(['v37', 'v38', 'v39', 'v40', 'v41']);
    expect(svg.textContent).toContain('⟳ 0, 101 behind');
  });

  it('draws the baseline’s rows without history or projections', () => {
    const svg = drawn({
      ...conflicted,
      hasLog: false,
      head: 0,
      streamCount: 2,
      streams: [
        { stream: 'acct-1', version: 40, events: [], snapshotVersion: null, balance: 120 },
        { stream: 'acct-2', version: 3, events: [], snapshotVersion: null, balance: 7 },
      ],
      snapshotEvery: 0,
      snapshotCount: 0,
      projections: [],
      lastConflict: null,
      retried: 0,
    });
    expect(svg.querySelectorAll('rect.es-row')).toHaveLength(2);
    expect(svg.querySelectorAll('g.es-cursor')).toHaveLength(0);
    expect(svg.textContent).toContain('v40: balance 120');
    expect(svg.textContent).toContain('no history');
    expect(svg.textContent).toContain('none yet');
  });
});
