/*
 * Message dots stamped into a pixel buffer that goes onto the canvas in one putImageData. A
 * canvas without graphics acceleration (headless Chromium, many laptops' fallback) rasterises
 * every arc, fill and stroke as a separate anti-aliased path: 2,000 dots cost tens of
 * milliseconds per frame that way, a copy of each dot's image (drawImage) still around ten.
 * Copying the pixels of one pre-drawn dot per colour is a few hundred thousand word copies and
 * a little blending at the dots' soft edges: a millisecond or two.
 */

/** RGBA pixels as ImageData holds them. */
export type Pixels = Pick<ImageData, 'width' | 'height' | 'data'>;

/** One dot's pixels, drawn once per colour, theme and pixel ratio. */
export class DotSprite {
  /** Side in device pixels. */
  readonly side: number;
  /** RGBA words, row by row (the bytes of ImageData, read four at a time). */
  readonly words: Uint32Array;
  /** The same pixels as bytes, for blending. */
  readonly bytes: Uint8ClampedArray;
  /** Indexes of the opaque pixels (copied) and of the soft edge's (blended); the rest is skipped. */
  readonly opaque: Int32Array;
  readonly edge: Int32Array;
  /** Where those pixels land in a buffer `offsetsWidth` wide, from the sprite's top left. */
  private offsetsWidth = -1;
  private opaqueOffsets = new Int32Array(0);
  private edgeOffsets = new Int32Array(0);

  /** From `side` × `side` RGBA pixels (e.g. a small canvas's getImageData). */
  constructor(pixels: Pixels) {
    this.side = pixels.width;
    this.bytes = new Uint8ClampedArray(pixels.data);
    this.words = new Uint32Array(this.bytes.buffer);
    const opaque: number[] = [];
    const edge: number[] = [];
    for (let at = 0; at < this.words.length; at++) {
      const alpha = this.bytes[at * 4 + 3] as number;
      if (alpha === 255) opaque.push(at);
      else if (alpha > 0) edge.push(at);
    }
    this.opaque = Int32Array.from(opaque);
    this.edge = Int32Array.from(edge);
  }

  /** The offsets of the opaque and edge pixels in a buffer `width` pixels wide. */
  offsets(width: number): { opaque: Int32Array; edge: Int32Array } {
    if (width !== this.offsetsWidth) {
      const place = (at: number): number => Math.floor(at / this.side) * width + (at % this.side);
      this.opaqueOffsets = this.opaque.map(place);
      this.edgeOffsets = this.edge.map(place);
      this.offsetsWidth = width;
    }
    return { opaque: this.opaqueOffsets, edge: this.edgeOffsets };
  }
}

/** Makes a sprite from `side` × `side` RGBA pixels (e.g. a small canvas's getImageData). */
export function spriteOf(pixels: Pixels): DotSprite {
  return new DotSprite(pixels);
}

/** A canvas-sized pixel buffer that dots are stamped into, back to transparent each frame. */
export class DotRaster<Image extends Pixels = Pixels> {
  readonly image: Image;
  private readonly words: Uint32Array;
  private readonly bytes: Uint8ClampedArray;

  /** `image` is the buffer written (an ImageData of the canvas's size in device pixels). */
  constructor(image: Image) {
    this.image = image;
    this.bytes = image.data;
    this.words = new Uint32Array(image.data.buffer);
  }

  get width(): number {
    return this.image.width;
  }

  get height(): number {
    return this.image.height;
  }

  clear(): void {
    this.words.fill(0);
  }

  /**
   * Draws `sprite` with its top left corner at device pixel (left, top), over what is already
   * there (source-over), clipped to the buffer. Opaque pixels are copied, the soft edge is
   * blended, transparent pixels are not visited.
   */
  stamp(sprite: DotSprite, left: number, top: number): void {
    const { side, opaque, edge, words: from } = sprite;
    const { width, height } = this.image;
    if (left < 0 || top < 0 || left + side > width || top + side > height) {
      this.stampClipped(sprite, left, top);
      return;
    }
    const base = top * width + left;
    const offsets = sprite.offsets(width);
    for (let k = 0; k < opaque.length; k++) {
      this.words[base + (offsets.opaque[k] as number)] = from[opaque[k] as number] as number;
    }
    for (let k = 0; k < edge.length; k++) {
      this.blend(sprite, edge[k] as number, base + (offsets.edge[k] as number));
    }
  }

  /** `stamp` for a sprite that overhangs the buffer's edge: pixel by pixel, with bounds. */
  private stampClipped(sprite: DotSprite, left: number, top: number): void {
    const { side } = sprite;
    const { width, height } = this.image;
    for (let y = Math.max(0, -top); y < Math.min(side, height - top); y++) {
      for (let x = Math.max(0, -left); x < Math.min(side, width - left); x++) {
        const at = y * side + x;
        const alpha = sprite.bytes[at * 4 + 3] as number;
        if (alpha === 0) continue;
        const to = (top + y) * width + left + x;
        if (alpha === 255) this.words[to] = sprite.words[at] as number;
        else this.blend(sprite, at, to);
      }
    }
  }

  /**
   * Source-over for one pixel of straight (not premultiplied) RGBA, as ImageData holds it; over
   * a transparent pixel (much of a dot's edge) that is the source pixel itself.
   */
  private blend(sprite: DotSprite, at: number, to: number): void {
    const target = this.bytes;
    const t = to * 4;
    const below = target[t + 3] as number;
    if (below === 0) {
      this.words[to] = sprite.words[at] as number;
      return;
    }
    const source = sprite.bytes;
    const s = at * 4;
    const alpha = source[s + 3] as number;
    // Weights in 255ths: the source's alpha, and what shows of the pixel below.
    const over = alpha * 255;
    const under = below * (255 - alpha);
    const total = over + under;
    target[t] = ((source[s] as number) * over + (target[t] as number) * under) / total;
    target[t + 1] = ((source[s + 1] as number) * over + (target[t + 1] as number) * under) / total;
    target[t + 2] = ((source[s + 2] as number) * over + (target[t + 2] as number) * under) / total;
    target[t + 3] = total / 255;
  }
}
