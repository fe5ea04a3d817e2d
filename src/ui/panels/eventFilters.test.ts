import { describe, expect, it } from 'vitest';
import { traceEventTypes, type TraceEvent, type TraceEventType } from '../../engine/trace.ts';
import {
  defaultEventKinds,
  eventDetailText,
  eventKindOfType,
  eventKinds,
  eventPartiesText,
  eventTimeText,
  filterEvents,
  type EventFilter,
} from './eventFilters.ts';

const nodeIds = ['n1', 'n2', 'n3'];

function event(type: TraceEventType, fields: Partial<TraceEvent> = {}): TraceEvent {
  return {
    index: 0,
    timeUs: 0,
    type,
    node: -1,
    peer: -1,
    messageId: -1,
    label: '',
    value: 0,
    ...fields,
  };
}

const allKinds = new Set(eventKinds.map((entry) => entry.kind));

describe('event kinds', () => {
  it('puts every trace event type in a kind that has a checkbox', () => {
    for (const type of traceEventTypes) expect(allKinds.has(eventKindOfType[type])).toBe(true);
  });

  it('hides only metric samples by default', () => {
    expect(defaultEventKinds.has('metric')).toBe(false);
    expect(defaultEventKinds.size).toBe(eventKinds.length - 1);
  });
});

describe('filterEvents', () => {
  const events = [
    event('message.sent', { index: 0, node: 0, peer: 1, label: 'Vote' }),
    event('message.delivered', { index: 1, node: 1, peer: 0, label: 'Vote' }),
    event('metric.sampled', { index: 2, label: 'leaders', value: 1 }),
    event('timer.fired', { index: 3, node: 2, label: 'election' }),
    event('net.healed', { index: 4 }),
  ];

  it('returns the same array when nothing is filtered out', () => {
    expect(filterEvents(events, { node: null, kinds: allKinds })).toBe(events);
  });

  it('filters by kind', () => {
    const filter: EventFilter = { node: null, kinds: defaultEventKinds };
    expect(filterEvents(events, filter).map((e) => e.index)).toEqual([0, 1, 3, 4]);
    expect(
      filterEvents(events, { node: null, kinds: new Set(['timer', 'network']) }).map(
        (e) => e.index,
      ),
    ).toEqual([3, 4]);
  });

  it('filters by a stretch of time, after its start up to and including its end', () => {
    const timed = events.map((each, index) => ({ ...each, timeUs: index * 100 }));
    const window = { fromUs: 100, toUs: 300 };
    expect(
      filterEvents(timed, { node: null, kinds: allKinds, window }).map((e) => e.index),
    ).toEqual([2, 3]);
  });

  it('filters by node, counting events where the node is either end', () => {
    expect(filterEvents(events, { node: 0, kinds: allKinds }).map((e) => e.index)).toEqual([0, 1]);
    expect(filterEvents(events, { node: 2, kinds: allKinds }).map((e) => e.index)).toEqual([3]);
  });
});

describe('row text', () => {
  it('prints times in milliseconds with three decimals', () => {
    expect(eventTimeText(2_350_123)).toBe('2350.123');
    expect(eventTimeText(0)).toBe('0.000');
  });

  it('shows who is involved in the direction of the message', () => {
    expect(eventPartiesText(event('message.sent', { node: 0, peer: 2 }), nodeIds)).toBe('n1 → n3');
    expect(eventPartiesText(event('message.delivered', { node: 2, peer: 0 }), nodeIds)).toBe(
      'n3 ← n1',
    );
    expect(eventPartiesText(event('message.dropped', { node: 2, peer: 0 }), nodeIds)).toBe(
      'n3 · n1',
    );
    expect(eventPartiesText(event('node.crashed', { node: 1 }), nodeIds)).toBe('n2');
    expect(eventPartiesText(event('net.healed'), nodeIds)).toBe('');
    expect(eventPartiesText(event('node.crashed', { node: 7 }), nodeIds)).toBe('#7');
  });

  it('says what the value means', () => {
    expect(eventDetailText(event('message.dropped', { label: 'Vote', value: 1 }))).toBe(
      'Vote (partition)',
    );
    expect(eventDetailText(event('metric.sampled', { label: 'leaders', value: 1.5 }))).toBe(
      'leaders = 1.5',
    );
    expect(eventDetailText(event('node.paused', { value: 500 }))).toBe('for 500 ms');
    expect(eventDetailText(event('node.paused', { value: -1 }))).toBe('until resumed');
    expect(eventDetailText(event('node.skewed', { value: 20_000 }))).toBe('clock offset 20 ms');
    expect(eventDetailText(event('link.changed', { value: 0.25 }))).toBe('loss 25%');
    expect(eventDetailText(event('link.released', { value: 3 }))).toBe('3 messages waiting');
    expect(eventDetailText(event('node.state', { label: 'leader|term 3|ok' }))).toBe(
      'leader, term 3 (health ok)',
    );
    expect(eventDetailText(event('node.state', { label: 'down||bad' }))).toBe('down (health bad)');
    expect(eventDetailText(event('note.added', { label: 'stepped down' }))).toBe('stepped down');
  });
});
