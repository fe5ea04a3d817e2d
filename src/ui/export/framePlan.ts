/*
 * Which simulated times an animation shows: frame i is taken at from + i / fps seconds, in
 * whole microseconds (integer arithmetic, so a plan is the same on every machine), for every
 * such time before the window's end. Checked input only: a plan that cannot be made says why.
 */

const microsecondsPerSecond = 1_000_000;

/** Frame rates the dialog offers. */
export const frameRates = [5, 10, 15, 25] as const;

/** Picture widths the dialog offers, in pixels. */
export const frameWidths = [640, 960, 1280] as const;

/** Most frames one export may take: beyond this a GIF gets too large to keep in memory. */
export const framesMax = 600;

/** The window around now the dialog starts with, each side of now. */
export const defaultHalfWindowUs = 2 * microsecondsPerSecond;
const tenthUs = microsecondsPerSecond / 10;

export interface FramePlanRequest {
  readonly fromUs: number;
  readonly toUs: number;
  readonly fps: number;
  /** The furthest time the run has reached: a window may not go past it. */
  readonly runEndUs: number;
}

export interface FramePlan {
  /** The simulated time of each frame, in µs, increasing. */
  readonly timesUs: readonly number[];
  readonly fps: number;
  /** How long each frame shows, in milliseconds (rounded; GIF keeps hundredths of a second). */
  readonly frameMs: number;
}

export type FramePlanResult =
  | { readonly ok: true; readonly plan: FramePlan }
  | { readonly ok: false; readonly problem: string };

/** The frame times for a window, or why there are none. */
export function planFrames(request: FramePlanRequest): FramePlanResult {
  const { fromUs, toUs, fps, runEndUs } = request;
  const fail = (problem: string): FramePlanResult => ({ ok: false, problem });
  if (!Number.isSafeInteger(fps) || fps < 1 || fps > 60)
    return fail('The frame rate must be a whole number of frames per second from 1 to 60.');
  if (!Number.isSafeInteger(fromUs) || !Number.isSafeInteger(toUs))
    return fail('The window’s start and end must be times in the run.');
  if (fromUs < 0) return fail('The window cannot start before the run does (0 s).');
  if (toUs <= fromUs) return fail('The window must end after it starts.');
  if (toUs > runEndUs)
    return fail(
      `The window must end by ${secondsText(runEndUs)}, as far as the run has gone; play further first.`,
    );
  // Frames at from + i/fps strictly before `to`: the count is ceil((to - from) · fps / 1 s).
  const count = Math.ceil(((toUs - fromUs) * fps) / microsecondsPerSecond);
  if (count > framesMax)
    return fail(
      `That is ${count} frames; an export takes at most ${framesMax}. Choose a shorter window or a lower frame rate.`,
    );
  const timesUs: number[] = [];
  for (let i = 0; i < count; i++)
    timesUs.push(fromUs + Math.floor((i * microsecondsPerSecond) / fps));
  return { ok: true, plan: { timesUs, fps, frameMs: Math.round(1000 / fps) } };
}

/** The window the dialog proposes: a few seconds around now, inside what the run has reached. */
export function defaultWindow(nowUs: number, runEndUs: number): { fromUs: number; toUs: number } {
  const end = Math.max(runEndUs, nowUs);
  // On tenths of a second, so the fields read "2.3" rather than "2.30545".
  const fromUs = Math.max(0, Math.floor((nowUs - defaultHalfWindowUs) / tenthUs) * tenthUs);
  const toUs = Math.min(end, Math.ceil((nowUs + defaultHalfWindowUs) / tenthUs) * tenthUs);
  return { fromUs, toUs };
}

/** A time as seconds with up to three decimals, for messages and the dialog's fields. */
export function secondsText(timeUs: number): string {
  return `${usToSeconds(timeUs)} s`;
}

/** µs as a decimal number of seconds, e.g. 4200000 → "4.2" (no floating-point rounding). */
export function usToSeconds(timeUs: number): string {
  const whole = Math.floor(timeUs / microsecondsPerSecond);
  const fraction = String(timeUs % microsecondsPerSecond)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** Seconds as typed ("4.2", "4,2") to whole µs, or null when it is not a time. */
export function secondsToUs(text: string): number | null {
  const match = /^\s*(\d{1,7})(?:[.,](\d{0,6}))?\s*$/.exec(text);
  if (match === null) return null;
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return Number(match[1]) * microsecondsPerSecond + Number(fraction);
}
