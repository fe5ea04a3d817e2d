import { drawView, type SerializedView } from '../controls/viewExport.ts';
import { createWriter, type AnimationFormat, type AnimationWriter } from './encoders.ts';
import { secondsText, type FramePlan } from './framePlan.ts';

/*
 * Takes an animation frame by frame at simulated times: for each time of the plan, seek the run
 * there (the timeline's seek), wait until the page shows that frame, draw the picture the SVG
 * and PNG downloads draw onto one canvas at the chosen size, and hand it to the encoder. Nothing
 * here looks at the wall clock, so two exports of one run are the same frames. Afterwards (also
 * after a cancel or a failure) the run goes back to where it was, playing if it was.
 */

/** What the export needs from the page; the app's is in pageHost.ts, tests pass fakes. */
export interface AnimationHost {
  /** Where the page's run is now and whether it plays; null without a run. */
  position(): { readonly timeUs: number; readonly isPlaying: boolean } | null;
  /** Seeks the run as the timeline does; resolves once the frame at `timeUs` has arrived. */
  seek(timeUs: number): Promise<void>;
  /** The simulated time of the frame the page holds now. */
  shownTimeUs(): number | null;
  /** Resolves once the page has drawn what it holds (React has committed it). */
  afterRender(): Promise<void>;
  /** The topology as shown now, as the standalone picture of the frame at `timeUs`. */
  picture(timeUs: number): SerializedView | null;
  pause(): void;
  play(): void;
}

/** How a frame gets drawn and encoded: the page's drawing and encoders unless a test says. */
export interface AnimationTools {
  draw(view: SerializedView, canvas: HTMLCanvasElement): Promise<void>;
  createWriter(
    format: AnimationFormat,
    options: { readonly canvas: HTMLCanvasElement; readonly plan: FramePlan },
  ): Promise<AnimationWriter>;
  createCanvas(): HTMLCanvasElement;
}

export interface AnimationRequest {
  readonly plan: FramePlan;
  /** Width of the file's frames in pixels; the height keeps the picture's proportions. */
  readonly width: number;
  readonly format: AnimationFormat;
}

export interface AnimationResult {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

/** Thrown when the export was cancelled: nothing is kept. */
export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled.');
    this.name = 'ExportCancelled';
  }
}

const defaultTools: AnimationTools = {
  draw: drawView,
  createWriter,
  createCanvas: () => document.createElement('canvas'),
};

export async function exportAnimation(
  request: AnimationRequest,
  host: AnimationHost,
  options: {
    readonly signal: AbortSignal;
    readonly onProgress: (done: number, total: number) => void;
    readonly tools?: AnimationTools;
  },
): Promise<AnimationResult> {
  const { plan, width, format } = request;
  const { signal, onProgress } = options;
  const tools = options.tools ?? defaultTools;
  const start = host.position();
  if (start === null) throw new Error('There is no run to export.');
  if (start.isPlaying) host.pause();
  const canvas = tools.createCanvas();
  // Made at the first frame, once the canvas has its size.
  let writer: AnimationWriter | null = null;
  let pictureSize: { readonly width: number; readonly height: number } | null = null;
  const total = plan.timesUs.length;
  try {
    onProgress(0, total);
    for (const [index, timeUs] of plan.timesUs.entries()) {
      stopIfCancelled(signal);
      await host.seek(timeUs);
      if (host.shownTimeUs() !== timeUs)
        throw new Error(`The run could not be shown at ${secondsText(timeUs)}.`);
      await host.afterRender();
      const view = host.picture(timeUs);
      if (view === null) throw new Error('There is no topology on screen to draw.');
      if (pictureSize === null) {
        pictureSize = { width: view.width, height: view.height };
        canvas.width = width;
        canvas.height = evenHeight((view.height * width) / view.width);
      } else if (view.width !== pictureSize.width || view.height !== pictureSize.height) {
        throw new Error('The view changed size during the export; keep the window as it is.');
      }
      await tools.draw(view, canvas);
      stopIfCancelled(signal);
      writer ??= await tools.createWriter(format, { canvas, plan });
      await writer.addFrame();
      onProgress(index + 1, total);
    }
    if (writer === null) throw new Error('The window holds no frames.');
    const bytes = await writer.finish();
    return { bytes, width: canvas.width, height: canvas.height };
  } catch (error) {
    await writer?.discard().catch(() => undefined);
    throw error;
  } finally {
    // The canvas's pixels go with it; the run goes back to where the person left it.
    canvas.width = 0;
    canvas.height = 0;
    await host.seek(start.timeUs);
    if (start.isPlaying) host.play();
  }
}

/** Checked before and after each slow step, so a cancel takes effect within one frame. */
function stopIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ExportCancelled();
}

/** A whole, even number of pixels (video encoders need even sides), at least 2. */
function evenHeight(height: number): number {
  return Math.max(2, 2 * Math.round(height / 2));
}
