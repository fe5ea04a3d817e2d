import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import type { RunDescription } from '../engine/types.ts';
import { upgradeFrom } from '../scenarios/earlierVersions.ts';
import type { ScenarioCatalogue } from './runs.ts';
import { type CheckedRunRequest, parseRunRequest } from './schema.ts';

/*
 * Share links: the whole run (scenario, seed, variant, params, command log, playback position)
 * as versioned JSON, deflated (fflate: small, fast, synchronous, well kept) and base64url-encoded
 * in the URL fragment, so it never reaches a server. Decoding treats the link as untrusted.
 */

/** Format version of the payload; bump on any change an older app could misread. */
export const shareLinkVersion = 1;
/** Longest fragment accepted (browsers and chat apps cut long URLs; this also bounds work). */
export const shareLinkCharsMax = 200_000;
/** Largest inflated payload accepted (a decompression bomb stops here). */
export const shareLinkBytesMax = 2_000_000;

/** A run and where playback stood. */
export interface SharedRun {
  /** Checked once here; the host loads it as it is. */
  readonly request: CheckedRunRequest;
  readonly positionUs: number;
}

/** Why a link could not be used as it was, and what was loaded instead. */
export interface LinkProblem {
  readonly code:
    | 'too-long'
    | 'not-base64'
    | 'corrupt'
    | 'not-json'
    | 'bad-version'
    | 'invalid'
    | 'unknown-scenario'
    | 'version-mismatch';
  readonly message: string;
}

export type DecodedLink =
  | { readonly ok: true; readonly shared: SharedRun; readonly notes: readonly string[] }
  | { readonly ok: false; readonly problem: LinkProblem };

/** Encodes a run as the fragment payload (no leading `#`). */
export function encodeShareLink(run: RunDescription, positionUs: number): string {
  const payload = {
    v: shareLinkVersion,
    scenarioId: run.scenarioId,
    scenarioVersion: run.scenarioVersion,
    seed: run.seed,
    variant: run.variant,
    params: run.params,
    commands: run.commands,
    positionUs: Math.max(0, Math.round(positionUs)),
  };
  const bytes = deflateSync(strToU8(JSON.stringify(payload)), { level: 9 });
  return `run=${toBase64Url(bytes)}`;
}

/**
 * Decodes a share link (a full URL, a fragment with or without `#`, or the bare payload),
 * clamping parameters to the scenario's bounds. Never throws.
 */
export function decodeShareLink(link: string, catalogue: ScenarioCatalogue): DecodedLink {
  const fail = (code: LinkProblem['code'], message: string): DecodedLink => ({
    ok: false,
    problem: { code, message },
  });
  const payload = extractPayload(link);
  if (payload.length > shareLinkCharsMax) {
    return fail(
      'too-long',
      `The link is ${payload.length} characters long; at most ${shareLinkCharsMax} are accepted.`,
    );
  }
  const bytes = fromBase64Url(payload);
  if (bytes === null)
    return fail(
      'not-base64',
      'The link is damaged: it contains characters a DistSim link never has.',
    );
  const inflated = inflateCapped(bytes, shareLinkBytesMax);
  if (inflated === 'too-big')
    return fail('too-long', 'The link unpacks to more data than a run can have.');
  if (inflated === null)
    return fail('corrupt', 'The link is damaged or cut short: it could not be unpacked.');
  const text = strFromU8(inflated);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('not-json', 'The link is damaged: its contents are not readable.');
  }
  if (typeof data !== 'object' || data === null) return fail('invalid', 'The link holds no run.');
  const { v: version, positionUs, ...rest } = data as Record<string, unknown>;
  if (version !== shareLinkVersion) {
    const found =
      version === undefined ? 'no format version' : `format version ${JSON.stringify(version)}`;
    return fail(
      'bad-version',
      `The link has ${found}; this app reads version ${shareLinkVersion}.`,
    );
  }
  const parsed = parseRunRequest(rest);
  if (!parsed.ok)
    return fail('invalid', `The link's run is invalid: ${parsed.problems.join('; ')}.`);
  const scenario = catalogue.get(parsed.value.scenarioId);
  if (scenario === undefined) {
    return fail(
      'unknown-scenario',
      `The link is for a scenario this app does not have ("${parsed.value.scenarioId}").`,
    );
  }
  const notes: string[] = [];
  let recorded = parsed.value;
  if (recorded.scenarioVersion !== undefined && recorded.scenarioVersion !== scenario.version) {
    // An earlier version the current one still plays exactly opens as that run, with a note.
    const upgrade = upgradeFrom(scenario, recorded.scenarioVersion, recorded.params);
    if (upgrade === null) {
      return fail(
        'version-mismatch',
        `The link was made with version ${recorded.scenarioVersion} of ${scenario.title}; this app has version ${scenario.version}, which may play it differently.`,
      );
    }
    notes.push(upgrade.note);
    recorded = { ...recorded, scenarioVersion: scenario.version, params: upgrade.params };
  }
  const params: Record<string, number> = {};
  for (const [key, value] of Object.entries(recorded.params)) {
    // Own keys only: "toString" and the like are unknown parameters, not inherited functions.
    const spec = Object.hasOwn(scenario.params, key) ? scenario.params[key] : undefined;
    if (spec === undefined) {
      notes.push(`Ignored unknown parameter "${key}".`);
      continue;
    }
    const clamped = Math.min(spec.max, Math.max(spec.min, value));
    if (clamped !== value)
      notes.push(`${spec.label} was ${value}; set to ${clamped}, the nearest allowed value.`);
    params[key] = clamped;
  }
  const position =
    typeof positionUs === 'number' && Number.isFinite(positionUs) && positionUs >= 0
      ? positionUs
      : 0;
  return {
    ok: true,
    shared: { request: { ...recorded, params }, positionUs: position },
    notes,
  };
}

/** Inflates in chunks and gives up past `bytesMax`, so a decompression bomb costs nothing. */
function inflateCapped(bytes: Uint8Array, bytesMax: number): Uint8Array | 'too-big' | null {
  const chunks: Uint8Array[] = [];
  const progress = { total: 0, isTooBig: false, isDone: false };
  const inflater = new Inflate((chunk, isFinal) => {
    progress.total += chunk.length;
    if (progress.total > bytesMax) progress.isTooBig = true;
    else chunks.push(chunk);
    if (isFinal) progress.isDone = true;
  });
  try {
    const step = 16_384;
    for (let at = 0; at < bytes.length && !progress.isTooBig; at += step) {
      inflater.push(bytes.subarray(at, at + step), at + step >= bytes.length);
    }
  } catch {
    return null;
  }
  if (progress.isTooBig) return 'too-big';
  if (!progress.isDone) return null;
  const total = progress.total;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function extractPayload(link: string): string {
  const trimmed = link.trim();
  const hash = trimmed.indexOf('#');
  const fragment = hash >= 0 ? trimmed.slice(hash + 1) : trimmed;
  const match = /(?:^|[?&/])run=([^&]*)/.exec(fragment);
  return match?.[1] ?? fragment;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const lookup = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;

/** Base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += alphabet.charAt((n >> 18) & 63) + alphabet.charAt((n >> 12) & 63);
    if (b !== undefined) out += alphabet.charAt((n >> 6) & 63);
    if (c !== undefined) out += alphabet.charAt(n & 63);
  }
  return out;
}

/** Decodes base64url (padding tolerated); null when a character is not in the alphabet. */
export function fromBase64Url(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const digit = code < 128 ? (lookup[code] as number) : -1;
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
