// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- gifenc ships no types, and the tests' project does not include the declarations on its own
/// <reference path="./gifenc.d.ts" />
import { GIFEncoder, applyPalette, quantize, type Palette } from 'gifenc';

/*
 * An animated GIF from RGBA frames, with gifenc. One palette for the whole file, quantised from
 * the first frame: the same frames always give the same bytes, and colours do not flicker
 * between frames. The first frame holds every colour the others use, because the picture's
 * legend shows every message colour of the scenario from the start.
 */

export interface GifWriterOptions {
  readonly width: number;
  readonly height: number;
  /** How long each frame shows, in ms (GIF keeps hundredths of a second). */
  readonly frameMs: number;
}

export interface GifWriter {
  addFrame(rgba: Uint8Array | Uint8ClampedArray): void;
  finish(): Uint8Array<ArrayBuffer>;
}

export function createGifWriter({ width, height, frameMs }: GifWriterOptions): GifWriter {
  const stream = GIFEncoder();
  let palette: Palette | null = null;
  let isFinished = false;
  return {
    addFrame(rgba) {
      if (isFinished) throw new Error('The GIF is already finished.');
      if (rgba.length !== width * height * 4)
        throw new Error(`A frame must be ${width}×${height} RGBA pixels.`);
      const isFirst = palette === null;
      palette ??= quantize(rgba, 256);
      const index = applyPalette(rgba, palette);
      // The first frame carries the palette as the file's global one and says to loop forever.
      stream.writeFrame(index, width, height, {
        ...(isFirst ? { palette, repeat: 0 } : {}),
        delay: frameMs,
      });
    },
    finish() {
      if (palette === null) throw new Error('A GIF needs at least one frame.');
      if (!isFinished) stream.finish();
      isFinished = true;
      return stream.bytes();
    },
  };
}
