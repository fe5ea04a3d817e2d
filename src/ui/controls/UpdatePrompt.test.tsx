// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StartOfflineSupport } from '../../offline/register.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';

/** A stand-in for offline support that reports an update when the test says so. */
function fakeOfflineSupport() {
  let report: ((apply: () => void) => void) | null = null;
  const stop = vi.fn();
  const start: StartOfflineSupport = (onUpdateReady) => {
    report = onUpdateReady;
    return stop;
  };
  return {
    start,
    stop,
    announceUpdate(apply: () => void) {
      act(() => {
        report?.(apply);
      });
    },
  };
}

describe('UpdatePrompt', () => {
  afterEach(cleanup);

  it('shows nothing but an empty status region until an update waits', () => {
    const offline = fakeOfflineSupport();
    render(<UpdatePrompt start={offline.start} />);
    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('announces a waiting update and applies it once from the Reload button', () => {
    const offline = fakeOfflineSupport();
    const apply = vi.fn();
    render(<UpdatePrompt start={offline.start} />);
    offline.announceUpdate(apply);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('A new version of DistSim is available.');
    expect(status.textContent).toContain('your run is in the link');
    const reload = screen.getByRole('button', { name: 'Reload' });
    expect(reload.getAttribute('aria-describedby')).toBe('update-prompt-text');
    reload.focus();
    expect(document.activeElement).toBe(reload);
    fireEvent.click(reload);
    expect(apply).toHaveBeenCalledTimes(1);
    const reloading = screen.getByRole('button', { name: 'Reloading…' });
    expect(reloading).toHaveProperty('disabled', true);
    fireEvent.click(reloading);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('stops offline support when it unmounts', () => {
    const offline = fakeOfflineSupport();
    const { unmount } = render(<UpdatePrompt start={offline.start} />);
    expect(offline.stop).not.toHaveBeenCalled();
    unmount();
    expect(offline.stop).toHaveBeenCalledTimes(1);
  });
});
