// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSimStore } from '../state/store.ts';
import { FixedSizeObserver } from '../testing/dom.ts';
import { makeFrame, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { layoutFor, xOfTime, yOfLane } from './geometry.ts';
import { SpacetimeDiagram } from './SpacetimeDiagram.tsx';
import { EventScript } from './testEvents.ts';

/**
 * jsdom has no 2D canvas: a recording context stands in for it, keeping the texts painted and the
 * width of every stroke, which is enough to see lanes labelled and a message highlighted.
 */
interface PaintLog {
  texts: string[];
  strokeWidths: number[];
}

function recordingContext(log: PaintLog): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = { lineWidth: 1 };
  const handler: ProxyHandler<Record<string | symbol, unknown>> = {
    get: (_target, property) => {
      if (property === 'fillText') {
        return (text: string) => {
          log.texts.push(text);
        };
      }
      if (property === 'stroke') {
        return () => {
          log.strokeWidths.push(state.lineWidth as number);
        };
      }
      if (property in state) return state[property];
      return () => undefined;
    },
    set: (_target, property, value) => {
      state[property] = value;
      return true;
    },
  };
  return new Proxy(state, handler) as unknown as CanvasRenderingContext2D;
}

const log: PaintLog = { texts: [], strokeWidths: [] };

