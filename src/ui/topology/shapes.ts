import type { RoleHint } from '../../scenarios/viewHints.ts';

/** Node outlines and colour helpers for the topology view (pure, no DOM). */

export type NodeShape = RoleHint['shape'];

/**
 * An SVG path for `shape` centred on the origin with "radius" `radius`. Squares, hexagons and
 * diamonds are sized so that they look about as heavy as a circle of that radius.
 */
export function shapePath(shape: NodeShape, radius: number): string {
  switch (shape) {
    case 'circle':
      return `M${-radius},0a${radius},${radius} 0 1,0 ${2 * radius},0a${radius},${radius} 0 1,0 ${-2 * radius},0Z`;
    case 'square': {
      const half = round(radius * 0.9);
      return `M${-half},${-half}H${half}V${half}H${-half}Z`;
    }
    case 'hexagon':
      return polygon(6, radius * 1.05, 0);
    case 'diamond':
      return polygon(4, radius * 1.2, -Math.PI / 2);
    default: {
      const unknown: never = shape;
      throw new Error(`Unknown node shape ${String(unknown)}.`);
    }
  }
}

function polygon(sides: number, radius: number, startAngle: number): string {
  const points: string[] = [];
  for (let side = 0; side < sides; side++) {
    const angle = startAngle + (2 * Math.PI * side) / sides;
    points.push(`${round(radius * Math.cos(angle))},${round(radius * Math.sin(angle))}`);
  }
  return `M${points.join('L')}Z`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Relative luminance (WCAG 2) of a `#rgb` or `#rrggbb` colour, or null for other notations. */
export function relativeLuminance(colour: string): number | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  const hex = match?.[1];
  if (hex === undefined) return null;
  const full = hex.length === 3 ? hex.replace(/./g, '$&$&') : hex;
  const channel = (offset: number): number => {
    const value = parseInt(full.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** Near-black and white text colours for text drawn on a node's fill. */
export const darkInk = '#111111';
export const lightInk = '#ffffff';

/**
 * The text colour (near-black or white) with the higher contrast on `fill`. Fills come from
 * scenario view hints, so the choice is made per colour rather than per theme.
 */
export function inkOn(fill: string): string {
  const luminance = relativeLuminance(fill);
  if (luminance === null) return darkInk;
  const darkLuminance = relativeLuminance(darkInk) ?? 0;
  const onDark = (luminance + 0.05) / (darkLuminance + 0.05);
  const onLight = 1.05 / (luminance + 0.05);
  return onDark >= onLight ? darkInk : lightInk;
}

/** Caption lines longer than this are cut with an ellipsis (the full text is in the title). */
export const captionCharsMax = 34;

export function clipped(text: string, charsMax: number = captionCharsMax): string {
  if (text.length <= charsMax) return text;
  // Cut at a word boundary and drop a dangling separator, so every visible word is a whole word
  // of the node's accessible name (axe's label-content-name-mismatch rule).
  const cut = text.slice(0, Math.max(1, charsMax - 2));
  const space = cut.lastIndexOf(' ');
  const words = (space > 0 ? cut.slice(0, space) : cut).replace(/[\s·,:]+$/u, '');
  return `${words} …`;
}

/** The size of the ids inside glyphs: one per view (from the shared radius), never below 10 px. */
export function glyphFontPx(radius: number): number {
  return Math.round(Math.max(glyphFontMinPx, Math.min(15, radius * 0.6)) * 2) / 2;
}

const glyphFontMinPx = 10;

/** How many characters of an id fit across a glyph at that size (bold sans: ~0.66 em each). */
export function glyphCharsFor(radius: number, fontPx: number): number {
  return Math.max(1, Math.floor((radius * 1.8) / (fontPx * 0.66)));
}

/**
 * An id as it fits inside its glyph: whole when it fits; else its words' initials with a trailing
 * number kept ("client-1" → "c1", "event-store" → "es", "read-model-12" → "rm12"); else the first
 * three letters of a single word ("dependency" → "dep"), as people shorten names on a whiteboard.
 */
export function glyphLabel(id: string, charsMax: number): string {
  if (id.length <= charsMax) return id;
  const { words, number } = partsOf(id);
  const initials = words.map((word) => word[0] ?? '').join('') + number;
  if ((words.length > 1 || number !== '') && initials.length <= charsMax) return initials;
  return id.slice(0, Math.max(1, Math.min(3, charsMax)));
}

/**
 * Every node's glyph label (`glyphLabel`), none shared by two nodes where it can be helped:
 * ids that shorten alike ("app-1" and "amb-1" both "a1") keep more of their first word
 * ("ap1", "am1") until they differ or the glyph is full.
 */
export function glyphLabels(ids: readonly string[], charsMax: number): string[] {
  const labels = ids.map((id) => glyphLabel(id, charsMax));
  for (let kept = 2; kept <= charsMax; kept++) {
    const counts = new Map<string, number>();
    for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    let changes = 0;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] ?? '';
      const id = ids[i] ?? '';
      if ((counts.get(label) ?? 0) < 2 || label === id) continue;
      const longer = keepingMore(id, kept);
      if (longer.length <= charsMax && longer !== label) {
        labels[i] = longer;
        changes++;
      }
    }
    if (changes === 0 && kept > 2) break;
  }
  return labels;
}

/** An id shortened keeping `kept` letters of its first word, the other words' initials and its number. */
function keepingMore(id: string, kept: number): string {
  const { words, number } = partsOf(id);
  const [first = '', ...rest] = words;
  return first.slice(0, kept) + rest.map((word) => word[0] ?? '').join('') + number;
}

/** An id's words (split at - _ . and spaces) and its trailing number ("read-model-12"). */
function partsOf(id: string): { readonly words: readonly string[]; readonly number: string } {
  const number = /\d+$/u.exec(id)?.[0] ?? '';
  const words = id
    .slice(0, id.length - number.length)
    .split(/[-_.\s]+/u)
    .filter((word) => word !== '');
  return { words, number };
}
