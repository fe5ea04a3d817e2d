/**
 * Coalesces seek requests from a scrubber: one seek in flight at a time, and of the requests
 * made meanwhile only the latest is kept and sent when the current one finishes. Reports when
 * it becomes busy or idle, and when a seek has taken longer than `slowAfterMs` (so the page can
 * show progress) — with an injected scheduler, so tests need no real timers.
 */
export interface SeekQueueOptions {
  seek(targetUs: number): Promise<void>;
  onBusyChange(isBusy: boolean): void;
  onSlow(isSlow: boolean): void;
  readonly slowAfterMs: number;
  /** Calls `callback` after `delayMs`; returns a function that cancels it. */
  schedule(callback: () => void, delayMs: number): () => void;
}

export interface SeekQueue {
  request(targetUs: number): void;
  dispose(): void;
}

export function seekQueue(options: SeekQueueOptions): SeekQueue {
  let pending: number | null = null;
  let isBusy = false;
  let isDisposed = false;
  let cancelSlow: (() => void) | null = null;

  const finish = (): void => {
    cancelSlow?.();
    cancelSlow = null;
    options.onSlow(false);
    isBusy = false;
    options.onBusyChange(false);
  };

  const run = (target: number): void => {
    isBusy = true;
    cancelSlow ??= options.schedule(() => {
      if (!isDisposed) options.onSlow(true);
    }, options.slowAfterMs);
    void options
      .seek(target)
      .catch(() => undefined) // the controller reports failures as notices
      .then(() => {
        if (isDisposed) return;
        const next = pending;
        pending = null;
        if (next !== null && next !== target) run(next);
        else finish();
      });
  };

  return {
    request(targetUs) {
      if (isDisposed) return;
      if (isBusy) {
        pending = targetUs;
        return;
      }
      options.onBusyChange(true);
      run(targetUs);
    },
    dispose() {
      isDisposed = true;
      cancelSlow?.();
    },
  };
}
