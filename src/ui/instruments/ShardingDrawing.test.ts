// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ShardMapData, ShardRow } from '../../scenarios/sharding/instrument.ts';
import { shardColour, shardingDrawing } from './ShardingDrawing.ts';

function row(id: string, overrides: Partial<ShardRow> = {}): ShardRow {
  return {
    id,
    number: Number(id.slice(1)),
    role: 'active',
    isUp: true,
    share: 0.25,
    keys: 250,
    tableKeys: 250,
    leaving: 0,
    inFlight: 0,
    held: 1,
    capacity: 20,
    ...overrides,
  };
}

const atRest: ShardMapData = {
  placement: 'consistent',
  keyCount: 1000,
  virtualNodes: 64,
  version: 1,
  arcs: [
    { from: 0, to: 0.25, shard: 1 },
    { from: 0.25, to: 0.5, shard: 2 },
    { from: 0.5, to: 0.75, shard: 3 },
    { from: 0.75, to: 1, shard: 4 },
  ],
  shards: [
    row('s1'),
    row('s2'),
    row('s3'),
    row('s4'),
    row('s5', { role: 'spare', share: 0, keys: 0, tableKeys: 0 }),
  ],
  rebalance: null,
  queued: 0,
  moving: [],
  hot: null,
  isSingleNode: false,
};

function drawn(data: ShardMapData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  shardingDrawing.draw(svg, data, 300, shardingDrawing.heightPx(data, 300));
  return svg;
}

describe('sharding drawing', () => {
  it('colours the ring by owner and lists each shard with its share and keys', () => {
    const svg = drawn(atRest);
    const arcs = [...svg.querySelectorAll('path.sh-arc')] as SVGPathElement[];
    expect(arcs.map((path) => path.style.fill)).toEqual(
      [1, 2, 3, 4].map((n) => {
        const probe = document.createElement('div');
        probe.style.fill = shardColour(n);
        return probe.style.fill;
      }),
    );
    const rows = [...svg.querySelectorAll('g.sh-row')].map((g) => g.textContent);
    expect(rows).toEqual(['s125%250', 's225%250', 's325%250', 's425%250', 's5spare']);
    expect(svg.textContent).toContain('Hash ring, 64 points per shard');
    expect(svg.querySelectorAll('path.sh-hot')).toHaveLength(0);
  });

  it('redraws in place: a joining shard, its hand-off progress, keys in flight and the hot key', () => {
    const svg = drawn(atRest);
    const joining: ShardMapData = {
      ...atRest,
      version: 2,
      arcs: [
        ...atRest.arcs.slice(0, 3),
        { from: 0.75, to: 0.9, shard: 4 },
        { from: 0.9, to: 1, shard: 5 },
      ],
      shards: [
        row('s1', { leaving: 10, inFlight: 1 }),
        row('s2'),
        row('s3'),
        row('s4', { leaving: 30 }),
        row('s5', { role: 'joining', share: 0.1, keys: 60, tableKeys: 100, held: 20 }),
      ],
      rebalance: {
        kind: 'add',
        shard: 's5',
        version: 2,
        plannedMoves: 100,
        remaining: 40,
        inFlight: 1,
      },
      moving: [{ key: 7, at: 0.95, from: 1, to: 5 }],
      hot: { key: 42, at: 0.3, shard: 's5', share: 0.9 },
    };
    shardingDrawing.draw(svg, joining, 300, shardingDrawing.heightPx(joining, 300));
    expect(svg.querySelectorAll('g.sh-row')).toHaveLength(5);
    expect(svg.querySelectorAll('path.sh-arc')).toHaveLength(5);
    expect(svg.querySelectorAll('circle.sh-moving')).toHaveLength(1);
    expect(svg.querySelectorAll('path.sh-hot')).toHaveLength(1);
    const progress = svg.querySelector('g.sh-handoff-bar rect.segment') as SVGRectElement;
    const track = svg.querySelector('g.sh-handoff-bar rect.track') as SVGRectElement;
    expect(Number(progress.getAttribute('width'))).toBeCloseTo(
      Number(track.getAttribute('width')) * 0.6,
    );
    expect(svg.textContent).toContain('Hand-off to table v2: s5 joins');
    expect(svg.textContent).toContain('60 of 100 keys moved · 1 in flight');
    expect(svg.textContent).toContain('still to leave s1 10 · s4 30');
    expect(svg.textContent).toContain('Hot key 42: 90% of requests → s5, full');
    const s5Queue = svg.querySelectorAll('rect.sh-queue-fill')[4] as SVGRectElement;
    expect(s5Queue.style.fill).toBe('rgb(220, 38, 38)');

    shardingDrawing.draw(svg, atRest, 300, shardingDrawing.heightPx(atRest, 300));
    expect(svg.querySelectorAll('circle.sh-moving')).toHaveLength(0);
    expect(svg.querySelectorAll('path.sh-hot')).toHaveLength(0);
    expect(svg.textContent).toContain('No hand-off');
  });

  it('keeps within the height it asks for at the narrowest width', () => {
    expect(shardingDrawing.heightPx(atRest, 250)).toBeLessThanOrEqual(260);
    expect(shardingDrawing.heightPx(atRest, 340)).toBeLessThanOrEqual(260);
  });
});
