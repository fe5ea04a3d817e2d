import type { TraceEvent } from '../../engine/trace.ts';
import { inFlightStride, type Frame } from '../../worker/protocol.ts';
import { DrawnDots } from '../spacetime/topologyHover.ts';
import { DotRaster, spriteOf, type DotSprite } from './dotRaster.ts';
import { useSimStore, type SimStore } from '../state/store.ts';
import type { Point } from './layout.ts';
import {
  DisplayClock,
  fadeAlpha,
  pointOnLink,
  progressAt,
  shownProgress,
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

/** Messages followed on screen after their delivery at most (the newest win). */
export const glowsMax = 600;

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
/** A message seen on screen: where it goes and since when, so that it can finish its trip. */
interface Glow {
  readonly from: number;
  readonly to: number;
  readonly type: string;
  readonly seenMs: number;
}

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

/**
 * The dot of each colour drawn once (fill and outline, at the device pixel ratio) and kept as
 * pixels for `DotRaster`; drawn again when the outline colour (the theme) or the ratio changes.
 */
class DotSprites {
  private readonly sprites = new Map<string, DotSprite | null>();
  private outline = '';
  private ratio = 0;

  /** The sprite for `colour`; null when a canvas cannot be drawn on (tests). */
  get(colour: string, outline: string, ratio: number): DotSprite | null {
    if (outline !== this.outline || ratio !== this.ratio) {
      this.sprites.clear();
      this.outline = outline;
      this.ratio = ratio;
    }
    let sprite = this.sprites.get(colour);
    if (sprite === undefined) {
      sprite = this.draw(colour);
      this.sprites.set(colour, sprite);
    }
    return sprite;
  }

  private draw(colour: string): DotSprite | null {
    const sidePx = 2 * (dotRadiusPx + 2);
    const side = Math.ceil(sidePx * this.ratio);
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) return null;
    context.setTransform(side / sidePx, 0, 0, side / sidePx, 0, 0);
    context.beginPath();
    context.arc(sidePx / 2, sidePx / 2, dotRadiusPx, 0, 2 * Math.PI);
    context.fillStyle = colour;
    context.fill();
    context.lineWidth = 1.5;
    context.strokeStyle = this.outline;
    context.stroke();
    return spriteOf(context.getImageData(0, 0, side, side));
  }
}

