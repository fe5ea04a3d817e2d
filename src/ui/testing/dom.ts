/**
 * A ResizeObserver for jsdom, which has none and lays nothing out: it reports an 800 × 600 box
 * once, on observe, so components that size themselves from it draw.
 */
export class FixedSizeObserver {
  private readonly callback: ResizeObserverCallback;
  constructor(callback: ResizeObserverCallback) {
    this.callback = callback;
  }
  observe(target: Element): void {
    const contentRect = { x: 0, y: 0, width: 800, height: 600, top: 0, left: 0, right: 800 };
    const entry: ResizeObserverEntry = {
      target,
      contentRect: { ...contentRect, bottom: 600, toJSON: () => contentRect },
      borderBoxSize: [],
      contentBoxSize: [],
      devicePixelContentBoxSize: [],
    };
    this.callback([entry], this);
  }
  takeRecords(): ResizeObserverEntry[] {
    return [];
  }
  unobserve(): void {
    // Nothing to stop: the size never changes.
  }
  disconnect(): void {
    // As above.
  }
}
