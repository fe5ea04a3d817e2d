// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BarGroup, StackedArea } from '../../scenarios/viewHints.ts';
import { FixedSizeObserver } from '../testing/dom.ts';
import { BarGroupChart, StackedAreaChart } from './GroupCharts.tsx';

beforeAll(() => {
  vi.stubGlobal('ResizeObserver', FixedSizeObserver);
});
afterEach(cleanup);

const group: BarGroup = {
  title: 'Keys per shard',
  unit: 'keys',
  bars: [
    { metric: 'keys-s1', label: 's1' },
    { metric: 'keys-s2', label: 's2' },
    { metric: 'keys-s3', label: 's3' },
  ],
};

const share: StackedArea = {
  title: 'Traffic share',
  unit: 'share',
  layers: [
    { metric: 'share-legacy', label: 'legacy', colour: '#64748b' },
    { metric: 'share-new', label: 'new', colour: '#16a34a' },
  ],
};

describe('BarGroupChart', () => {
  it('draws one bar per metric, scaled to the largest, with the latest values', () => {
    render(
      <BarGroupChart
        group={group}
        series={{
          'keys-s1': { times: [1, 2], values: [100, 250] },
          'keys-s2': { times: [2], values: [125] },
        }}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Keys per shard' })).toBeTruthy();
    expect(screen.getByLabelText('s1: 250 keys')).toBeTruthy();
    expect(screen.getByLabelText('s2: 125 keys')).toBeTruthy();
    expect(screen.queryByLabelText(/^s3/)).toBeNull();
    const widths = [...document.querySelectorAll<HTMLElement>('.bar-fill')].map(
      (bar) => bar.style.width,
    );
    expect(widths).toEqual(['100%', '50%']);
  });

  it('says so before any metric of the group has a sample', () => {
    render(<BarGroupChart group={group} series={{}} />);
    expect(screen.getByText('No samples yet')).toBeTruthy();
  });
});

describe('StackedAreaChart', () => {
  it('stacks the layers over time and names the latest shares', () => {
    render(
      <StackedAreaChart
        area={share}
        xMaxS={3}
        series={{
          'share-legacy': { times: [1_000_000, 2_000_000], values: [1, 0.25] },
          'share-new': { times: [1_000_000, 2_000_000], values: [0, 0.75] },
        }}
      />,
    );
    const chart = screen.getByRole('img', { name: /Traffic share/ });
    expect(chart.getAttribute('aria-label')).toBe('Traffic share (share): legacy 0.25, new 0.75');
    const layers = chart.querySelectorAll('path.stack-layer');
    expect(layers).toHaveLength(2);
    expect(layers[1]?.getAttribute('fill')).toBe('#16a34a');
    expect(layers[0]?.getAttribute('d')).toMatch(/^M/);
  });

  it('says so before the first sample', () => {
    render(<StackedAreaChart area={share} xMaxS={0} series={{}} />);
    expect(screen.getByText('No samples yet')).toBeTruthy();
  });
});
