import { describe, expect, test } from 'vitest';
import {
  fitToBox,
  nodeRadiusFor,
  paddingFor,
  seededRandom,
  uniqueLinks,
  unitLayout,
  type LayoutTopology,
  type PixelBox,
  type Point,
} from './layout.ts';

type Pair = readonly [number, number];

function freeNodes(count: number): LayoutTopology['nodes'] {
  return Array.from({ length: count }, () => ({ layout: null }));
}

function fullMesh(count: number): Pair[] {
  const links: Pair[] = [];
  for (let from = 0; from < count; from++)
    for (let to = 0; to < count; to++) if (from !== to) links.push([from, to]);
  return links;
}

function ring(count: number): Pair[] {
  return Array.from({ length: count }, (_, at): Pair => [at, (at + 1) % count]);
}

function randomLinks(count: number, linkCount: number, seed: number): Pair[] {
  const random = seededRandom(seed);
  return Array.from({ length: linkCount }, (): Pair => [
    Math.floor(random() * count),
    Math.floor(random() * count),
  ]);
}

function closestPair(points: readonly Point[]): number {
  let closest = Infinity;
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i] as Point;
      const b = points[j] as Point;
      closest = Math.min(closest, Math.hypot(a.x - b.x, a.y - b.y));
    }
  return closest;
}

const topologies: [string, LayoutTopology][] = [
  ['a ring of 12', { nodes: freeNodes(12), links: ring(12) }],
  ['a full mesh of 8', { nodes: freeNodes(8), links: fullMesh(8) }],
  ['30 unlinked nodes', { nodes: freeNodes(30), links: [] }],
  ['100 nodes, random links', { nodes: freeNodes(100), links: randomLinks(100, 150, 7) }],
  ['a full mesh of 100', { nodes: freeNodes(100), links: fullMesh(100) }],
];

describe('unitLayout', () => {
  test.each(topologies)('%s: the same input gives the same positions', (_, topology) => {
    expect(unitLayout(topology)).toEqual(unitLayout(topology));
    expect(unitLayout(topology, 5)).toEqual(unitLayout(topology, 5));
  });

  test.each(topologies)(
    '%s: every node inside the unit square, none on top of another',
    (_, topology) => {
      const points = unitLayout(topology);
      expect(points).toHaveLength(topology.nodes.length);
      for (const point of points) {
        expect(point.x).toBeGreaterThanOrEqual(0);
        expect(point.x).toBeLessThanOrEqual(1);
        expect(point.y).toBeGreaterThanOrEqual(0);
        expect(point.y).toBeLessThanOrEqual(1);
      }
      // At least half the spacing a square grid of that many nodes would have.
      const gridSpacing = 1 / (Math.sqrt(points.length) + 1);
      expect(closestPair(points)).toBeGreaterThan(gridSpacing / 2);
    },
  );

  test('layout hints are kept exactly, and hints outside the square are clamped', () => {
    const topology: LayoutTopology = {
      nodes: [
        { layout: { x: 0.2, y: 0.3 } },
        { layout: { x: 0.9, y: 0.1 } },
        { layout: { x: 1.4, y: -2 } },
      ],
      links: fullMesh(3),
    };
    expect(unitLayout(topology)).toEqual([
      { x: 0.2, y: 0.3 },
      { x: 0.9, y: 0.1 },
      { x: 1, y: 0 },
    ]);
  });

  test('with some hints, hinted nodes stay put and the others are placed around them', () => {
    const hinted = [
      { layout: { x: 0.1, y: 0.5 } },
      { layout: { x: 0.9, y: 0.5 } },
      { layout: { x: 0.5, y: 0.1 } },
    ];
    const topology: LayoutTopology = {
      nodes: [...hinted, ...freeNodes(6)],
      links: [...fullMesh(3), ...ring(9)],
    };
    const points = unitLayout(topology);
    expect(points.slice(0, 3)).toEqual(hinted.map((node) => node.layout));
    expect(unitLayout(topology)).toEqual(points);
    for (const point of points) {
      expect(point.x).toBeGreaterThanOrEqual(0);
      expect(point.x).toBeLessThanOrEqual(1);
      expect(point.y).toBeGreaterThanOrEqual(0);
      expect(point.y).toBeLessThanOrEqual(1);
    }
    expect(closestPair(points)).toBeGreaterThan(0.1);
  });

  test('a single free node sits in the middle', () => {
    expect(unitLayout({ nodes: freeNodes(1), links: [] })).toEqual([{ x: 0.5, y: 0.5 }]);
  });
});

