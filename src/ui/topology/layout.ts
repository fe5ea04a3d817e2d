import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationLinkDatum,
  type SimulationNodeDatum,
} from 'd3-force';
import type { LayoutHint } from '../../engine/types.ts';

/**
 * Where nodes go on screen. Pure functions: the unit-square layout depends only on the topology
 * (so it is computed once per load), and fitting it to the view's pixel box depends only on the
 * box (so resizing never re-runs the force layout).
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The parts of a topology the layout reads (TopologyMeta fits). */
export interface LayoutTopology {
  readonly nodes: readonly { readonly layout: LayoutHint | null }[];
  readonly links: readonly (readonly [number, number])[];
}

/** The view's drawing area in CSS pixels; `padding` is kept clear on every side. */
export interface PixelBox {
  readonly width: number;
  readonly height: number;
  readonly padding: number;
}

/** Ticks the force layout runs, all at once and without animation. */
export const forceTicksMax = 300;
/** Seed of the force layout: fixed, so a topology always looks the same whatever the run seed. */
export const layoutSeedDefault = 1;

const nodeRadiusMaxPx = 28;
const nodeRadiusMinPx = 8;

/**
 * A seeded linear congruential generator returning numbers in [0, 1), the same family d3-force
 * uses internally; handed to `simulation.randomSource()` so that its jiggle is reproducible.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Each unordered pair of linked nodes once, in order of first appearance, as [low, high]. */
export function uniqueLinks(
  links: readonly (readonly [number, number])[],
): (readonly [number, number])[] {
  const seen = new Set<number>();
  const pairs: (readonly [number, number])[] = [];
  for (const [a, b] of links) {
    if (a === b) continue;
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    // Node counts stay far below 2^26, so low * 2^26 + high is a unique integer key.
    const key = low * 67_108_864 + high;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push([low, high]);
  }
  return pairs;
}

interface ForceNode extends SimulationNodeDatum {
  readonly index: number;
}

/**
 * Every node's position in the unit square. Nodes with a layout hint sit exactly on it (clamped
 * into the square); the others are placed by a d3-force layout computed once from fixed initial
 * positions, a seeded random source and a fixed number of ticks, so the same topology always
 * gives the same positions.
 */
export function unitLayout(topology: LayoutTopology, seed = layoutSeedDefault): Point[] {
  const count = topology.nodes.length;
  const hinted = topology.nodes.map((node) =>
    node.layout === null ? null : clampUnit(node.layout),
  );
  if (hinted.every((point) => point !== null)) return hinted;
  const world = forcePositions(topology, hinted, seed);
  const hasHints = hinted.some((point) => point !== null);
  if (hasHints) return world.map((point) => clampUnit(point));
  return count === 1 ? [{ x: 0.5, y: 0.5 }] : fitUnit(world);
}

/**
 * Runs the force layout and returns unit-square coordinates (free nodes may fall outside the
 * square). It simulates in a world about a hundred units per node apart, the scale d3-force's
 * built-in constants (minimum distance, jiggle) are made for. Hinted nodes are pinned; free
 * nodes start on a circle around the centre in index order, so nothing depends on d3's default
 * placement.
 */
function forcePositions(
  topology: LayoutTopology,
  hinted: readonly (Point | null)[],
  seed: number,
): Point[] {
  const count = hinted.length;
  const spacing = 100;
  const world = spacing * (Math.sqrt(count) + 1);
  const nodes: ForceNode[] = hinted.map((point, index) => {
    if (point !== null) {
      const x = point.x * world;
      const y = point.y * world;
      return { index, x, y, fx: x, fy: y };
    }
    const angle = (2 * Math.PI * index) / count;
    return {
      index,
      x: world * (0.5 + 0.3 * Math.cos(angle)),
      y: world * (0.5 + 0.3 * Math.sin(angle)),
    };
  });
  const links: SimulationLinkDatum<ForceNode>[] = uniqueLinks(topology.links)
    .filter(([, b]) => b < count)
    .map(([source, target]) => ({ source, target }));
  const simulation = forceSimulation(nodes)
    .stop()
    .randomSource(seededRandom(seed))
    .force('link', forceLink(links).distance(spacing).strength(0.3))
    .force(
      'charge',
      forceManyBody<ForceNode>()
        .strength(-spacing * spacing * 0.03)
        .distanceMax(spacing * 4),
    )
    .force('collide', forceCollide<ForceNode>(spacing * 0.45))
    .force('x', forceX<ForceNode>(world / 2).strength(0.05))
    .force('y', forceY<ForceNode>(world / 2).strength(0.05));
  simulation.tick(forceTicksMax);
  return nodes.map((node) => ({
    x: (node.x ?? world / 2) / world,
    y: (node.y ?? world / 2) / world,
  }));
}

