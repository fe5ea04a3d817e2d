import { describe, expect, it } from 'vitest';
import { contentInWindow } from './content.ts';
import { captionFor, tooltipLines } from './describe.ts';
import { buildChronicle } from './messages.ts';
import { EventScript } from './testEvents.ts';

const nodeIds = ['n1', 'n2', 'n3'];

const script = new EventScript()
  .send(1_000_000, 1, 0, 1, 'AppendEntries', 1_004_500)
  .deliver(1_004_500, 1, 0, 1, 'AppendEntries')
  .send(1_100_000, 2, 1, 2, 'RequestVote', -1)
  .drop(1_100_000, 2, 1, 2, 'RequestVote', 1)
  .node(1_200_000, 'node.crashed', 2)
  .send(1_900_000, 3, 0, 2, 'AppendEntries', 2_100_000);
const chronicle = buildChronicle({ events: script.events, nowUs: 2_000_000, nodeCount: 3 });
const content = contentInWindow(chronicle, { startUs: 0, endUs: 3_000_000 });

function tripLines(id: number): string[] {
  const trip = content.trips.find((each) => each.id === id);
  if (trip === undefined) throw new Error(`no trip ${String(id)}`);
  return tooltipLines({ kind: 'trip', trip }, nodeIds);
}

describe('captionFor', () => {
  it('counts what the window holds', () => {
    expect(captionFor(content)).toBe(
      '3 messages (1 delivered, 1 dropped, 1 in flight) from t = 0.000 s to t = 3.000 s; 1 crash.',
    );
  });
});

describe('tooltipLines', () => {
  it('gives a delivered message its type, ends, times and latency', () => {
    expect(tripLines(1)).toEqual([
      'AppendEntries',
      'n1 → n2',
      'sent t = 1.000 s',
      'delivered t = 1.004 s (4.5 ms)',
    ]);
  });

  it('says where and why a message was dropped', () => {
    expect(tripLines(2)).toEqual([
      'RequestVote',
      'n2 → n3',
      'sent t = 1.100 s',
      'dropped t = 1.100 s: cut off by a partition',
    ]);
  });

  it('gives a message in flight its due time', () => {
    expect(tripLines(3).at(-1)).toBe('in flight, due t = 2.100 s');
  });

  it('describes a bundle by its count, ends and drops', () => {
    const lines = tooltipLines(
      {
        kind: 'bundle',
        bundle: {
          from: 2,
          to: 0,
          sentUs: 1_500_000,
          endUs: 1_600_000,
          count: 1_234,
          droppedCount: 5,
          type: '',
        },
      },
      nodeIds,
    );
    expect(lines).toEqual(['1,234 messages', 'n3 → n1', 'sent around t = 1.500 s', '5 dropped']);
  });
});
