/*
 * The embed's address: `embed.html#/<scenario>?run=<payload>&from=2&to=6&loop=1&speed=0.5&caption=…`.
 * The run part is an ordinary share link (the worker decodes it, as the app does); the rest says
 * which stretch of the run to show and how. Times are seconds of simulated time, as a person
 * would write them; everything inside is microseconds, as in the engine.
 */

const microsecondsPerSecond = 1_000_000;
/** Longest caption shown; a longer one is cut (a caption is a line, not a page). */
export const captionCharsMax = 160;
/** Playback speeds the app's speed control offers (toolbar `setSpeed` clamps to these too). */
export const speedMin = 0.01;
export const speedMax = 1000;

/** What the embed shows: a window of a run, looped or not, at a speed, under a caption. */
export interface EmbedOptions {
  /** The share-link part of the fragment, `#/<scenario>?run=…`, for the worker's `openLink`. */
  readonly runFragment: string;
  /** Where playback starts (and restarts); null: where the link's position says. */
  readonly fromUs: number | null;
  /** Where playback stops or loops; null: it plays on. */
  readonly toUs: number | null;
  readonly loop: boolean;
  /** Playback speed; null: the scenario's own default. */
  readonly speed: number | null;
  readonly caption: string;
}

export type ParsedEmbed =
  | { readonly ok: true; readonly options: EmbedOptions }
  /** `runFragment` still names the run, so the notice can offer it in the app. */
  | { readonly ok: false; readonly problems: readonly string[]; readonly runFragment: string };

/** The embed parameters a link may carry besides the run; others are the run's business. */
const embedKeys = new Set(['from', 'to', 'loop', 'speed', 'caption']);

/**
 * Reads the embed's fragment. A bad `from`, `to`, `speed` or `loop` is a problem in words (the
 * page shows it instead of a blank frame); the run itself is checked by the worker later.
 */
export function parseEmbedFragment(fragment: string): ParsedEmbed {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const query = text.indexOf('?');
  const path = query >= 0 ? text.slice(0, query) : text;
  const search = new URLSearchParams(query >= 0 ? text.slice(query + 1) : '');
  const problems: string[] = [];
  const fromUs = readSeconds(search, 'from', problems);
  const toUs = readSeconds(search, 'to', problems);
  if (fromUs !== null && toUs !== null && toUs <= fromUs) {
    problems.push(
      `"to" (${formatSeconds(toUs)} s) must be later than "from" (${formatSeconds(fromUs)} s).`,
    );
  }
  const loop = readFlag(search, 'loop', problems);
  const speed = readSpeed(search, problems);
  // The run part keeps every parameter that is not the embed's, in order: the worker finds
  // `run=` wherever it is.
  const runParams = [...search.entries()].filter(([key]) => !embedKeys.has(key));
  const runQuery = new URLSearchParams(runParams).toString();
  const runFragment = `#${path}${runQuery === '' ? '' : `?${runQuery}`}`;
  if (problems.length > 0) return { ok: false, problems, runFragment };
  return {
    ok: true,
    options: {
      runFragment,
      fromUs,
      toUs,
      loop,
      speed,
      caption: (search.get('caption') ?? '').trim().slice(0, captionCharsMax),
    },
  };
}

function readSeconds(search: URLSearchParams, key: string, problems: string[]): number | null {
  const raw = search.get(key);
  if (raw === null || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    problems.push(`"${key}" must be a time in seconds, 0 or more (e.g. ${key}=2.5); got "${raw}".`);
    return null;
  }
  return Math.round(seconds * microsecondsPerSecond);
}

function readFlag(search: URLSearchParams, key: string, problems: string[]): boolean {
  const raw = search.get(key);
  if (raw === null || raw === '1' || raw === 'true' || raw === '') return raw !== null;
  if (raw === '0' || raw === 'false') return false;
  problems.push(`"${key}" must be 1 or 0; got "${raw}".`);
  return false;
}

function readSpeed(search: URLSearchParams, problems: string[]): number | null {
  const raw = search.get('speed');
  if (raw === null || raw.trim() === '') return null;
  const speed = Number(raw);
  if (!Number.isFinite(speed) || speed < speedMin || speed > speedMax) {
    problems.push(
      `"speed" must be a number from ${String(speedMin)} to ${String(speedMax)} (e.g. speed=0.5); got "${raw}".`,
    );
    return null;
  }
  return speed;
}

/** Seconds for a URL or a message: no trailing zeros, at most microsecond precision. */
export function formatSeconds(timeUs: number): string {
  return String(Math.round(timeUs) / microsecondsPerSecond);
}

/** The window and options an embed URL carries besides the run. */
export interface EmbedWindow {
  readonly fromUs: number | null;
  readonly toUs: number | null;
  readonly loop: boolean;
  readonly speed: number | null;
  readonly caption: string;
}

/**
 * An embed URL: `embedBase` is the embed page's address (`…/embed.html`), `runFragment` the share
 * link's fragment (`#/<scenario>?run=…`). The inverse of `parseEmbedFragment`.
 */
export function embedUrl(embedBase: string, runFragment: string, span: EmbedWindow): string {
  const extra = new URLSearchParams();
  if (span.fromUs !== null) extra.set('from', formatSeconds(span.fromUs));
  if (span.toUs !== null) extra.set('to', formatSeconds(span.toUs));
  if (span.loop) extra.set('loop', '1');
  if (span.speed !== null) extra.set('speed', String(span.speed));
  const caption = span.caption.trim().slice(0, captionCharsMax);
  if (caption !== '') extra.set('caption', caption);
  const fragment = runFragment.startsWith('#') ? runFragment : `#${runFragment}`;
  const joiner = fragment.includes('?') ? '&' : '?';
  const tail = extra.toString();
  return `${embedBase}${fragment}${tail === '' ? '' : `${joiner}${tail}`}`;
}
