// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import { renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { CommandLog } from './CommandLog.tsx';

const commands: readonly RecordedCommand[] = [
  { atUs: 2_350_000, event: 40, command: { type: 'node.crash', node: 'n3' } },
  {
    atUs: 3_000_000,
    event: 55,
    command: { type: 'scenario.fault', fault: 'slow-disk', node: 'n1', args: { delayMs: 200 } },
  },
  { atUs: 4_125_000, event: 80, command: { type: 'net.partition', groups: [['n1']] } },
  { atUs: 5_000_000, event: 91, command: { type: 'param.set', key: 'heartbeatMs', value: 100 } },
];

/** The one controller method the command log calls. */
function fakeController() {
  return { removeCommand: vi.fn<(index: number) => Promise<void>>(() => Promise.resolve()) };
}

describe('CommandLog', () => {
  afterEach(resetAfterTest);

  it('lists the commands in words with the time they took effect', () => {
    seedStore({ commands });
    renderWithController(<CommandLog />, fakeController());
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.command-text')?.textContent)).toEqual([
      '2.350 s · crash n3',
      '3.000 s · Slow disk on n1 (Delay 200 ms)',
      '4.125 s · partition {n1} | rest',
      '5.000 s · set Heartbeat interval to 100 ms',
    ]);
    expect(screen.getByRole('heading', { name: /Command log/ }).textContent).toContain('(4)');
  });

  it('removes an entry by its index', async () => {
    seedStore({ commands });
    const fake = fakeController();
    renderWithController(<CommandLog />, fake);
    const remove = screen.getByRole('button', {
      name: 'Remove: Slow disk on n1 (Delay 200 ms) at 3.000 s',
    });
    fireEvent.click(remove);
    expect(fake.removeCommand).toHaveBeenCalledTimes(1);
    expect(fake.removeCommand).toHaveBeenCalledWith(1);
    // While the run replays, no second removal can start (indexes would shift under it).
    await waitFor(() => {
      expect(remove).toHaveProperty('disabled', false);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove: crash n3 at 2.350 s' }));
    expect(fake.removeCommand).toHaveBeenLastCalledWith(0);
  });

  it('says so when there are no commands', () => {
    seedStore();
    renderWithController(<CommandLog />, fakeController());
    expect(screen.getByText(/No commands yet/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
