// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ParamSpec } from '../../engine/types.ts';
import { initialCompareState, initialSide, useCompareStore } from './compareStore.ts';
import type { CompareCoordinator } from './coordinator.ts';
import type { SideInfo } from './protocol.ts';
import { SideBPicker } from './SideBPicker.tsx';
import { sideInfoFixture } from './testInfo.ts';

const strategy: ParamSpec = {
  label: 'Placement strategy',
  default: 1,
  min: 0,
  max: 2,
  step: 1,
  unit: '',
  help: 'How a key finds its shard.',
  choices: [
    { value: 0, label: 'hash mod N' },
    { value: 1, label: 'consistent hashing' },
    { value: 2, label: 'range partitioning' },
  ],
};

/** Side a: the fixture pattern with a named parameter as its first. */
function sideA(): SideInfo {
  const info = sideInfoFixture('pattern', true, { strategy: 1, rate: 5, pool: 4 });
  return { ...info, meta: { ...info.meta, params: { strategy, ...info.meta.params } } };
}

describe('SideBPicker', () => {
  afterEach(() => {
    cleanup();
    useCompareStore.setState(initialCompareState);
  });

  it('offers a parameter with named values by name and applies its number', () => {
    useCompareStore.setState({
      sides: { a: { ...initialSide(''), info: sideA() }, b: initialSide('') },
    });
    const coordinator = { rebuildSideB: vi.fn() };
    render(<SideBPicker coordinator={coordinator as unknown as CompareCoordinator} />);
    fireEvent.change(screen.getByLabelText('Side b runs'), { target: { value: 'param' } });
    expect(screen.getByLabelText<HTMLSelectElement>('Parameter').value).toBe('strategy');
    const value = screen.getByRole('combobox', { name: 'Value' });
    expect(
      within(value)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['hash mod N', 'consistent hashing', 'range partitioning']);
    expect(screen.queryByRole('spinbutton')).toBeNull();
    fireEvent.change(value, { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply to side b' }));
    expect(coordinator.rebuildSideB).toHaveBeenCalledExactlyOnceWith({
      kind: 'param',
      key: 'strategy',
      value: 2,
    });

    // A numeric parameter is still typed.
    fireEvent.change(screen.getByLabelText('Parameter'), { target: { value: 'rate' } });
    expect(screen.getByRole('spinbutton', { name: 'Value (req/s)' })).toBeTruthy();
  });
});
