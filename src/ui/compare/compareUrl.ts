import type { RecordedCommand, RunDescription, Variant } from '../../engine/types.ts';
import { encodeShareLink, shareLinkCharsMax } from '../../worker/shareLink.ts';
import type { SideName } from './protocol.ts';

/*
 * The compare page's address: `#/compare?a=<payload>&b=<payload>`, where each payload is a share
 * link payload (what follows `run=` in a single run's URL). A side's iframe opens
 * `#/?run=<payload>&embed=<side>`: the controller's link parsing reads only the `run=` part, and
 * the `embed` marker tells main.tsx to mount the embedded layout and the bridge.
 */

/** The two runs of a comparison, as share link payloads. */
export interface ComparePayloads {
  readonly a: string;
  readonly b: string;
}

export type ParsedCompare =
  | { readonly ok: true; readonly payloads: ComparePayloads }
  | { readonly ok: false; readonly message: string };

const payloadPattern = /^[A-Za-z0-9_-]+$/;

/** Whether a URL fragment is the compare page (`#/compare`, with or without a query). */
export function isCompareFragment(fragment: string): boolean {
  return /^#?\/compare(?:\?|$)/.test(fragment);
}

/** The side a fragment embeds (`…&embed=a`), or null for an ordinary page. */
export function embeddedSideOf(fragment: string): SideName | null {
  const match = /[?&]embed=(a|b)(?:&|$)/.exec(fragment);
  return match?.[1] === 'a' || match?.[1] === 'b' ? match[1] : null;
}

/** Whether a URL fragment is one side of a comparison, shown inside the compare page. */
export function isEmbedded(fragment: string): boolean {
  return embeddedSideOf(fragment) !== null;
}

/** Reads both runs from a compare fragment; a missing or damaged one gets a clear message. */
export function parseCompareFragment(fragment: string): ParsedCompare {
  const query = fragment.split('?')[1] ?? '';
  const values = new Map<string, string>();
  for (const part of query.split('&')) {
    const at = part.indexOf('=');
    if (at > 0) values.set(part.slice(0, at), part.slice(at + 1));
  }
  const problems: string[] = [];
  for (const side of ['a', 'b'] as const) {
    const payload = values.get(side);
    if (payload === undefined || payload === '') problems.push(`it has no run for side ${side}`);
    else if (payload.length > shareLinkCharsMax)
      problems.push(`side ${side}'s run is longer than ${shareLinkCharsMax} characters`);
    else if (!payloadPattern.test(payload))
      problems.push(`side ${side}'s run has characters a DistSim link never has`);
  }
  const a = values.get('a');
  const b = values.get('b');
  if (problems.length > 0 || a === undefined || b === undefined) {
    return {
      ok: false,
      message: `This comparison link cannot be opened: ${problems.join('; ')}. Open a run and use "Compare with baseline" to make a new one.`,
    };
  }
  return { ok: true, payloads: { a, b } };
}

/** The compare page's fragment for two payloads. */
export function compareFragment(payloads: ComparePayloads): string {
  return `#/compare?a=${payloads.a}&b=${payloads.b}`;
}

/** The address a side's iframe opens. */
export function sideFrameSrc(baseUrl: string, payload: string, side: SideName): string {
  return `${baseUrl}#/?run=${payload}&embed=${side}`;
}

/** The share payload in a fragment or URL (`…run=<payload>…`), or null. */
export function payloadOf(link: string): string | null {
  const match = /(?:^|[?&/#])run=([^&]*)/.exec(link);
  const payload = match?.[1];
  return payload === undefined || payload === '' ? null : payload;
}

/** A run's share payload at a position (a share link without its `run=`). */
export function payloadFor(run: RunDescription, positionUs: number): string {
  return encodeShareLink(run, positionUs).replace(/^run=/, '');
}

/**
 * The compare URL for a run: side a the pattern, side b its baseline, with the same seed and
 * parameters, both at `positionUs`. Side b starts without commands: the baseline often lacks
 * nodes the pattern's commands name (no broker, no ambassadors…), which would make its link
 * invalid; the compare page then rebuilds b with the commands that fit its topology and says
 * which it left out (`CompareCoordinator.alignOnce`).
 */
export function compareUrlFor(baseUrl: string, run: RunDescription, positionUs: number): string {
  const a = payloadFor(asVariant(run, 'pattern'), positionUs);
  const b = payloadFor({ ...asVariant(run, 'baseline'), commands: [] }, positionUs);
  return `${baseUrl}${compareFragment({ a, b })}`;
}

/**
 * The run as `variant`. Commands are recorded after a count of events; another variant runs
 * other events, so its commands keep only their time and apply after every event up to it.
 */
function asVariant(run: RunDescription, variant: Variant): RunDescription {
  return variant === run.variant
    ? run
    : { ...run, variant, commands: commandsByTime(run.commands) };
}

/** The commands without their event counts, so they apply by simulated time alone. */
export function commandsByTime(commands: readonly RecordedCommand[]): RecordedCommand[] {
  return commands.map(({ atUs, command }) => ({ atUs, command }));
}

/** What a page shows: a single run, the compare page, or one side inside it. */
export type PageKind = 'single' | 'compare' | 'embedded';

/** The kind of page a fragment opens. */
export function pageKindOf(fragment: string): PageKind {
  if (isCompareFragment(fragment)) return 'compare';
  return isEmbedded(fragment) ? 'embedded' : 'single';
}
