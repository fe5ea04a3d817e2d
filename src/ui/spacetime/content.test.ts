import { describe, expect, it } from 'vitest';
import {
  bundleTrips,
  contentInWindow,
  drawableMax,
  laneMarksMax,
  type WindowContent,
} from './content.ts';
import { captionFor } from './describe.ts';
import { buildChronicle, type MessageTrip } from './messages.ts';
import { busyEvents, EventScript } from './testEvents.ts';

function drawnCount(content: WindowContent): number {
  return (
    content.trips.length + content.bundles.length + content.marks.length + content.spans.length
  );
}

function trip(overrides: Partial<MessageTrip>): MessageTrip {
  return {
    id: 0,
    type: 'Ping',
    from: 0,
    to: 1,
    sentUs: 0,
    isSendKnown: true,
    dueUs: 100,
    endUs: 100,
    outcome: 'delivered',
    dropReason: null,
    isDuplicate: false,
    wasHeld: false,
    ...overrides,
  };
}

describe('contentInWindow', () => {
  it('keeps the trips, marks and spans that overlap the window', () => {
    const script = new EventScript()
      .send(1_000, 1, 0, 1, 'A', 2_000)
      .deliver(2_000, 1, 0, 1, 'A')
      // Sent before the window, delivered inside it: drawn from outside the left edge.
      .send(4_000, 2, 1, 2, 'B', 6_000)
      .node(5_500, 'node.crashed', 0)
      .deliver(6_000, 2, 1, 2, 'B')
      .send(7_000, 3, 2, 0, 'C', 8_000)
      .deliver(8_000, 3, 2, 0, 'C')
      .send(12_000, 4, 0, 2, 'D', 20_000);
    const chronicle = buildChronicle({ events: script.events, nowUs: 14_000, nodeCount: 3 });
    const content = contentInWindow(chronicle, { startUs: 5_000, endUs: 10_000 });
    expect(content.trips.map((each) => each.id)).toEqual([2, 3]);
    expect(content.marks.map((mark) => mark.kind)).toEqual(['crashed']);
    expect(content.spans).toEqual([{ kind: 'down', node: 0, startUs: 5_500, endUs: 14_000 }]);
    expect(content.bundles).toEqual([]);
    expect(content.counts).toMatchObject({ messages: 2, delivered: 2, crashes: 1, bundled: 0 });
    const later = contentInWindow(chronicle, { startUs: 9_000, endUs: 14_000 });
    expect(later.trips.map((each) => [each.id, each.outcome])).toEqual([[4, 'in-flight']]);
  });

  it('draws 10,000 events with at most the drawable count of things, bundling the rest', () => {
    const events = busyEvents(10_000, 5, 20);
    const nowUs = events[events.length - 1]?.timeUs ?? 0;
    const chronicle = buildChronicle({ events, nowUs, nodeCount: 5 });
    const content = contentInWindow(chronicle, { startUs: 0, endUs: nowUs });
    expect(content.counts.messages).toBeGreaterThan(drawableMax);
    expect(drawnCount(content)).toBeLessThanOrEqual(drawableMax);
    expect(content.trips).toEqual([]);
    expect(content.bundles.length).toBeGreaterThan(0);
    // Every message is in exactly one bundle, and the caption says so.
    expect(content.counts.bundled).toBe(content.counts.messages);
    expect(content.counts.omitted).toBe(0);
    expect(content.bundles.reduce((sum, bundle) => sum + bundle.droppedCount, 0)).toBe(
      content.counts.dropped,
    );
    expect(captionFor(content)).toContain(
      `${content.counts.bundled.toLocaleString('en')} messages shown as ${String(content.bundles.length)} bundles; zoom in for each.`,
    );
    // Zoomed in far enough, each message is drawn on its own again.
    const narrow = contentInWindow(chronicle, { startUs: nowUs - 20_000, endUs: nowUs });
    expect(narrow.bundles).toEqual([]);
    expect(narrow.trips.length).toBe(narrow.counts.messages);
  });

  it('keeps only the most recent marks past their cap', () => {
    const script = new EventScript();
    for (let i = 0; i < laneMarksMax + 50; i++) script.node(i * 10, 'node.paused', 0);
    const chronicle = buildChronicle({ events: script.events, nowUs: 10_000, nodeCount: 1 });
    const content = contentInWindow(chronicle, { startUs: 0, endUs: 10_000 });
    expect(content.marks).toHaveLength(laneMarksMax);
    expect(content.marks[0]?.timeUs).toBe(500);
    expect(content.counts.marksOmitted).toBeGreaterThanOrEqual(50);
    expect(drawnCount(content)).toBeLessThanOrEqual(drawableMax);
  });
});

describe('bundleTrips', () => {
  it('bundles per pair of lanes and slice of send time, with mean times and drops', () => {
    const trips = [
      trip({ id: 1, sentUs: 0, endUs: 100 }),
      trip({ id: 2, sentUs: 200, endUs: 500, outcome: 'dropped' }),
      trip({ id: 3, sentUs: 100, endUs: 300, from: 1, to: 0, type: 'Pong' }),
      trip({ id: 4, sentUs: 900, endUs: 1_000 }),
    ];
    // Budget 4 over two pairs: two slices of 500 µs each.
    const bundles = bundleTrips(trips, { startUs: 0, endUs: 1_000 }, 4);
    expect(bundles).toEqual([
      { from: 0, to: 1, sentUs: 100, endUs: 300, count: 2, droppedCount: 1, type: 'Ping' },
      { from: 1, to: 0, sentUs: 100, endUs: 300, count: 1, droppedCount: 0, type: 'Pong' },
      { from: 0, to: 1, sentUs: 900, endUs: 1_000, count: 1, droppedCount: 0, type: 'Ping' },
    ]);
  });

  it('marks a bundle of mixed types, and keeps the fullest bundles when pairs outnumber the budget', () => {
    const trips = [
      trip({ id: 1, from: 0, to: 1, type: 'A' }),
      trip({ id: 2, from: 0, to: 1, type: 'B' }),
      trip({ id: 3, from: 1, to: 2 }),
      trip({ id: 4, from: 2, to: 0 }),
    ];
    const bundles = bundleTrips(trips, { startUs: 0, endUs: 1_000 }, 2);
    expect(bundles).toHaveLength(2);
    expect(bundles[0]).toMatchObject({ from: 0, to: 1, count: 2, type: '' });
  });
});
