import { describe, expect, it } from 'vitest';
import { contentInWindow } from './content.ts';
import {
  distanceToSegment,
  heightMaxFor,
  hitTest,
  laneLabelEvery,
  layoutFor,
  lostAtSenderProgress,
  timeOfX,
  tripSegment,
  xOfTime,
  yOfLane,
} from './geometry.ts';
import { buildChronicle } from './messages.ts';
import { busyEvents, EventScript } from './testEvents.ts';

const layout = layoutFor(656, 3);
const window = { startUs: 0, endUs: 10_000 };

function contentOf(script: EventScript, nowUs: number) {
  const chronicle = buildChronicle({ events: script.events, nowUs, nodeCount: 3 });
  return contentInWindow(chronicle, window);
}

describe('layout and scales', () => {
  it('maps the window onto the plot and back', () => {
    expect(xOfTime(layout, window, 0)).toBe(layout.plotLeftPx);
    expect(xOfTime(layout, window, 10_000)).toBe(layout.plotRightPx);
    expect(timeOfX(layout, window, xOfTime(layout, window, 2_500))).toBeCloseTo(2_500, 6);
  });

  it('puts lanes in topology order, evenly spaced, above the axis', () => {
    expect(yOfLane(layout, 1) - yOfLane(layout, 0)).toBe(layout.lanePitchPx);
    expect(yOfLane(layout, 2)).toBeLessThan(layout.axisTopPx);
    expect(layout.heightPx).toBeGreaterThan(layout.axisTopPx);
  });

  it('keeps many lanes within the height cap by packing them closer', () => {
    const heightMaxPx = heightMaxFor(720);
    expect(heightMaxPx).toBe(180);
    const few = layoutFor(600, 3, heightMaxPx);
    const many = layoutFor(600, 9, heightMaxPx);
    expect(many.lanePitchPx).toBeLessThan(few.lanePitchPx);
    expect(many.heightPx).toBeLessThanOrEqual(heightMaxPx);
    expect(few.heightPx).toBeLessThan(heightMaxPx);
    expect(heightMaxFor(300)).toBe(120);
    expect(heightMaxFor(2000)).toBe(320);
  });

  it('packs a hundred or a thousand lanes under the cap, labelling every few', () => {
    const heightMaxPx = heightMaxFor(900);
    for (const lanes of [30, 100, 1000]) {
      const dense = layoutFor(600, lanes, heightMaxPx);
      expect(dense.heightPx).toBeLessThanOrEqual(heightMaxPx);
      expect(yOfLane(dense, lanes - 1)).toBeLessThan(dense.axisTopPx);
      // Labelled lanes stay at least 10 px apart, and no further apart than needed.
      const every = laneLabelEvery(dense);
      expect(every * dense.lanePitchPx).toBeGreaterThanOrEqual(10);
      expect((every - 1) * dense.lanePitchPx).toBeLessThan(10);
    }
    expect(laneLabelEvery(layoutFor(600, 9, heightMaxPx))).toBe(1);
  });
});

describe('segments', () => {
  it('ends a message in flight at now, part of the way to its receiver', () => {
    const script = new EventScript().send(2_000, 1, 0, 2, 'Ping', 6_000);
    const [trip] = contentOf(script, 4_000).trips;
    if (trip === undefined) throw new Error('no trip');
    const segment = tripSegment(layout, window, trip);
    expect(segment.x2).toBe(xOfTime(layout, window, 4_000));
    // Half its trip made: halfway from lane 0 to lane 2, i.e. on lane 1.
    expect(segment.y2).toBe(yOfLane(layout, 1));
  });

  it('draws a message lost at its sender as a stub, and one dropped on arrival in full', () => {
    const script = new EventScript()
      .send(1_000, 1, 0, 2, 'Ping', -1)
      .drop(1_000, 1, 0, 2, 'Ping', 1)
      .send(2_000, 2, 0, 2, 'Ping', 3_000)
      .drop(3_000, 2, 2, 0, 'Ping', 2);
    const [lost, dropped] = contentOf(script, 4_000).trips;
    if (lost === undefined || dropped === undefined) throw new Error('missing trips');
    expect(tripSegment(layout, window, lost).y2).toBe(yOfLane(layout, 2 * lostAtSenderProgress));
    expect(tripSegment(layout, window, dropped).y2).toBe(yOfLane(layout, 2));
  });

  it('measures the distance to the nearest point of a segment', () => {
    const segment = { x1: 0, y1: 0, x2: 10, y2: 0 };
    expect(distanceToSegment(segment, 5, 3)).toBe(3);
    expect(distanceToSegment(segment, 14, 3)).toBe(5);
    expect(distanceToSegment({ x1: 2, y1: 2, x2: 2, y2: 2 }, 2, 5)).toBe(3);
  });
});

describe('hitTest', () => {
  const script = new EventScript()
    .send(1_000, 1, 0, 1, 'Ping', 3_000)
    .deliver(3_000, 1, 0, 1, 'Ping')
    .send(5_000, 2, 2, 0, 'Pong', 9_000)
    .deliver(9_000, 2, 2, 0, 'Pong');
  const content = contentOf(script, 10_000);

  function midpointOf(id: number): { x: number; y: number } {
    const trip = content.trips.find((each) => each.id === id);
    if (trip === undefined) throw new Error(`no trip ${String(id)}`);
    const segment = tripSegment(layout, window, trip);
    return { x: (segment.x1 + segment.x2) / 2, y: (segment.y1 + segment.y2) / 2 };
  }

  it('finds the arrow under the pointer', () => {
    const first = midpointOf(1);
    const second = midpointOf(2);
    expect(hitTest(content, layout, first.x, first.y + 2)).toMatchObject({
      kind: 'trip',
      trip: { id: 1 },
    });
    expect(hitTest(content, layout, second.x - 1, second.y)).toMatchObject({ trip: { id: 2 } });
  });

  it('finds nothing away from every arrow, in the lane labels or on the axis', () => {
    const first = midpointOf(1);
    expect(hitTest(content, layout, first.x, first.y + 20)).toBeNull();
    expect(hitTest(content, layout, layout.plotLeftPx - 10, yOfLane(layout, 0))).toBeNull();
    expect(hitTest(content, layout, first.x, layout.axisTopPx + 5)).toBeNull();
  });

  it('hits bundles when the window is aggregated', () => {
    const events = busyEvents(10_000, 3, 20);
    const nowUs = events[events.length - 1]?.timeUs ?? 0;
    const chronicle = buildChronicle({ events, nowUs, nodeCount: 3 });
    const wide = { startUs: 0, endUs: nowUs };
    const aggregated = contentInWindow(chronicle, wide);
    const bundle = aggregated.bundles[10];
    if (bundle === undefined) throw new Error('not aggregated');
    const x1 = xOfTime(layout, wide, bundle.sentUs);
    const x2 = xOfTime(layout, wide, bundle.endUs);
    const y1 = yOfLane(layout, bundle.from);
    const y2 = yOfLane(layout, bundle.to);
    const hit = hitTest(aggregated, layout, (x1 + x2) / 2, (y1 + y2) / 2);
    expect(hit?.kind).toBe('bundle');
  });
});