export class MessageLayer {
  private readonly canvas: HTMLCanvasElement;
  private readonly onTypesSeen: (types: readonly string[]) => void;
  private readonly clock = new DisplayClock();
  private readonly drops = new DropMarks();
  /**
   * Messages sent since playback last started, by id, in send order: each is drawn until it has
   * crossed its link at least as slowly as `minVisibleFlightMs` allows, even after delivery.
   */
  private readonly glows = new Map<number, Glow>();
  /** The frame's message ids, reused by every animation frame. */
  private readonly inFlightIds = new Set<number>();
  /** Duplicate copies in flight: message id → due time. */
  private readonly duplicates = new Map<number, number>();
  private readonly seenTypes = new Set<string>();
  private readonly scratch: MutablePoint = { x: 0, y: 0 };
  /** Where this animation frame drew each dot, for pointing at messages. */
  private readonly dots = new DrawnDots(drawnMessagesMax);
  private readonly sprites = new DotSprites();
  /** The frame's dots, stamped as pixels (see `DotRaster`); made at the canvas's first draw. */
  private raster: DotRaster<ImageData> | null = null;
  /** Dots this frame that get a ring: [id, x, y, index in the frame] each, reused every frame. */
  private readonly rings: number[] = [];
  /** The message hovered here or in the space-time diagram, ringed. */
  private hoveredId: number | null = null;
  /** A picked client operation's messages: ringed like the hovered one while in flight. */
  private trailIds: ReadonlySet<number> = new Set();
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
    this.trailIds = new Set(state.trail?.messages ?? []);
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
    if (next.trail !== previous.trail) {
      this.trailIds = new Set(next.trail?.messages ?? []);
      this.requestDraw();
    }
    if (next.frame === previous.frame || next.frame === null) return;
    this.scanEvents(next.events);
    this.takeFrame(next.frame);
  }

  private resetRun(): void {
    this.glows.clear();
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
    // Stopped or scrubbed, the view shows the simulation as it is: no trips still finishing.
    if (isRewind || !frame.isPlaying) this.glows.clear();
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
      } else if (event.type === 'message.sent' && event.value >= 0) {
        // Also while paused (a run opened at a position, a file): the legend names what was sent.
        if (!this.seenTypes.has(event.label)) this.noteTypes([event.label]);
        this.addGlow(event, nowMs);
      } else if (event.type === 'message.duplicated') {
        if (this.duplicates.size >= duplicatesTrackedMax) this.forgetOldestDuplicate();
        this.duplicates.set(event.messageId, event.value);
      }
    }
    this.lastEventIndex = newest;
  }

  private addGlow(event: TraceEvent, nowMs: number): void {
    if (this.frame?.isPlaying !== true) return;
    if (this.glows.size >= glowsMax) {
      for (const id of this.glows.keys()) {
        this.glows.delete(id);
        break;
      }
    }
    this.glows.set(event.messageId, {
      from: event.node,
      to: event.peer,
      type: event.label,
      seenMs: nowMs,
    });
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
      this.drawMessages(context, geometry, frame, timeUs, isMoving, nowMs);
    }
    const hasMarks = this.drawDrops(context, geometry, nowMs, isMoving);
    if ((isMoving && this.clock.isRunning) || hasMarks || this.glows.size > 0) this.requestDraw();
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

  /**
   * The dots, stamped into the raster and put on the canvas at once, then what is drawn over
   * them as paths (few): rings around duplicate copies and around the hovered message.
   */
  private drawMessages(
    context: CanvasRenderingContext2D,
    geometry: LayerGeometry,
    frame: Frame,
    timeUs: number,
    isMoving: boolean,
    nowMs: number,
  ): void {
    const { points, radius } = geometry;
    const flight = frame.inFlight;
    const count = Math.min(Math.floor(flight.length / inFlightStride), drawnMessagesMax);
    const trim = radius + dotRadiusPx + 3;
    const point = this.scratch;
    const raster = this.rasterFor(context);
    raster.clear();
    const rings = this.rings;
    rings.length = 0;
    for (let i = 0; i < count; i++) {
      const base = i * inFlightStride;
      const from = points[flight[base + 1] ?? -1];
      const to = points[flight[base + 2] ?? -1];
      if (from === undefined || to === undefined) continue;
      const id = flight[base] ?? -1;
      const simProgress = progressAt(flight[base + 3] ?? 0, flight[base + 4] ?? 0, timeUs);
      const glow = this.glows.get(id);
      const progress = !isMoving
        ? 0.5
        : glow === undefined
          ? simProgress
          : shownProgress(simProgress, glow.seenMs, nowMs);
      pointOnLink(from.x, from.y, to.x, to.y, progress, trim, lanePx, point);
      this.dots.add(id, point.x, point.y);
      const colour = this.colourOf(frame.inFlightTypes[i] ?? '');
      this.drawDot(raster, point.x, point.y, colour);
      const isRinged = id === this.hoveredId || this.trailIds.has(id);
      if (isRinged || this.duplicates.has(id)) rings.push(id, point.x, point.y, i);
    }
    if (isMoving) this.drawFinishingTrips(raster, geometry, frame, nowMs, trim);
    context.putImageData(raster.image, 0, 0);
    this.drawRings(context, frame);
  }

  /**
   * Messages already delivered (or past the frame) that have not yet crossed their link on
   * screen: drawn at their wall-clock pace; forgotten once across.
   */
  private drawFinishingTrips(
    raster: DotRaster,
    geometry: LayerGeometry,
    frame: Frame,
    nowMs: number,
    trim: number,
  ): void {
    if (this.glows.size === 0) return;
    const inFlight = this.inFlightIds;
    inFlight.clear();
    const flight = frame.inFlight;
    for (let base = 0; base < flight.length; base += inFlightStride)
      inFlight.add(flight[base] ?? -1);
    const point = this.scratch;
    for (const [id, glow] of this.glows) {
      if (inFlight.has(id)) continue;
      const progress = shownProgress(1, glow.seenMs, nowMs);
      if (progress >= 1) {
        this.glows.delete(id);
        continue;
      }
      const from = geometry.points[glow.from];
      const to = geometry.points[glow.to];
      if (from === undefined || to === undefined) continue;
      pointOnLink(from.x, from.y, to.x, to.y, progress, trim, lanePx, point);
      this.dots.add(id, point.x, point.y);
      this.drawDot(raster, point.x, point.y, this.colourOf(glow.type));
    }
  }

  /**
   * Rings around the dots of duplicate copies (in their colour), of the hovered message and of a
   * picked operation's messages.
   */
  private drawRings(context: CanvasRenderingContext2D, frame: Frame): void {
    const rings = this.rings;
    context.lineWidth = 1.5;
    for (let k = 0; k + 3 < rings.length; k += 4) {
      const id = rings[k] as number;
      const x = rings[k + 1] as number;
      const y = rings[k + 2] as number;
      if (this.duplicates.has(id)) {
        context.beginPath();
        context.arc(x, y, dotRadiusPx + 3, 0, 2 * Math.PI);
        context.strokeStyle = this.colourOf(frame.inFlightTypes[rings[k + 3] as number] ?? '');
        context.stroke();
      }
      if (id === this.hoveredId || this.trailIds.has(id)) this.drawHoverRing(context, x, y);
    }
  }

  /** The raster for the canvas's current size, made again after a resize. */
  private rasterFor(context: CanvasRenderingContext2D): DotRaster<ImageData> {
    const { width, height } = this.canvas;
    if (this.raster?.width !== width || this.raster.height !== height) {
      this.raster = new DotRaster(context.createImageData(width, height));
    }
    return this.raster;
  }

  /**
   * A message dot in its type's colour with an outline in the surface colour: its colour's
   * sprite stamped into the raster at whole device pixels (the raster goes onto the canvas at
   * the end of `drawMessages`).
   */
  private drawDot(raster: DotRaster, x: number, y: number, colour: string): void {
    const ratio = this.pixelRatio || 1;
    const sprite = this.sprites.get(colour, this.outline, ratio);
    if (sprite === null) return;
    const half = sprite.side / 2;
    raster.stamp(sprite, Math.round(x * ratio - half), Math.round(y * ratio - half));
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
