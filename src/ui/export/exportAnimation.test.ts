import { describe, expect, it } from 'vitest';
import type { SerializedView } from '../controls/viewExport.ts';
import type { AnimationWriter } from './encoders.ts';
import {
  ExportCancelled,
  exportAnimation,
  type AnimationHost,
  type AnimationTools,
} from './exportAnimation.ts';
import type { FramePlan } from './framePlan.ts';

const plan: FramePlan = { timesUs: [1_000_000, 1_200_000, 1_400_000], fps: 5, frameMs: 200 };

/** A page whose run is at 3 s (playing or not) and whose picture is 400×301 CSS px. */
function fakePage(options: { isPlaying?: boolean; reachable?: (timeUs: number) => boolean } = {}) {
  const log: string[] = [];
  let shownUs = 3_000_000;
  let playing = options.isPlaying ?? false;
  let pictureSize = { width: 400, height: 301 };
  const host: AnimationHost = {
    position: () => ({ timeUs: shownUs, isPlaying: playing }),
    seek: (timeUs) => {
      log.push(`seek ${timeUs}`);
      if (options.reachable?.(timeUs) ?? true) shownUs = timeUs;
      return Promise.resolve();
    },
    shownTimeUs: () => shownUs,
    afterRender: () => Promise.resolve(),
    picture: (timeUs): SerializedView => ({ svg: `<svg>${timeUs}</svg>`, ...pictureSize }),
    pause: () => {
      log.push('pause');
      playing = false;
    },
    play: () => {
      log.push('play');
      playing = true;
    },
  };
  const writer = { frames: [] as string[], finished: false, discarded: false };
  let onDraw: (index: number) => void = () => undefined;
  const canvas = { width: 300, height: 150 } as HTMLCanvasElement;
  let drawn = '';
  const tools: AnimationTools = {
    createCanvas: () => canvas,
    draw: (view, target) => {
      drawn = `${view.svg} at ${target.width}×${target.height}`;
      onDraw(writer.frames.length);
      return Promise.resolve();
    },
    createWriter: (format, { plan: planned }): Promise<AnimationWriter> => {
      log.push(`writer ${format} ${planned.fps}fps`);
      return Promise.resolve({
        addFrame: () => {
          writer.frames.push(drawn);
          return Promise.resolve();
        },
        finish: () => {
          writer.finished = true;
          return Promise.resolve(new Uint8Array([writer.frames.length]));
        },
        discard: () => {
          writer.discarded = true;
          return Promise.resolve();
        },
      });
    },
  };
  return {
    host,
    tools,
    log,
    writer,
    canvas,
    setPictureSize: (size: { width: number; height: number }) => {
      pictureSize = size;
    },
    drawHook: (hook: (index: number) => void) => {
      onDraw = hook;
    },
  };
}

describe('exportAnimation', () => {
  it('seeks to each frame’s time, draws it at the chosen size, then goes back and plays on', async () => {
    const page = fakePage({ isPlaying: true });
    const progress: string[] = [];
    const result = await exportAnimation({ plan, width: 640, format: 'gif' }, page.host, {
      signal: new AbortController().signal,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
      tools: page.tools,
    });
    expect(page.log).toEqual([
      'pause',
      'seek 1000000',
      'writer gif 5fps',
      'seek 1200000',
      'seek 1400000',
      'seek 3000000',
      'play',
    ]);
    // 640 wide keeps the picture's proportions, rounded to an even height (481.6 → 482).
    expect(page.writer.frames).toEqual([
      '<svg>1000000</svg> at 640×482',
      '<svg>1200000</svg> at 640×482',
      '<svg>1400000</svg> at 640×482',
    ]);
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(result).toEqual({ bytes: new Uint8Array([3]), width: 640, height: 482 });
    expect(page.writer.discarded).toBe(false);
    // The canvas's pixels are let go.
    expect([page.canvas.width, page.canvas.height]).toEqual([0, 0]);
  });

  it('leaves a paused run paused where it was', async () => {
    const page = fakePage();
    await exportAnimation({ plan, width: 640, format: 'webm' }, page.host, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
      tools: page.tools,
    });
    expect(page.log).not.toContain('play');
    expect(page.log).not.toContain('pause');
    expect(page.log.at(-1)).toBe('seek 3000000');
  });

  it('stops on cancel, keeps nothing, and restores the position and playing', async () => {
    const page = fakePage({ isPlaying: true });
    const cancel = new AbortController();
    page.drawHook((index) => {
      if (index === 1) cancel.abort();
    });
    const exporting = exportAnimation({ plan, width: 640, format: 'gif' }, page.host, {
      signal: cancel.signal,
      onProgress: () => undefined,
      tools: page.tools,
    });
    await expect(exporting).rejects.toBeInstanceOf(ExportCancelled);
    expect(page.writer.frames).toHaveLength(1);
    expect(page.writer.finished).toBe(false);
    expect(page.writer.discarded).toBe(true);
    expect(page.log.slice(-2)).toEqual(['seek 3000000', 'play']);
  });

  it('fails clearly when the run cannot be shown at a frame’s time', async () => {
    const page = fakePage({ reachable: (timeUs) => timeUs !== 1_200_000 });
    await expect(
      exportAnimation({ plan, width: 640, format: 'gif' }, page.host, {
        signal: new AbortController().signal,
        onProgress: () => undefined,
        tools: page.tools,
      }),
    ).rejects.toThrow('The run could not be shown at 1.2 s.');
    expect(page.writer.discarded).toBe(true);
    expect(page.log.at(-1)).toBe('seek 3000000');
  });

  it('fails clearly when the view changes size between frames', async () => {
    const page = fakePage();
    page.drawHook((index) => {
      if (index === 0) page.setPictureSize({ width: 500, height: 301 });
    });
    await expect(
      exportAnimation({ plan, width: 640, format: 'gif' }, page.host, {
        signal: new AbortController().signal,
        onProgress: () => undefined,
        tools: page.tools,
      }),
    ).rejects.toThrow(/changed size during the export/);
    expect(page.writer.finished).toBe(false);
  });
});
