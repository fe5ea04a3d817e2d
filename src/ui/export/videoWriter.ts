import {
  BufferTarget,
  CanvasSource,
  Mp4OutputFormat,
  Output,
  Quality,
  WebMOutputFormat,
  canEncodeVideo,
  type VideoCodec,
} from 'mediabunny';
import type { AnimationFormat, AnimationWriter, WriterOptions } from './encoders.ts';

/*
 * WebM or MP4 through the browser's WebCodecs VideoEncoder, muxed by Mediabunny. Each frame's
 * timestamp is its index times the frame duration, never the wall clock, so the file's timing
 * is the plan's. (Unlike the GIF, the encoded bytes are the browser's encoder's: a hardware
 * encoder need not give the same bytes twice.)
 */

export async function createVideoWriter(
  format: AnimationFormat,
  { canvas, plan }: WriterOptions,
): Promise<AnimationWriter> {
  const codec = await codecFor(format, canvas.width, canvas.height);
  const target = new BufferTarget();
  const output = new Output({
    format:
      format === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(),
    target,
  });
  const source = new CanvasSource(canvas, {
    codec,
    // Thin lines and small text blur at lower settings; diagrams are mostly flat, so the files
    // stay small anyway.
    quality: new Quality('high'),
    // A key frame every second, so a player can seek within the file.
    keyFrameInterval: 1,
  });
  output.addVideoTrack(source, { frameRate: plan.fps });
  await output.start();
  let index = 0;
  return {
    async addFrame() {
      await source.add(index / plan.fps, 1 / plan.fps);
      index += 1;
    },
    async finish() {
      await output.finalize();
      if (target.buffer === null) throw new Error('The video file came out empty.');
      return new Uint8Array(target.buffer);
    },
    async discard() {
      if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel();
    },
  };
}

async function codecFor(
  format: AnimationFormat,
  width: number,
  height: number,
): Promise<VideoCodec> {
  const candidates: VideoCodec[] = format === 'mp4' ? ['avc'] : ['vp9', 'vp8'];
  for (const codec of candidates) if (await canEncodeVideo(codec, { width, height })) return codec;
  throw new Error(
    `This browser cannot encode ${format.toUpperCase()} video at ${width}×${height}.`,
  );
}

/**
 * The video formats whose codec the browser's VideoEncoder accepts at `width`×`height`
 * (`VideoEncoder.isConfigSupported`, asked through the muxer library, which also picks the
 * codec string it will use).
 */
export async function videoFormatsOf(width: number, height: number): Promise<AnimationFormat[]> {
  const formats: AnimationFormat[] = [];
  const size = { width, height };
  try {
    if ((await canEncodeVideo('vp9', size)) || (await canEncodeVideo('vp8', size)))
      formats.push('webm');
    if (await canEncodeVideo('avc', size)) formats.push('mp4');
  } catch {
    // A browser that throws while asking cannot be trusted to encode: GIF only.
  }
  return formats;
}
