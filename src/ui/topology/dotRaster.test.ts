import { describe, expect, it } from 'vitest';
import { DotRaster, spriteOf, type Pixels } from './dotRaster.ts';

function pixels(width: number, height: number, rgba: readonly number[] = [0, 0, 0, 0]): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { width, height, data };
}

function pixelAt(image: Pixels, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return [...image.data.slice(at, at + 4)];
}

describe('DotRaster', () => {
  it('copies opaque pixels, skips transparent ones and clips at the edges', () => {
    const sprite = pixels(2, 2, [10, 20, 30, 255]);
    sprite.data.set([0, 0, 0, 0], 4 * 3); // bottom right transparent
    const raster = new DotRaster(pixels(3, 3, [1, 2, 3, 255]));
    raster.clear();
    raster.stamp(spriteOf(sprite), 2, 2); // only the sprite's top left lands inside
    raster.stamp(spriteOf(sprite), -1, -1); // only its (transparent) bottom right lands inside
    expect(pixelAt(raster.image, 2, 2)).toEqual([10, 20, 30, 255]);
    expect(pixelAt(raster.image, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(pixelAt(raster.image, 1, 1)).toEqual([0, 0, 0, 0]);
  });

  it('blends an anti-aliased edge over what is below (source-over, straight alpha)', () => {
    const raster = new DotRaster(pixels(1, 1));
    raster.clear();
    raster.stamp(spriteOf(pixels(1, 1, [200, 0, 0, 255])), 0, 0);
    raster.stamp(spriteOf(pixels(1, 1, [0, 0, 200, 51])), 0, 0);
    // 20% blue over opaque red.
    expect(pixelAt(raster.image, 0, 0)).toEqual([160, 0, 40, 255]);

    const empty = new DotRaster(pixels(1, 1));
    empty.clear();
    empty.stamp(spriteOf(pixels(1, 1, [0, 0, 200, 51])), 0, 0);
    // Over nothing, the edge keeps its own colour and alpha.
    expect(pixelAt(empty.image, 0, 0)).toEqual([0, 0, 200, 51]);
  });

  it('clears to transparent', () => {
    const raster = new DotRaster(pixels(2, 1, [9, 9, 9, 255]));
    raster.clear();
    expect(pixelAt(raster.image, 1, 0)).toEqual([0, 0, 0, 0]);
  });
});
