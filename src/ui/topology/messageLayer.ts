import type { TraceEvent } from '../../engine/trace.ts';
import { inFlightStride, type Frame } from '../../worker/protocol.ts';
import { DrawnDots } from '../spacetime/topologyHover.ts';
import { useSimStore, type SimStore } from '../state/store.ts';
import type { Point } from './layout.ts';
import {
  DisplayClock,
  fadeAlpha,
  pointOnLink,
  progressAt,
  type MutablePoint,
} from './messageMath.ts';

/**
 * Messages in flight drawn on a canvas over the topology, in a requestAnimationFrame loop that
 * runs outside React: it subscribes to the store for new frames and draws every animation frame
 * from the latest one. Work per animation frame allocates nothing but what the canvas API does.
 */

/** Dots drawn per animation frame; messages past this many are not drawn. */
export const drawnMessagesMax = 2_000;
/** Drop marks kept at once (the most recent win). */
export const dropMarksMax = 256;
/** Duplicate copies remembered (to ring them) until they are due. */
export const duplicatesTrackedMax = 4_096;
/** Wall time a drop mark fades over. */
export const dropFadeMs = 600;
/** Wall time a drop mark stays (without fading) when motion is reduced. */
export const dropStillMs = 900;

/** Dot colour for message types the scenario gives no colour. */
export const fallbackColour = '#8a8f98';
const dotRadiusPx = 5;
const lanePx = 3;

/** Node positions and sizes the layer draws against, in CSS pixels. */
export interface LayerGeometry {
  readonly points: readonly Point[];
  readonly radius: number;
  readonly width: number;
  readonly height: number;
}

/** A fixed-size ring of recent drops: where (node, toward peer), what colour, since when. */
class DropMarks {
  readonly nodes = new Int32Array(dropMarksMax);
  readonly peers = new Int32Array(dropMarksMax);
  readonly startMs = new Float64Array(dropMarksMax);
  readonly colours = new Array<string>(dropMarksMax).fill(fallbackColour);
  next = 0;
  size = 0;

  add(node: number, peer: number, colour: string, nowMs: number): void {
    const at = this.next;
    this.nodes[at] = node;
    this.peers[at] = peer;
    this.colours[at] = colour;
    this.startMs[at] = nowMs;
    this.next = (at + 1) % dropMarksMax;
    this.size = Math.min(this.size + 1, dropMarksMax);
  }

  clear(): void {
    this.next = 0;
    this.size = 0;
  }
}

export class MessageLayer {
  private readonly canvas: HTMLCanvasElement;
  private readonly onTypesSeen: (types: readonly string[]) => void;
  private readonly clock = new DisplayClock();
  private readonly drops = new DropMarks();
  /** Duplicate copies in flight: message id → due time. */
  private readonly duplicates = new Map<number, number>();
  private readonly seenTypes = new Set<string>();
  private readonly scratch: MutablePoint = { x: 0, y: 0 };
  /** Where this animation frame drew each dot, for pointing at messages. */
  private readonly dots = new DrawnDots(drawnMessagesMax);
  /** The message hovered here or in the space-time diagram, ringed. */
  private hoveredId: number | null = null;
  private hoverInk = '#1c1c1e';
  private readonly motionQuery = window.matchMedia('(prefers-reduced-motion: reduce)');
  private readonly darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
  private geometry: LayerGeometry | null = null;
  private colours: Readonly<Record<string, string>> = {};
  private frame: Frame | null = null;
  private lastEventIndex = -1;
  private outline = '#ffffff';
  private dropInk = '#b91c1c';
  private pixelRatio = 0;
  private animationId = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(canvas: HTMLCanvasElement, onTypesSeen: (types: readonly string[]) => void) {
    this.canvas = canvas;
    this.onTypesSeen = onTypesSeen;
  }

