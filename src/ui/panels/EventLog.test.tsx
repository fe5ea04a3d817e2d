// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../engine/trace.ts';
import { resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { EventLog } from './EventLog.tsx';

const eventCount = 100_000;

/**
 * Timer firings rotating over n1, n2, n3, with a metric sample every tenth event (hidden by
 * default). The store normally keeps at most `eventLogMax` events; seeding it with far more shows
 * that the table's cost does not depend on how many rows it has.
 */
function manyEvents(): TraceEvent[] {
  return Array.from({ length: eventCount }, (_, index) => ({
    index,
    timeUs: index * 100,
    type: index % 10 === 9 ? 'metric.sampled' : 'timer.fired',
    node: index % 3,
    peer: -1,
    messageId: -1,
    label: index % 10 === 9 ? 'leaders' : 'election',
    value: 1,
  }));
}

function renderedRows(): HTMLElement[] {
  const body = screen.getByRole('rowgroup', { name: 'Events, newest at the bottom' });
  return within(body).queryAllByRole('row');
}

function table(): HTMLElement {
  return screen.getByRole('table', { name: 'Trace events' });
}

describe('EventLog', () => {
  afterEach(resetAfterTest);

  it('renders only a window of rows out of 100,000 events', () => {
    const events = manyEvents();
    seedStore({ events });
    // The event log takes no controller: it only reads the store.
    render(<EventLog />);
    const shown = events.filter((event) => event.type !== 'metric.sampled').length;
    expect(screen.getByText(/kept events shown/).textContent).toContain(
      `${shown.toLocaleString('en')} of 100,000 kept events shown`,
    );
    expect(table().getAttribute('aria-rowcount')).toBe(String(shown + 1));
    const rows = renderedRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
  });

  it('narrows to a stretch of time when asked, says which, and shows all again', () => {
    seedStore({
      events: manyEvents(),
      eventWindow: {
        fromUs: 1_000_000,
        toUs: 1_005_000,
        label: 'between the forks at 1 s and 1.005 s',
      },
    });
    render(<EventLog />);
    // Events at 1.0001 s … 1.005 s: 50 of them, 45 timer firings (metric samples hidden).
    expect(table().getAttribute('aria-rowcount')).toBe(String(45 + 1));
    expect(screen.getByTestId('event-window').textContent).toBe(
      'Only between the forks at 1 s and 1.005 s: 1000.000 to 1005.000 ms. Show all',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(screen.queryByTestId('event-window')).toBeNull();
    expect(Number(table().getAttribute('aria-rowcount'))).toBeGreaterThan(1000);
  });

  it('filters by node: only that node’s events remain', () => {
    const events = manyEvents();
    seedStore({ events });
    render(<EventLog />);
    const before = Number(table().getAttribute('aria-rowcount'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Node' }), { target: { value: '2' } });
    const expected = events.filter((event) => event.node === 2 && event.type !== 'metric.sampled');
    expect(Number(table().getAttribute('aria-rowcount'))).toBe(expected.length + 1);
    expect(expected.length + 1).toBeLessThan(before);
    const rows = renderedRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.querySelector('.cell-node')?.textContent).toBe('n3');
    }
  });

  it('filters by kind: metric samples appear only when asked for', () => {
    seedStore({ events: manyEvents().slice(0, 20) });
    render(<EventLog />);
    expect(table().getAttribute('aria-rowcount')).toBe('19');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Metric samples' }));
    expect(table().getAttribute('aria-rowcount')).toBe('21');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Timers' }));
    expect(renderedRows().map((row) => row.querySelector('.cell-detail')?.textContent)).toEqual([
      'leaders = 1',
      'leaders = 1',
    ]);
  });
});
