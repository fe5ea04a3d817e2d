/**
 * The playback speed control works on a log scale: equal slider moves multiply the speed by the
 * same factor, so 0.01× and 1000× are both reachable and 1× sits at a sensible spot. The slider
 * holds whole positions (100 per decade) so keyboard arrows move it in even steps.
 */

/** Slowest playback, as a multiple of real time. */
export const speedMin = 0.01;
/** Fastest playback, as a multiple of real time. */
export const speedMax = 1000;
/** Slider positions per factor of ten. */
export const sliderStepsPerDecade = 100;
/** The slider's range: log10(0.01) = -2 to log10(1000) = 3, in positions. */
export const sliderMin = 0;
export const sliderMax = 5 * sliderStepsPerDecade;

const decadeOffset = -2;

/** Keeps a speed inside the supported range (and turns NaN into 1×). */
export function clampSpeed(speed: number): number {
  if (Number.isNaN(speed)) return 1;
  return Math.min(speedMax, Math.max(speedMin, speed));
}

/** Rounds a speed to two significant digits so the label reads "2×", not "1.995×". */
export function roundSpeed(speed: number): number {
  const clamped = clampSpeed(speed);
  const digits = Math.max(0, 1 - Math.floor(Math.log10(clamped)));
  return clampSpeed(Number(clamped.toFixed(digits)));
}

/** The slider position for a speed. */
export function speedToSlider(speed: number): number {
  const decades = Math.log10(clampSpeed(speed)) - decadeOffset;
  return Math.round(decades * sliderStepsPerDecade);
}

/** The speed at a slider position. */
export function sliderToSpeed(position: number): number {
  const bounded = Math.min(sliderMax, Math.max(sliderMin, position));
  return roundSpeed(10 ** (bounded / sliderStepsPerDecade + decadeOffset));
}

/** "2×", "0.1×", "0.25×", "1000×". */
export function formatSpeed(speed: number): string {
  return `${String(roundSpeed(speed))}×`;
}

/** The next speed up for the + shortcut. */
export function fasterSpeed(speed: number): number {
  return roundSpeed(speed * 2);
}

/** The next speed down for the − shortcut. */
export function slowerSpeed(speed: number): number {
  return roundSpeed(speed / 2);
}
