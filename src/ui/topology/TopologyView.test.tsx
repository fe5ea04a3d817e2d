// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSimStore } from '../state/store.ts';
import { fixtureView, makeFrame, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { FixedSizeObserver } from '../testing/dom.ts';
import { TopologyView } from './TopologyView.tsx';

/**
 * jsdom lays nothing out and has no ResizeObserver, no matchMedia and no 2D canvas. The stubs
 * are the least the view needs: a ResizeObserver that reports an 800 × 600 box once (so the SVG
 * is drawn), a matchMedia that matches nothing (the message layer reads motion and colour
 * preferences), and a canvas without a context, which the message layer skips drawing on.
 */
function matchNothing(query: string): MediaQueryList {
  const list: Pick<
    MediaQueryList,
    'matches' | 'media' | 'onchange' | 'addEventListener' | 'removeEventListener'
  > = {
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  };
  return list as MediaQueryList;
}

beforeAll(() => {
  vi.stubGlobal('ResizeObserver', FixedSizeObserver);
  vi.stubGlobal('matchMedia', matchNothing);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => null);
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function node(name: string): HTMLElement {
  return screen.getByRole('button', { name });
}

describe('TopologyView', () => {
  beforeEach(() => {
    seedStore();
  });
  afterEach(resetAfterTest);

  it('exposes each node as a button named by its id, role and state', () => {
    render(<TopologyView />);
    const nodes = screen.getAllByRole('button', { name: /^n\d/ });
    expect(nodes.map((element) => element.getAttribute('aria-label'))).toEqual([
      'n1, leader, term 2',
      'n2, follower, term 2',
      'n3, server, down',
    ]);
    // The group is one tab stop (roving tabindex): the first node.
    expect(nodes.map((element) => element.getAttribute('tabindex'))).toEqual(['0', '-1', '-1']);
    expect(screen.queryByText('Loading…')).toBeNull();
  });

  it('selects a node on click', () => {
    render(<TopologyView />);
    fireEvent.click(node('n2, follower, term 2'));
    expect(useSimStore.getState().selection).toEqual({ kind: 'node', node: 1 });
    expect(node('n2, follower, term 2').getAttribute('aria-current')).toBe('true');
    expect(useSimStore.getState().partitionDraft).toEqual([]);
  });

  it('adds nodes to the partition draft on Shift+click, without selecting them', () => {
    render(<TopologyView />);
    fireEvent.click(node('n1, leader, term 2'), { shiftKey: true });
    fireEvent.click(node('n3, server, down'), { shiftKey: true });
    expect(useSimStore.getState().partitionDraft).toEqual([0, 2]);
    expect(useSimStore.getState().selection).toBeNull();
    const draftNote = screen.getByText('In the partition draft.');
    expect(node('n1, leader, term 2').getAttribute('aria-describedby')).toBe(draftNote.id);
    // A second Shift+click takes the node out again.
    fireEvent.click(node('n1, leader, term 2'), { shiftKey: true });
    expect(useSimStore.getState().partitionDraft).toEqual([2]);
  });

  it('selects with Enter, drafts with Shift+Enter and clears both with Escape', () => {
    render(<TopologyView />);
    fireEvent.keyDown(node('n3, server, down'), { key: 'Enter' });
    expect(useSimStore.getState().selection).toEqual({ kind: 'node', node: 2 });
    fireEvent.keyDown(node('n2, follower, term 2'), { key: 'Enter', shiftKey: true });
    expect(useSimStore.getState().partitionDraft).toEqual([1]);
    fireEvent.keyDown(node('n2, follower, term 2'), { key: 'Escape' });
    expect(useSimStore.getState().selection).toBeNull();
    expect(useSimStore.getState().partitionDraft).toEqual([]);
  });

  it('selects a link on click', () => {
    render(<TopologyView />);
    fireEvent.click(screen.getByRole('button', { name: 'Link n1 – n3' }));
    expect(useSimStore.getState().selection).toEqual({ kind: 'link', from: 0, to: 2 });
  });

  it('selects a link cut by a fault under a name that says so', () => {
    seedStore({ frame: makeFrame({ cutLinks: Int32Array.from([0, 2, 2, 0]) }) });
    render(<TopologyView />);
    fireEvent.click(screen.getByRole('button', { name: 'Link n1 – n3, cut' }));
    expect(useSimStore.getState().selection).toEqual({ kind: 'link', from: 0, to: 2 });
    expect(screen.getByRole('button', { name: 'Link n1 – n2' })).toBeTruthy();
  });
});

describe('TopologyView with more links than targets', () => {
  /** 30 nodes on a full mesh: 435 links, past `linkTargetsAllMax`. */
  const meshSize = 30;
  beforeEach(() => {
    const nodes = Array.from({ length: meshSize }, (_, index) => ({
      id: `m${String(index + 1)}`,
      role: 'pinger',
      // m1 and m2 alone on the left edge, the others on a grid in the right half: the middle of
      // m1 – m2 is far from every other link.
      layout:
        index < 2
          ? { x: 0, y: index }
          : { x: 0.5 + ((index - 2) % 6) / 10, y: Math.floor((index - 2) / 6) / 4 },
    }));
    const links: [number, number][] = [];
    for (let a = 0; a < meshSize; a++)
      for (let b = 0; b < meshSize; b++) if (a !== b) links.push([a, b]);
    seedStore({
      view: { ...fixtureView, topology: { nodes, links } },
      frame: makeFrame({
        nodes: nodes.map(() => ({ status: 'up', label: 'pinger', badge: '', health: 'ok' })),
      }),
    });
  });
  afterEach(resetAfterTest);

  it('gives targets only to the links in reach, and steps through all of them by keyboard', () => {
    render(<TopologyView />);
    const group = screen.getByRole('group', { name: /^Links, 435/ });
    const targets = () => Array.from(group.querySelectorAll('[role="button"]'));
    // The tab stop (the first link) and its neighbours, and the last link (for End).
    expect(targets().map((target) => target.getAttribute('aria-label'))).toEqual([
      'Link m1 – m2',
      'Link m1 – m3',
      'Link m29 – m30',
    ]);
    const first = screen.getByRole('button', { name: 'Link m1 – m2' });
    fireEvent.focus(first);
    fireEvent.keyDown(first, { key: 'End' });
    fireEvent.focus(screen.getByRole('button', { name: 'Link m29 – m30' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Link m29 – m30' }), { key: 'Enter' });
    expect(useSimStore.getState().selection).toEqual({ kind: 'link', from: 28, to: 29 });
    expect(targets().length).toBeLessThan(8);
  });

  it('selects the link under a click on the picture, or clears the selection', () => {
    const { container } = render(<TopologyView />);
    const svg = container.querySelector('svg.topology-svg');
    if (svg === null) throw new Error('no SVG');
    const centre = (index: number): number[] => {
      const glyph = container.querySelector(`[data-node-index="${String(index)}"]`);
      const match = /translate\(([-\d.]+),([-\d.]+)\)/.exec(glyph?.getAttribute('transform') ?? '');
      return [Number(match?.[1]), Number(match?.[2])];
    };
    const [x1 = 0, y1 = 0] = centre(0);
    const [, y2 = 0] = centre(1);
    fireEvent.click(svg, { clientX: x1 + 3, clientY: (y1 + y2) / 2 });
    expect(useSimStore.getState().selection).toEqual({ kind: 'link', from: 0, to: 1 });
    fireEvent.click(svg, { clientX: x1 + 30, clientY: (y1 + y2) / 2 });
    expect(useSimStore.getState().selection).toBeNull();
  });
});
