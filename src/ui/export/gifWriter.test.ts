import { GifReader } from 'omggif';
import { describe, expect, it } from 'vitest';
import { createGifWriter } from './gifWriter.ts';

const width = 24;
const height = 16;

const background = [250, 250, 250, 255];
const colours = [
  [37, 99, 235, 255],
  [217, 119, 6, 255],
  [22, 163, 74, 255],
];

/**
 * A synthetic frame like the app's pictures: a legend row with every colour at the top, and a
 * square whose colour and place follow `index`.
 */
function syntheticFrame(index: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const isLegend = y < 2 && x < 6;
      const isSquare = x >= index * 4 && x < index * 4 + 6 && y >= 4 && y < 10;
      const colour = isLegend ? colours[x >> 1] : isSquare ? colours[index] : background;
      rgba.set(colour ?? background, (y * width + x) * 4);
    }
  }
  return rgba;
}

function encodeThree(): Uint8Array {
  const gif = createGifWriter({ width, height, frameMs: 200 });
  for (let i = 0; i < 3; i++) gif.addFrame(syntheticFrame(i));
  return gif.finish();
}

describe('createGifWriter', () => {
  it('writes a looping GIF that decodes to the frames given, at their size and delay', () => {
    const bytes = encodeThree();
    const reader = new GifReader(bytes);
    expect(reader.width).toBe(width);
    expect(reader.height).toBe(height);
    expect(reader.numFrames()).toBe(3);
    expect(reader.loopCount()).toBe(0);
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < 3; i++) {
      const info = reader.frameInfo(i);
      expect([info.width, info.height, info.delay]).toEqual([width, height, 20]);
      reader.decodeAndBlitFrameRGBA(i, pixels);
      // The square is where this frame drew it, in its colour; the rest is background. The
      // palette (from the first frame, which has every colour) keeps these colours exactly.
      const inSquare = (6 * width + i * 4 + 2) * 4;
      const outside = (6 * width + ((i * 4 + 12) % width)) * 4;
      expect(Array.from(pixels.subarray(inSquare, inSquare + 4))).toEqual(colours[i]);
      expect(Array.from(pixels.subarray(outside, outside + 4))).toEqual(background);
    }
  });

  it('gives the same bytes for the same frames', () => {
    expect(Buffer.from(encodeThree()).equals(Buffer.from(encodeThree()))).toBe(true);
  });

  it('refuses a frame of the wrong size and a GIF without frames', () => {
    const gif = createGifWriter({ width, height, frameMs: 100 });
    expect(() => {
      gif.addFrame(new Uint8Array(4));
    }).toThrow(/must be 24×16 RGBA pixels/);
    expect(() => gif.finish()).toThrow(/at least one frame/);
  });
});
