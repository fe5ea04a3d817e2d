/** Formatting shared by the toolbar and the panels. */

const microsecondsPerSecond = 1_000_000;

/**
 * Simulated time as the toolbar shows it: "t = 2.456 s". Milliseconds are truncated, not
 * rounded, so the display never runs ahead of the simulation.
 */
export function formatSimTime(timeUs: number): string {
  const safeUs = Number.isFinite(timeUs) && timeUs > 0 ? Math.floor(timeUs) : 0;
  const seconds = Math.floor(safeUs / microsecondsPerSecond);
  const milliseconds = Math.floor((safeUs % microsecondsPerSecond) / 1000);
  return `t = ${seconds}.${String(milliseconds).padStart(3, '0')} s`;
}

/** Spells a range for a parameter: "10–5000 ms". */
export function formatBounds(min: number, max: number, unit: string): string {
  const range = `${String(min)}–${String(max)}`;
  return unit === '' ? range : `${range} ${unit}`;
}