  /** Starts following the store and the system's motion and colour settings. */
  start(): void {
    const state = useSimStore.getState();
    this.lastEventIndex = state.events[state.events.length - 1]?.index ?? -1;
    this.hoveredId = state.hoveredMessage;
    this.unsubscribe = useSimStore.subscribe((next, previous) => {
      this.onStore(next, previous);
    });
    this.motionQuery.addEventListener('change', this.requestDraw);
    this.darkQuery.addEventListener('change', this.onTheme);
    this.readTheme();
    if (state.frame !== null) this.takeFrame(state.frame);
  }

  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.motionQuery.removeEventListener('change', this.requestDraw);
    this.darkQuery.removeEventListener('change', this.onTheme);
    if (this.animationId !== 0) cancelAnimationFrame(this.animationId);
    this.animationId = 0;
  }

  setGeometry(geometry: LayerGeometry | null): void {
    this.geometry = geometry;
    this.pixelRatio = 0;
    this.requestDraw();
  }

  setColours(colours: Readonly<Record<string, string>>): void {
    this.colours = colours;
    this.requestDraw();
  }

  /** The message whose dot is within reach of (x, y) in the latest drawing, or null. */
  messageAt(x: number, y: number): number | null {
    return this.dots.nearest(x, y, dotRadiusPx + 3);
  }

  private onStore(next: SimStore, previous: SimStore): void {
    if (next.view !== previous.view) this.resetRun();
    if (next.hoveredMessage !== previous.hoveredMessage) {
      this.hoveredId = next.hoveredMessage;
      this.requestDraw();
    }
    if (next.frame === previous.frame || next.frame === null) return;
    this.scanEvents(next.events);
    this.takeFrame(next.frame);
  }

  private resetRun(): void {
    this.drops.clear();
    this.duplicates.clear();
    this.seenTypes.clear();
    this.lastEventIndex = -1;
    this.frame = null;
    this.onTypesSeen([]);
    this.requestDraw();
  }

  private takeFrame(frame: Frame): void {
    const isRewind = this.frame !== null && frame.timeUs < this.frame.timeUs;
    if (isRewind) {
      this.drops.clear();
      this.duplicates.clear();
    }
    this.frame = frame;
    this.clock.onFrame(frame.timeUs, performance.now(), frame.speed, frame.isPlaying);
    this.forgetDeliveredDuplicates(frame.timeUs);
    this.noteTypes(frame.inFlightTypes);
    this.requestDraw();
  }

  /** Takes drops and duplicates from the trace events that arrived since the last frame. */
  private scanEvents(events: readonly TraceEvent[]): void {
    const newest = events[events.length - 1]?.index ?? -1;
    if (newest < this.lastEventIndex) {
      // The trace restarted (a seek or reload): old drops are not news.
      this.lastEventIndex = newest;
      return;
    }
    let start = events.length;
    while (start > 0 && (events[start - 1]?.index ?? -1) > this.lastEventIndex) start--;
    const nowMs = performance.now();
    for (let i = start; i < events.length; i++) {
      const event = events[i] as TraceEvent;
      if (event.type === 'message.dropped') {
        this.drops.add(event.node, event.peer, this.colourOf(event.label), nowMs);
      } else if (event.type === 'message.duplicated') {
        if (this.duplicates.size >= duplicatesTrackedMax) this.forgetOldestDuplicate();
        this.duplicates.set(event.messageId, event.value);
      }
    }
    this.lastEventIndex = newest;
  }

  private forgetOldestDuplicate(): void {
    for (const id of this.duplicates.keys()) {
      this.duplicates.delete(id);
      return;
    }
  }

  private forgetDeliveredDuplicates(timeUs: number): void {
    if (this.duplicates.size === 0) return;
    for (const [id, dueUs] of this.duplicates) if (dueUs < timeUs) this.duplicates.delete(id);
  }

  private noteTypes(types: readonly string[]): void {
    let isNew = false;
    for (const type of types) {
      if (this.seenTypes.has(type)) continue;
      this.seenTypes.add(type);
      isNew = true;
    }
    if (isNew) this.onTypesSeen([...this.seenTypes]);
  }

  private colourOf(type: string): string {
    return this.colours[type] ?? fallbackColour;
  }

  private readonly onTheme = (): void => {
    this.readTheme();
    this.requestDraw();
  };

  private readTheme(): void {
    const style = getComputedStyle(this.canvas);
    this.outline = style.getPropertyValue('--surface').trim() || '#ffffff';
    this.dropInk = style.getPropertyValue('--bad').trim() || '#b91c1c';
    this.hoverInk = style.getPropertyValue('--text').trim() || '#1c1c1e';
  }

  private readonly requestDraw = (): void => {
    if (this.animationId === 0) this.animationId = requestAnimationFrame(this.draw);
  };

  private readonly draw = (nowMs: number): void => {
    this.animationId = 0;
    const geometry = this.geometry;
    const context = this.prepareCanvas(geometry);
    if (context === null || geometry === null) return;
    const isMoving = !this.motionQuery.matches;
    const frame = this.frame;
    this.dots.clear();
    if (frame !== null) {
      const timeUs = this.clock.timeAt(nowMs, isMoving);
      this.drawMessages(context, geometry, frame, timeUs, isMoving);
    }
    const hasMarks = this.drawDrops(context, geometry, nowMs, isMoving);
    if ((isMoving && this.clock.isRunning) || hasMarks) this.requestDraw();
  };

  /** Sizes the canvas for the device pixel ratio and clears it; null when there is nothing. */
  private prepareCanvas(geometry: LayerGeometry | null): CanvasRenderingContext2D | null {
    const context = this.canvas.getContext('2d');
    if (context === null) return null;
    if (geometry === null) {
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, this.canvas.width, this.canvas.height);
      return null;
    }
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(geometry.width * ratio));
    const height = Math.max(1, Math.round(geometry.height * ratio));
    if (ratio !== this.pixelRatio || this.canvas.width !== width || this.canvas.height !== height) {
      this.pixelRatio = ratio;
      this.canvas.width = width;
      this.canvas.height = height;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, geometry.width, geometry.height);
    return context;
  }

  private drawMessages(
    context: CanvasRenderingContext2D,
    geometry: LayerGeometry,
    frame: Frame,
    timeUs: number,
    isMoving: boolean,
  ): void {
    const { points, radius } = geometry;
    const flight = frame.inFlight;
    const count = Math.min(Math.floor(flight.length / inFlightStride), drawnMessagesMax);
    const trim = radius + dotRadiusPx + 3;
    const point = this.scratch;
    context.lineWidth = 1.5;
    for (let i = 0; i < count; i++) {
      const base = i * inFlightStride;
      const from = points[flight[base + 1] ?? -1];
      const to = points[flight[base + 2] ?? -1];
      if (from === undefined || to === undefined) continue;
      const progress = isMoving
        ? progressAt(flight[base + 3] ?? 0, flight[base + 4] ?? 0, timeUs)
        : 0.5;
      pointOnLink(from.x, from.y, to.x, to.y, progress, trim, lanePx, point);
      this.dots.add(flight[base] ?? -1, point.x, point.y);
      const colour = this.colourOf(frame.inFlightTypes[i] ?? '');
      context.beginPath();
      context.arc(point.x, point.y, dotRadiusPx, 0, 2 * Math.PI);
      context.fillStyle = colour;
      context.fill();
      context.strokeStyle = this.outline;
      context.stroke();
      if (this.duplicates.has(flight[base] ?? -1)) {
        context.beginPath();
        context.arc(point.x, point.y, dotRadiusPx + 3, 0, 2 * Math.PI);
        context.strokeStyle = colour;
        context.stroke();
      }
      if (flight[base] === this.hoveredId) this.drawHoverRing(context, point.x, point.y);
    }
  }

  /** The hovered message: a thick ring in the theme's text colour around its dot. */
  private drawHoverRing(context: CanvasRenderingContext2D, x: number, y: number): void {
    context.beginPath();
    context.arc(x, y, dotRadiusPx + 5, 0, 2 * Math.PI);
    context.lineWidth = 2.5;
    context.strokeStyle = this.hoverInk;
    context.stroke();
    context.lineWidth = 1.5;
  }

  /** Draws the drop marks still showing; returns whether any are left to show. */
  private drawDrops(
    context: CanvasRenderingContext2D,
    geometry: LayerGeometry,
    nowMs: number,
    isMoving: boolean,
  ): boolean {
    const drops = this.drops;
    const point = this.scratch;
    let isShowing = false;
    for (let k = 0; k < drops.size; k++) {
      const at = (drops.next - 1 - k + dropMarksMax) % dropMarksMax;
      const ageMs = nowMs - (drops.startMs[at] ?? 0);
      const alpha = isMoving ? fadeAlpha(ageMs, dropFadeMs) : ageMs < dropStillMs ? 1 : 0;
      if (alpha <= 0) continue;
      const from = geometry.points[drops.nodes[at] ?? -1];
      const to = geometry.points[drops.peers[at] ?? -1];
      if (from === undefined || to === undefined) continue;
      isShowing = true;
      pointOnLink(from.x, from.y, to.x, to.y, 0, geometry.radius + 10, 0, point);
      context.globalAlpha = alpha;
      this.drawDropMark(context, point.x, point.y, drops.colours[at] ?? fallbackColour);
    }
    context.globalAlpha = 1;
    return isShowing;
  }

  /** A dropped message: its dot in its type's colour under a cross in the theme's "bad" red. */
  private drawDropMark(
    context: CanvasRenderingContext2D,
    x: number,
    y: number,
    colour: string,
  ): void {
    context.beginPath();
    context.arc(x, y, dotRadiusPx, 0, 2 * Math.PI);
    context.fillStyle = colour;
    context.fill();
    const arm = dotRadiusPx + 2;
    context.beginPath();
    context.moveTo(x - arm, y - arm);
    context.lineTo(x + arm, y + arm);
    context.moveTo(x + arm, y - arm);
    context.lineTo(x - arm, y + arm);
    context.lineCap = 'round';
    context.lineWidth = 6;
    context.strokeStyle = this.outline;
    context.stroke();
    context.lineWidth = 3;
    context.strokeStyle = this.dropInk;
    context.stroke();
    context.lineWidth = 1.5;
  }
}
