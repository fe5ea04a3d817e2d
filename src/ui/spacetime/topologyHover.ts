import { useSimStore } from '../state/store.ts';

/**
 * The topology's half of message hovering: the message layer records where it drew each dot in
 * the latest animation frame, and a pointer over the topology publishes the dot under it as the
 * hovered message, which the space-time diagram then draws highlighted (and the other way round).
 */

/** Positions of the message dots drawn in one animation frame, in CSS pixels. */
export class DrawnDots {
  private readonly xs: Float32Array;
  private readonly ys: Float32Array;
  private readonly ids: Float64Array;
  private size = 0;

  /** @param capacity dots remembered per frame; dots past it cannot be pointed at. */
  constructor(capacity: number) {
    this.xs = new Float32Array(capacity);
    this.ys = new Float32Array(capacity);
    this.ids = new Float64Array(capacity);
  }

  /** Forgets the previous frame's dots (call before drawing a frame). */
  clear(): void {
    this.size = 0;
  }

  add(id: number, x: number, y: number): void {
    if (this.size >= this.ids.length) return;
    this.xs[this.size] = x;
    this.ys[this.size] = y;
    this.ids[this.size] = id;
    this.size++;
  }

  /** The id of the dot nearest (x, y) within `radiusPx`, or null; the later-drawn wins a tie. */
  nearest(x: number, y: number, radiusPx: number): number | null {
    let best: number | null = null;
    let bestSquared = radiusPx * radiusPx;
    for (let i = 0; i < this.size; i++) {
      const dx = (this.xs[i] as number) - x;
      const dy = (this.ys[i] as number) - y;
      const squared = dx * dx + dy * dy;
      if (squared <= bestSquared) {
        bestSquared = squared;
        best = this.ids[i] as number;
      }
    }
    return best;
  }
}

/**
 * Publishes the message under the pointer while it moves over the canvas's container (the
 * canvas itself lets pointer events through to the nodes and links under it). `messageAt`
 * takes canvas coordinates. Returns the function that stops listening.
 */
export function followMessageHover(
  canvas: HTMLCanvasElement,
  messageAt: (x: number, y: number) => number | null,
): () => void {
  const host = canvas.parentElement;
  if (host === null) return () => undefined;
  let published: number | null = null;
  const publish = (id: number | null): void => {
    if (id === published) return;
    published = id;
    useSimStore.getState().setHoveredMessage(id);
  };
  const onMove = (event: PointerEvent): void => {
    const box = canvas.getBoundingClientRect();
    publish(messageAt(event.clientX - box.left, event.clientY - box.top));
  };
  const onLeave = (): void => {
    publish(null);
  };
  host.addEventListener('pointermove', onMove);
  host.addEventListener('pointerleave', onLeave);
  return () => {
    host.removeEventListener('pointermove', onMove);
    host.removeEventListener('pointerleave', onLeave);
    publish(null);
  };
}