beforeAll(() => {
  vi.stubGlobal('ResizeObserver', FixedSizeObserver);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() =>
    recordingContext(log),
  );
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

// n1 → n2 delivered, n2 → n3 lost, n1 → n3 in flight at 2 s.
const script = new EventScript()
  .send(500_000, 11, 0, 1, 'AppendEntries', 1_000_000)
  .deliver(1_000_000, 11, 0, 1, 'AppendEntries')
  .send(1_200_000, 12, 1, 2, 'RequestVote', -1)
  .drop(1_200_000, 12, 1, 2, 'RequestVote', 0)
  .send(1_800_000, 13, 0, 2, 'AppendEntries', 2_600_000);

/** Where the delivered message's arrow runs (the window is [0, 3 s] at 2 s into the run). */
function midpointOfFirstArrow(): { x: number; y: number } {
  const layout = layoutFor(800, 3);
  const window = { startUs: 0, endUs: 3_000_000 };
  return {
    x: (xOfTime(layout, window, 500_000) + xOfTime(layout, window, 1_000_000)) / 2,
    y: (yOfLane(layout, 0) + yOfLane(layout, 1)) / 2,
  };
}

function plot(): HTMLElement {
  return screen.getByRole('group', { name: 'Space-time diagram of messages between nodes' });
}

function caption(): string {
  return screen.getByTestId('spacetime-caption').textContent;
}

describe('SpacetimeDiagram', () => {
  beforeEach(() => {
    log.texts = [];
    log.strokeWidths = [];
    seedStore({ events: script.events, frame: makeFrame({ timeUs: 2_000_000 }) });
  });
  afterEach(resetAfterTest);

  it('draws a lane per node and says what the window holds', () => {
    render(<SpacetimeDiagram />);
    expect(screen.getByRole('region', { name: 'Space-time diagram' })).toBeTruthy();
    expect(log.texts).toEqual(expect.arrayContaining(['n1', 'n2', 'n3']));
    expect(caption()).toBe(
      '3 messages (1 delivered, 1 dropped, 1 in flight) from t = 0.000 s to t = 3.000 s.',
    );
    expect(plot().getAttribute('aria-describedby')).toContain(
      screen.getByTestId('spacetime-caption').id,
    );
    expect(screen.getByTestId('spacetime-now').textContent).toBe('t = 2.000 s');
  });

  it('follows the run: new events and a later time change the caption and the now line', () => {
    render(<SpacetimeDiagram />);
    const later = new EventScript();
    for (const event of script.events) later.events.push(event);
    later
      .deliver(2_600_000, 13, 0, 2, 'AppendEntries')
      .send(4_000_000, 14, 2, 0, 'Reply', 4_500_000);
    act(() => {
      useSimStore.setState({ events: later.events, frame: makeFrame({ timeUs: 4_200_000 }) });
    });
    // The first message ended before the window; the one in flight has arrived; a reply is out.
    expect(caption()).toBe(
      '3 messages (1 delivered, 1 dropped, 1 in flight) from t = 1.200 s to t = 4.200 s.',
    );
    expect(screen.getByTestId('spacetime-now').textContent).toBe('t = 4.200 s');
  });

  it('zooms with the buttons and with + and − on the plot, and keeps the page from acting too', () => {
    render(<SpacetimeDiagram />);
    const span = screen.getByTestId('spacetime-span');
    expect(span.textContent).toBe('3 s shown');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(span.textContent).toBe('1.5 s shown');
    const plus = fireEvent.keyDown(plot(), { key: '+' });
    expect(plus).toBe(false);
    expect(span.textContent).toBe('750 ms shown');
    fireEvent.keyDown(plot(), { key: '-' });
    expect(span.textContent).toBe('1.5 s shown');
    // Zoomed to [0.5 s, 2 s]: the first message was sent at the window's left edge.
    expect(caption()).toMatch(/^3 messages .* from t = 0\.500 s to t = 2\.000 s\.$/);
  });

  it('pans back with the arrow keys while paused, and returns to now', () => {
    act(() => {
      useSimStore.setState({ frame: makeFrame({ timeUs: 8_000_000 }) });
    });
    render(<SpacetimeDiagram />);
    const backToNow = screen.getByRole('button', { name: 'Back to now' });
    expect(backToNow).toHaveProperty('disabled', true);
    fireEvent.keyDown(plot(), { key: 'ArrowLeft' });
    expect(caption()).toContain('from t = 4.700 s to t = 7.700 s');
    expect(screen.queryByTestId('spacetime-now')).toBeNull();
    expect(backToNow).toHaveProperty('disabled', false);
    fireEvent.click(backToNow);
    expect(caption()).toContain('from t = 5.000 s to t = 8.000 s');
    expect(screen.getByTestId('spacetime-now').textContent).toBe('t = 8.000 s');
  });

  it('shows a tooltip and publishes the hovered message while the pointer is on its arrow', () => {
    render(<SpacetimeDiagram />);
    const { x, y } = midpointOfFirstArrow();
    fireEvent.pointerMove(plot(), { clientX: x, clientY: y });
    expect(screen.getByTestId('spacetime-tooltip').textContent).toBe(
      'AppendEntriesn1 → n2sent t = 0.500 sdelivered t = 1.000 s (500 ms)',
    );
    expect(useSimStore.getState().hoveredMessage).toBe(11);
    fireEvent.pointerMove(plot(), { clientX: x, clientY: y + 40 });
    expect(screen.queryByTestId('spacetime-tooltip')).toBeNull();
    expect(useSimStore.getState().hoveredMessage).toBeNull();
    fireEvent.pointerMove(plot(), { clientX: x, clientY: y });
    fireEvent.pointerLeave(plot());
    expect(useSimStore.getState().hoveredMessage).toBeNull();
  });

  it('draws the message hovered in the topology highlighted', () => {
    render(<SpacetimeDiagram />);
    expect(log.strokeWidths).not.toContain(5);
    act(() => {
      useSimStore.getState().setHoveredMessage(11);
    });
    expect(log.strokeWidths).toContain(5);
  });

  it('fits the window to a picked operation, draws its messages highlighted, and lets them go', () => {
    render(<SpacetimeDiagram />);
    expect(screen.queryByTestId('spacetime-trail')).toBeNull();
    act(() => {
      useSimStore.getState().setTrail({
        name: 'n1 read k1 returned 0, 0.500 s to 1.000 s',
        messages: [11, 12, 99],
        nodes: [0, 1, 2],
        fromUs: 500_000,
        toUs: 1_200_000,
      });
    });
    // The window is fitted to the operation (with 15% room each side), not the last 3 s.
    expect(caption()).toContain('from t = 0.395 s to t = 1.305 s');
    // Two highlighted arrows (each a wide halo, then the arrow): 11 and 12; 99 is not drawn.
    expect(log.strokeWidths.filter((width) => width === 5)).toHaveLength(2);
    expect(screen.getByTestId('spacetime-trail').textContent).toBe(
      'Bold: the 3 messages of n1 read k1 returned 0, 0.500 s to 1.000 s (2 in this window). Clear',
    );
    log.strokeWidths = [];
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(useSimStore.getState().trail).toBeNull();
    expect(useSimStore.getState().highlighted).toEqual([]);
    expect(screen.queryByTestId('spacetime-trail')).toBeNull();
    expect(log.strokeWidths).not.toContain(5);
  });
});