describe('fitToBox', () => {
  const box: PixelBox = { width: 800, height: 500, padding: 40 };

  test('maps the unit square into the box centred, inside the padding, at most 1.6 times wider than tall', () => {
    const corners: Point[] = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 0.5, y: 0.5 },
    ];
    const [topLeft, bottomRight, middle] = fitToBox(corners, box);
    // 420 tall (the height less its padding); 580 wide (the width less the label room at the
    // sides), which is under 1.6 × 420.
    expect(topLeft).toEqual({ x: 110, y: 40 });
    expect(bottomRight).toEqual({ x: 690, y: 460 });
    expect(middle).toEqual({ x: 400, y: 250 });
  });

  test.each(topologies)('%s: every node inside the box once fitted', (_, topology) => {
    const points = fitToBox(unitLayout(topology), box);
    for (const point of points) {
      expect(point.x).toBeGreaterThanOrEqual(box.padding);
      expect(point.x).toBeLessThanOrEqual(box.width - box.padding);
      expect(point.y).toBeGreaterThanOrEqual(box.padding);
      expect(point.y).toBeLessThanOrEqual(box.height - box.padding);
    }
    // Nodes drawn at the chosen radius do not overlap.
    const radius = nodeRadiusFor(points, box);
    expect(closestPair(points)).toBeGreaterThan(2 * radius);
  });

  test('keeps room at the sides for the labels of nodes at the edge', () => {
    const narrow: PixelBox = { width: 600, height: 560, padding: 64 };
    const [left, right] = fitToBox(
      [
        { x: 0, y: 0.5 },
        { x: 1, y: 0.5 },
      ],
      narrow,
    );
    expect(left?.x).toBe(96);
    expect(right?.x).toBe(504);
  });

  test('a box smaller than its padding still gives finite points inside it', () => {
    const tiny: PixelBox = { width: 30, height: 20, padding: 40 };
    for (const point of fitToBox(
      [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
      tiny,
    )) {
      expect(point.x).toBeGreaterThanOrEqual(0);
      expect(point.x).toBeLessThanOrEqual(30);
      expect(point.y).toBeGreaterThanOrEqual(0);
      expect(point.y).toBeLessThanOrEqual(20);
    }
  });
});

describe('helpers', () => {
  test('uniqueLinks keeps each unordered pair once and drops self-links', () => {
    expect(
      uniqueLinks([
        [0, 1],
        [1, 0],
        [2, 1],
        [1, 2],
        [3, 3],
        [0, 2],
      ]),
    ).toEqual([
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
  });

  test('seededRandom repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(first);
    for (const value of first) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  test('node radius stays within bounds and shrinks for crowded layouts', () => {
    const box: PixelBox = { width: 900, height: 700, padding: 60 };
    const sparse = nodeRadiusFor(
      [
        { x: 100, y: 100 },
        { x: 600, y: 500 },
      ],
      box,
    );
    const crowded = nodeRadiusFor(
      [
        { x: 100, y: 100 },
        { x: 130, y: 100 },
      ],
      box,
    );
    expect(sparse).toBe(28);
    expect(crowded).toBeLessThan(sparse);
    expect(crowded).toBeGreaterThanOrEqual(8);
    expect(paddingFor(1200, 800)).toBe(64);
    expect(paddingFor(200, 100)).toBe(14);
  });
});
