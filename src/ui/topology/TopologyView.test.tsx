// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSimStore } from '../state/store.ts';
import { resetAfterTest, seedStore } from '../testing/fixtures.ts';
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
});
