import { describe, expect, it } from 'vitest';
import { buildChronicle } from './messages.ts';
import { EventScript } from './testEvents.ts';

function chronicleOf(script: EventScript, nowUs: number, nodeCount = 3) {
  return buildChronicle({ events: script.events, nowUs, nodeCount });
}

describe('buildChronicle', () => {
  it('joins a send to its delivery by message id', () => {
    const script = new EventScript()
      .send(1_000, 7, 0, 2, 'AppendEntries', 4_000)
      .deliver(4_000, 7, 0, 2, 'AppendEntries');
    const [trip, ...rest] = chronicleOf(script, 10_000).trips;
    expect(rest).toEqual([]);
    expect(trip).toMatchObject({
      id: 7,
      type: 'AppendEntries',
      from: 0,
      to: 2,
      sentUs: 1_000,
      isSendKnown: true,
      dueUs: 4_000,
      endUs: 4_000,
      outcome: 'delivered',
      dropReason: null,
    });
  });

  it('ends a message lost at the sender where it was sent, with the reason', () => {
    const script = new EventScript()
      .send(2_000, 1, 1, 0, 'RequestVote', -1)
      .drop(2_000, 1, 1, 0, 'RequestVote', 0);
    expect(chronicleOf(script, 5_000).trips[0]).toMatchObject({
      from: 1,
      to: 0,
      dueUs: -1,
      endUs: 2_000,
      outcome: 'dropped',
      dropReason: 'loss',
    });
  });

  it('ends a message dropped on arrival at the receiver, naming why', () => {
    const script = new EventScript()
      .send(1_000, 3, 0, 1, 'Ping', 3_000)
      .drop(3_000, 3, 1, 0, 'Ping', 2);
    expect(chronicleOf(script, 5_000).trips[0]).toMatchObject({
      from: 0,
      to: 1,
      endUs: 3_000,
      outcome: 'dropped',
      dropReason: 'node-down',
    });
  });

  it('draws a duplicate as its own trip and leaves unfinished trips in flight up to now', () => {
    const script = new EventScript()
      .send(1_000, 1, 0, 1, 'Ping', 3_000)
      .duplicate(1_000, 2, 0, 1, 'Ping', 9_000)
      .deliver(3_000, 1, 0, 1, 'Ping');
    const trips = chronicleOf(script, 5_000).trips;
    expect(trips.map((trip) => [trip.id, trip.outcome, trip.isDuplicate, trip.endUs])).toEqual([
      [1, 'delivered', false, 3_000],
      [2, 'in-flight', true, 5_000],
    ]);
  });

  it('ignores events after the time shown', () => {
    const script = new EventScript()
      .send(1_000, 1, 0, 1, 'Ping', 3_000)
      .deliver(3_000, 1, 0, 1, 'Ping');
    const [trip] = chronicleOf(script, 2_000).trips;
    expect(trip).toMatchObject({ outcome: 'in-flight', endUs: 2_000 });
  });

  it('starts a trip whose send is older than the kept events at the history edge', () => {
    const script = new EventScript()
      .other(1_000, 'timer.fired', 0, 'election')
      .deliver(1_500, 9, 2, 0, 'Vote');
    const chronicle = chronicleOf(script, 2_000);
    expect(chronicle.historyStartUs).toBe(1_000);
    expect(chronicle.trips[0]).toMatchObject({
      id: 9,
      from: 2,
      to: 0,
      sentUs: 1_000,
      isSendKnown: false,
      outcome: 'delivered',
      endUs: 1_500,
    });
  });

  it('adds messages in flight that the frame knows but the kept events do not', () => {
    const script = new EventScript().other(1_000, 'timer.fired').send(1_200, 4, 0, 1, 'A', 3_000);
    const inFlight = Float64Array.from([4, 0, 1, 1_200, 3_000, 5, 2, 1, 400, 2_500]);
    const chronicle = buildChronicle({
      events: script.events,
      nowUs: 2_000,
      nodeCount: 3,
      inFlight,
      inFlightTypes: ['A', 'B'],
    });
    expect(
      chronicle.trips.map((trip) => [trip.id, trip.type, trip.sentUs, trip.isSendKnown]),
    ).toEqual([
      [5, 'B', 1_000, false],
      [4, 'A', 1_200, true],
    ]);
    expect(chronicle.trips.every((trip) => trip.outcome === 'in-flight')).toBe(true);
  });

  it('marks a hold on the lane and remembers it on the trip', () => {
    const script = new EventScript()
      .send(1_000, 1, 0, 1, 'Ping', 2_000)
      .hold(2_000, 1, 0, 1, 'Ping')
      .deliver(6_000, 1, 0, 1, 'Ping');
    const chronicle = chronicleOf(script, 8_000);
    expect(chronicle.trips[0]).toMatchObject({ wasHeld: true, outcome: 'delivered', endUs: 6_000 });
    expect(chronicle.marks).toEqual([{ kind: 'held', node: 1, timeUs: 2_000, label: 'Ping' }]);
  });

  it('turns crashes, restarts and pauses into marks and spans', () => {
    const script = new EventScript()
      .node(1_000, 'node.crashed', 1)
      .node(3_000, 'node.restarted', 1)
      .node(4_000, 'node.paused', 2)
      .node(5_000, 'node.crashed', 2)
      .partition(6_000, 'n1 | n2,n3')
      .node(7_000, 'node.paused', 0)
      .heal(8_000);
    const chronicle = chronicleOf(script, 9_000);
    expect(chronicle.marks.map((mark) => [mark.kind, mark.node, mark.timeUs])).toEqual([
      ['crashed', 1, 1_000],
      ['restarted', 1, 3_000],
      ['paused', 2, 4_000],
      ['crashed', 2, 5_000],
      ['partitioned', -1, 6_000],
      ['paused', 0, 7_000],
      ['healed', -1, 8_000],
    ]);
    // The crash ends node 2's pause; spans still open run to the time shown.
    expect(chronicle.spans).toEqual([
      { kind: 'down', node: 1, startUs: 1_000, endUs: 3_000 },
      { kind: 'paused', node: 2, startUs: 4_000, endUs: 5_000 },
      { kind: 'down', node: 2, startUs: 5_000, endUs: 9_000 },
      { kind: 'paused', node: 0, startUs: 7_000, endUs: 9_000 },
    ]);
  });

  it('opens a span at the history edge when only its end is kept', () => {
    const script = new EventScript().other(2_000, 'timer.fired').node(3_000, 'node.resumed', 0);
    expect(chronicleOf(script, 4_000).spans).toEqual([
      { kind: 'paused', node: 0, startUs: 2_000, endUs: 3_000 },
    ]);
  });

  it('ignores events naming nodes outside the lanes', () => {
    const script = new EventScript()
      .send(1_000, 1, 0, 5, 'Ping', 2_000)
      .node(1_000, 'node.crashed', 4);
    const chronicle = chronicleOf(script, 3_000);
    expect(chronicle.trips).toEqual([]);
    expect(chronicle.marks).toEqual([]);
  });
});
