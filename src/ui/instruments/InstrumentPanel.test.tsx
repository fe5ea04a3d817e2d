// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstrumentFrame } from '../../worker/protocol.ts';
import {
  fixtureMeta,
  fixtureView,
  makeFrame,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { guardedDrawing } from './guardedDrawing.ts';
import { InstrumentPanel } from './InstrumentPanel.tsx';

afterEach(resetAfterTest);

/** The fixture run dressed as Leader Election, whose drawing the registry has. */
const view = {
  ...fixtureView,
  meta: { ...fixtureMeta, id: 'leader-election', instrumentTitle: 'Election' },
};

const reading = (scenarioId: string, data: unknown): InstrumentFrame => ({
  description: `${scenarioId} reads fine.`,
  data,
  scenarioId,
});

describe('InstrumentPanel', () => {
  it('draws a reading only with the drawing of the scenario it came from', () => {
    // The last frame of the previous run (Circuit Breaker) is still the newest one.
    seedStore({
      view,
      frame: makeFrame({ instrument: reading('circuit-breaker', { window: [] }) }),
    });
    const stale = render(<InstrumentPanel />);
    expect(stale.container.querySelector('figure')).toBeNull();
    stale.unmount();
    seedStore({
      view,
      frame: makeFrame({ instrument: reading('leader-election', null) }),
    });
    render(<InstrumentPanel />);
    const figure = screen.getByRole('figure', { name: 'leader-election reads fine.' });
    expect(figure.textContent).toContain('Election');
  });
});

describe('guardedDrawing', () => {
  it('keeps a failing drawing inside its figure, and recovers on the next good reading', () => {
    const drawing = guardedDrawing({
      heightPx: (data) => {
        if (data === 'no height') throw new Error('no height');
        return 50;
      },
      draw: (svg, data) => {
        if (data === 'broken') throw new TypeError('reading length of undefined');
        const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
        rect.setAttribute('class', 'fine');
        svg.replaceChildren(rect);
      },
    });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    expect(drawing.heightPx('broken', 200)).toBe(50);
    drawing.draw(svg, 'broken', 200, 50);
    expect(svg.textContent).toBe('This reading could not be drawn (reading length of undefined).');
    expect(drawing.heightPx('no height', 200)).toBe(28);
    drawing.draw(svg, 'no height', 200, 28);
    expect(svg.textContent).toContain('its height could not be worked out');
    expect(drawing.heightPx('fine', 200)).toBe(50);
    drawing.draw(svg, 'fine', 200, 50);
    expect(svg.querySelector('rect.fine')).not.toBeNull();
    expect(svg.textContent).toBe('');
  });
});
