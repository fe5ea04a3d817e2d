import type { FramePlan } from './framePlan.ts';

/*
 * The file formats an animation can be written in, behind one small interface: a writer takes
 * the frames in order from the canvas they were drawn on and gives the file's bytes at the end.
 * The encoders are well-kept libraries, fetched on first use (dynamic import) so the page's
 * main bundle does not carry them: gifenc for GIF, Mediabunny (over the browser's WebCodecs
 * VideoEncoder) for WebM and MP4.
 */

export type AnimationFormat = 'gif' | 'webm' | 'mp4';

export interface FormatInfo {
  readonly label: string;
  readonly extension: string;
  readonly mimeType: string;
}

export const formatInfo: Readonly<Record<AnimationFormat, FormatInfo>> = {
  gif: { label: 'GIF', extension: 'gif', mimeType: 'image/gif' },
  webm: { label: 'WebM (VP9 video)', extension: 'webm', mimeType: 'video/webm' },
  mp4: { label: 'MP4 (H.264 video)', extension: 'mp4', mimeType: 'video/mp4' },
};

export interface AnimationWriter {
  /** Adds the picture now on the writer's canvas as the next frame. */
  addFrame(): Promise<void>;
  /** Ends the file and gives its bytes. */
  finish(): Promise<Uint8Array<ArrayBuffer>>;
  /** Drops everything written so far (after a cancel or a failure). */
  discard(): Promise<void>;
}

export interface WriterOptions {
  readonly canvas: HTMLCanvasElement;
  readonly plan: FramePlan;
}

/** A writer for `format` over `canvas`, its encoder library loaded on first use. */
export async function createWriter(
  format: AnimationFormat,
  options: WriterOptions,
): Promise<AnimationWriter> {
  if (format === 'gif') {
    const { createGifWriter } = await import('./gifWriter.ts');
    const context = options.canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('This browser cannot read back a canvas.');
    const { width, height } = options.canvas;
    const gif = createGifWriter({ width, height, frameMs: options.plan.frameMs });
    return {
      addFrame: () => {
        gif.addFrame(context.getImageData(0, 0, width, height).data);
        return Promise.resolve();
      },
      finish: () => Promise.resolve(gif.finish()),
      discard: () => Promise.resolve(),
    };
  }
  const { createVideoWriter } = await import('./videoWriter.ts');
  return createVideoWriter(format, options);
}

/**
 * The video formats this browser can encode at `width`×`height`: none without WebCodecs (then
 * the muxer library is not even fetched), otherwise see `videoFormatsOf`.
 */
export async function videoFormatsFor(width: number, height: number): Promise<AnimationFormat[]> {
  if (typeof VideoEncoder === 'undefined') return [];
  // One import site for the video code: a second one (of the library itself) made the bundler
  // split modules the page shares with it into extra chunks that the page then loads first.
  const { videoFormatsOf } = await import('./videoWriter.ts');
  return videoFormatsOf(width, height);
}
