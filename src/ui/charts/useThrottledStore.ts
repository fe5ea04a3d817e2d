import { useState, useSyncExternalStore } from 'react';
import { useSimStore, type SimStore } from '../state/store.ts';

/**
 * A store value that a component sees at most once per interval, with the last change always
 * delivered. Frames arrive up to 60 times a second; charts need far fewer redraws than that.
 */
export class ThrottledValue<T> {
  private readonly select: (state: SimStore) => T;
  /** Fixed, or asked again at every change (a pace that adapts to what redrawing costs). */
  private readonly intervalMs: number | (() => number);
  private value: T;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(select: (state: SimStore) => T, intervalMs: number | (() => number)) {
    this.select = select;
    this.intervalMs = intervalMs;
    this.value = select(useSimStore.getState());
  }

  readonly subscribe = (notify: () => void): (() => void) => {
    const onChange = () => {
      if (this.timer !== undefined) return;
      const interval = typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs();
      const waitMs = this.lastMs + interval - performance.now();
      if (waitMs <= 0) this.refresh(notify);
      else
        this.timer = globalThis.setTimeout(() => {
          this.refresh(notify);
        }, waitMs);
    };
    const unsubscribe = useSimStore.subscribe(onChange);
    // The store may have changed between the first render and this subscription.
    onChange();
    return () => {
      unsubscribe();
      globalThis.clearTimeout(this.timer);
      this.timer = undefined;
    };
  };

  readonly getSnapshot = (): T => this.value;

  private refresh(notify: () => void): void {
    this.timer = undefined;
    this.lastMs = performance.now();
    const next = this.select(useSimStore.getState());
    if (Object.is(next, this.value)) return;
    this.value = next;
    notify();
  }
}

/** `select` from the store, re-read at most every `intervalMs` (both fixed at first render). */
export function useThrottledStore<T>(
  select: (state: SimStore) => T,
  intervalMs: number | (() => number),
): T {
  const [throttled] = useState(() => new ThrottledValue(select, intervalMs));
  return useSyncExternalStore(throttled.subscribe, throttled.getSnapshot);
}