function clampUnit(point: Point): Point {
  return { x: clamp(point.x, 0, 1), y: clamp(point.y, 0, 1) };
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : (low + high) / 2;
}

/** Scales points uniformly so their bounding box fills the unit square, centred. */
function fitUnit(points: readonly Point[]): Point[] {
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 1e-9);
  const offsetX = (span - (Math.max(...xs) - minX)) / 2;
  const offsetY = (span - (Math.max(...ys) - minY)) / 2;
  return points.map((point) => ({
    x: (point.x - minX + offsetX) / span,
    y: (point.y - minY + offsetY) / span,
  }));
}

/**
 * Maps unit-square positions into the pixel box, centred, up to `stretchMax` times wider than
 * tall, with `padding` kept clear for the labels under the nodes, and more at the sides, where
 * a label ("publishing · 32 acked · 0 waiting") is much wider than its node.
 */
export function fitToBox(unit: readonly Point[], box: PixelBox): Point[] {
  const padding = Math.max(0, Math.min(box.padding, box.width / 2, box.height / 2));
  const sidePadding = Math.min(box.width / 2, Math.max(padding, labelRoomPx(box.width)));
  const across = Math.max(0, box.width - 2 * sidePadding);
  const down = Math.max(0, box.height - 2 * padding);
  if (box.height > box.width * portraitFrom) {
    // A portrait box (a phone held upright): the layout turns a quarter, so a flow from left to
    // right runs from top to bottom and uses the height, and each caption gets the whole width.
    const tall = Math.min(down, across * stretchMax);
    const wide = Math.min(across, tall);
    const left = (box.width - wide) / 2;
    const top = (box.height - tall) / 2;
    return unit.map((point) => ({ x: left + point.y * wide, y: top + point.x * tall }));
  }
  const tall = Math.min(across, down);
  // Wider than tall where the box is: captions sit side by side and need the width far more
  // than the height; a ring becomes an oval, never flatter than `stretchMax` to one.
  const wide = Math.min(across, tall * stretchMax);
  const left = (box.width - wide) / 2;
  const top = (box.height - tall) / 2;
  return unit.map((point) => ({ x: left + point.x * wide, y: top + point.y * tall }));
}

/** A box this much taller than wide is drawn turned (see `fitToBox`). */
const portraitFrom = 1.15;

/** How much wider than tall the layout may be drawn. */
const stretchMax = 1.6;

/**
 * A node radius that keeps nodes apart, with room for a label between them: about a quarter of
 * the closest pair's distance, within
 * readable bounds, and never more than a tenth of the box's shorter side.
 */
export function nodeRadiusFor(points: readonly Point[], box: PixelBox): number {
  let closest = Math.min(box.width, box.height);
  for (let i = 0; i < points.length; i++) {
    const a = points[i] as Point;
    for (let j = i + 1; j < points.length; j++) {
      const b = points[j] as Point;
      closest = Math.min(closest, Math.hypot(a.x - b.x, a.y - b.y));
    }
  }
  const radius = Math.min(nodeRadiusMaxPx, closest * 0.27, Math.min(box.width, box.height) / 10);
  return Math.max(nodeRadiusMinPx, radius);
}

/** Room at the left and right for half a node label, less in narrow boxes. */
function labelRoomPx(width: number): number {
  return Math.min(110, Math.round(width * 0.16));
}

/** Padding for a box: room for a label under the nodes, less on small screens. */
export function paddingFor(width: number, height: number): number {
  return Math.round(Math.min(64, Math.min(width, height) * 0.14));
}
