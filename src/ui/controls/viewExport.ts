import { inFlightStride, type Frame } from '../../worker/protocol.ts';
import { linkWidthFor, pairKey, type Pair } from '../topology/linkLayer.ts';
import { drawnMessagesMax, fallbackColour } from '../topology/messageLayer.ts';
import { pointOnLink, progressAt } from '../topology/messageMath.ts';

/*
 * The topology as a standalone picture: the view's <svg> written out with the styles it shows
 * put into each element (outside the page its classes and theme variables mean nothing),
 * a background, the links, which the page paints on a canvas under the SVG, and the messages in
 * flight at the frame's time, which the page draws on a canvas above it. A PNG is that SVG drawn onto a canvas: no request leaves the page.
 */

const svgNamespace = 'http://www.w3.org/2000/svg';
/** Message dot size and lane offset, as the animation draws them. */
const messageDotRadiusPx = 5;
const messageLanePx = 3;
/** Largest PNG side in device pixels (a canvas past about 16k pixels fails to draw). */
const pngSidePxMax = 8_192;

/** Presentation properties copied from the page's computed styles into the picture. */
const inlinedProperties = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'paint-order',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/** The topology view's <svg> on the page, if it is drawn. */
export function findTopologySvg(root: ParentNode = document): SVGSVGElement | null {
  return root.querySelector<SVGSVGElement>('section.topology svg.topology-svg');
}

/** The links the page's link canvas paints (see `paintLinks`). */
export interface PictureLinks {
  readonly pairs: readonly Pair[];
  /** Cut pairs (by `pairKey`), drawn dashed. */
  readonly cut: ReadonlySet<number>;
  /** A pair the SVG itself draws (the selected link when it is cut). */
  readonly omitted: number | null;
}

/** What the picture shows besides the SVG itself. */
export interface ViewPicture {
  /** The links under the SVG (none when absent). */
  readonly links?: PictureLinks;
  /** The frame whose messages in flight are drawn (null draws none). */
  readonly frame: Frame | null;
  /** Message colours by type (the scenario's view hints). */
  readonly messageColours: Readonly<Record<string, string>>;
  /** A title for the picture, e.g. the scenario and time. */
  readonly title: string;
  /**
   * A heading band above the topology (the pattern, then seed, time and run fingerprint), so
   * a picture pasted into slides or a design review says what it shows and how to replay it.
   */
  readonly heading?: { readonly title: string; readonly detail: string };
  /** A legend band under the topology: what each message colour means. */
  readonly legend?: readonly LegendEntry[];
}

/** One entry of the picture's legend: a message type's dot, or the duplicate or drop mark. */
export interface LegendEntry {
  readonly label: string;
  readonly mark: 'dot' | 'ring' | 'cross';
  readonly colour: string;
}

/** Heights of the heading and of one legend row, and the picture's side margin, in CSS px. */
const headingPx = 50;
const legendRowPx = 22;
const marginPx = 12;
/** Average advance of a 12 px legend character (rounded up), to wrap the legend's rows. */
const legendCharPx = 7;

/** The picture as standalone SVG text, with its size in CSS pixels. */
export interface SerializedView {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Serialises the topology `svg` as it looks now into a standalone SVG document. The text is
 * written directly from the live elements rather than from a clone: a cloned `style` attribute
 * (React sets node fills that way) is inline style the page's Content Security Policy refuses.
 */
export function serializeTopology(svg: SVGSVGElement, picture: ViewPicture): SerializedView {
  const width = Number(svg.getAttribute('width')) || svg.clientWidth;
  const stageHeight = Number(svg.getAttribute('height')) || svg.clientHeight;
  const top = picture.heading === undefined ? 0 : headingPx;
  const legendRows = legendLayout(picture.legend ?? [], width);
  const legendHeight = legendRows.length === 0 ? 0 : legendRows.length * legendRowPx + marginPx;
  const height = top + stageHeight + legendHeight;
  const size = { width: String(width), height: String(height) };
  const ink = inkOf(svg);
  const parts = [
    openTag('svg', { xmlns: svgNamespace, viewBox: `0 0 ${width} ${height}`, ...size }),
    `<title>${escapeXml(picture.title)}</title>`,
    openTag('rect', { ...size, fill: backgroundOf(svg) }, true),
    headingBand(picture.heading, ink),
    openTag('g', { class: 'topology-stage', transform: `translate(0,${top})` }),
    linkLines(svg, picture.links),
  ];
  for (const child of svg.children) serializeElement(child, parts);
  parts.push(messageDots(svg, picture), '</g>');
  parts.push(legendBand(legendRows, top + stageHeight, ink), '</svg>\n');
  return { svg: parts.join(''), width, height };
}

interface Ink {
  readonly text: string;
  readonly muted: string;
  readonly font: string;
}

/** The theme's text colours and font, read from the page, for the bands around the topology. */
function inkOf(svg: SVGSVGElement): Ink {
  const style = svg.ownerDocument.defaultView?.getComputedStyle(svg);
  return {
    text: style?.getPropertyValue('--text').trim() || '#1c1c1e',
    muted: style?.getPropertyValue('--text-muted').trim() || '#55585e',
    font: style?.getPropertyValue('font-family').trim() || 'system-ui, sans-serif',
  };
}

function headingBand(heading: ViewPicture['heading'], ink: Ink): string {
  if (heading === undefined) return '';
  const text = (y: number, size: number, weight: string, colour: string, words: string) =>
    `${openTag('text', { x: String(marginPx), y: String(y), 'font-size': String(size), 'font-weight': weight, 'font-family': ink.font, fill: colour })}${escapeXml(words)}</text>`;
  return (
    openTag('g', { class: 'picture-heading' }) +
    text(22, 16, '700', ink.text, heading.title) +
    text(41, 12, '400', ink.muted, heading.detail) +
    '</g>'
  );
}

interface PlacedEntry {
  readonly entry: LegendEntry;
  readonly x: number;
}

/** The legend's entries in rows that fit the picture's width. */
function legendLayout(entries: readonly LegendEntry[], width: number): PlacedEntry[][] {
  const rows: PlacedEntry[][] = [];
  let row: PlacedEntry[] = [];
  let x = marginPx;
  for (const entry of entries) {
    const entryWidth = 16 + entry.label.length * legendCharPx + 14;
    if (row.length > 0 && x + entryWidth > width - marginPx) {
      rows.push(row);
      row = [];
      x = marginPx;
    }
    row.push({ entry, x });
    x += entryWidth;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function legendBand(rows: readonly (readonly PlacedEntry[])[], top: number, ink: Ink): string {
  if (rows.length === 0) return '';
  const parts = [
    openTag('g', { class: 'picture-legend', 'font-family': ink.font, 'font-size': '12' }),
  ];
  rows.forEach((row, index) => {
    const y = top + marginPx / 2 + index * legendRowPx + legendRowPx / 2;
    for (const { entry, x } of row) {
      const cx = String(x + 5);
      const cy = num(y);
      if (entry.mark === 'cross') {
        parts.push(
          `${openTag('text', { x: String(x), y: num(y + 4), fill: entry.colour, 'font-weight': '700' })}×</text>`,
        );
      } else {
        const isRing = entry.mark === 'ring';
        parts.push(
          openTag(
            'circle',
            {
              cx,
              cy,
              r: '5',
              fill: isRing ? 'none' : entry.colour,
              stroke: isRing ? entry.colour : 'none',
              'stroke-width': '2',
            },
            true,
          ),
        );
      }
      parts.push(
        `${openTag('text', { x: String(x + 16), y: num(y + 4), fill: ink.text })}${escapeXml(entry.label)}</text>`,
      );
    }
  });
  parts.push('</g>');
  return parts.join('');
}

/**
 * The page's legend as the picture's: each message type seen with its colour, then the marks
 * for a duplicate and a drop (read from the legend the topology shows, open or closed).
 */
export function legendEntriesOf(root: ParentNode = document): LegendEntry[] {
  const entries: LegendEntry[] = [];
  for (const item of root.querySelectorAll('.topology-legend li')) {
    if (item.classList.contains('muted')) continue;
    const label = item.textContent.replace('×', '').trim();
    const dot = item.querySelector('.legend-dot');
    const cross = item.querySelector('.legend-cross');
    const view = item.ownerDocument.defaultView;
    if (dot !== null) {
      const style = view?.getComputedStyle(dot);
      const isRing = dot.classList.contains('legend-duplicate');
      const colour = isRing
        ? style?.borderTopColor || '#55585e'
        : style?.backgroundColor || fallbackColour;
      entries.push({ label, mark: isRing ? 'ring' : 'dot', colour });
    } else if (cross !== null) {
      const colour = view?.getComputedStyle(cross).color || '#b91c1c';
      entries.push({ label, mark: 'cross', colour });
    }
  }
  return entries;
}

/**
 * Appends `element` and its subtree as SVG text: its own attributes except the live page's
 * (focus, roles, descriptions, inline style) plus its computed presentation as SVG presentation
 * attributes, so it looks the same without the page's stylesheets and theme variables.
 */
function serializeElement(element: Element, parts: string[]): void {
  const attributes: Record<string, string> = {};
  for (const name of element.getAttributeNames()) {
    if (isLivePageAttribute(name)) continue;
    attributes[name] = element.getAttribute(name) ?? '';
  }
  const computed = element.ownerDocument.defaultView?.getComputedStyle(element);
  for (const property of inlinedProperties) {
    const value = computed?.getPropertyValue(property) ?? '';
    if (value !== '') attributes[property] = value;
  }
  parts.push(openTag(element.localName, attributes));
  for (const child of element.childNodes) {
    if (child instanceof Element) serializeElement(child, parts);
    else if (child.nodeType === child.TEXT_NODE) parts.push(escapeXml(child.textContent ?? ''));
  }
  parts.push(`</${element.localName}>`);
}

function isLivePageAttribute(name: string): boolean {
  return (
    name === 'style' ||
    name === 'tabindex' ||
    name === 'role' ||
    (name.startsWith('aria-') && name !== 'aria-label')
  );
}

function openTag(name: string, attributes: Readonly<Record<string, string>>, isEmpty = false) {
  const text = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  return `<${name}${text}${isEmpty ? '/>' : '>'}`;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The colour behind the topology (the section's background; white when it has none). */
function backgroundOf(svg: SVGSVGElement): string {
  const section = svg.closest('section');
  const view = svg.ownerDocument.defaultView;
  const colour =
    section === null || view === null ? '' : view.getComputedStyle(section).backgroundColor;
  return colour === '' || colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent'
    ? '#ffffff'
    : colour;
}

/** Lines for the links, as the link canvas paints them: plain ones, then cut ones dashed. */
function linkLines(svg: SVGSVGElement, links: PictureLinks | undefined): string {
  if (links === undefined) return '';
  const centres = nodeCentres(svg);
  const style = svg.ownerDocument.defaultView?.getComputedStyle(svg);
  const plain: string[] = [];
  const cut: string[] = [];
  for (const [a, b] of links.pairs) {
    const from = centres.get(a);
    const to = centres.get(b);
    const key = pairKey(a, b);
    if (from === undefined || to === undefined || key === links.omitted) continue;
    const line = openTag(
      'line',
      { x1: num(from.x), y1: num(from.y), x2: num(to.x), y2: num(to.y) },
      true,
    );
    (links.cut.has(key) ? cut : plain).push(line);
  }
  const width = String(linkWidthFor(links.pairs.length));
  const border = style?.getPropertyValue('--border').trim() || '#d5d7db';
  const bad = style?.getPropertyValue('--bad').trim() || '#b91c1c';
  return (
    `${openTag('g', { class: 'topology-link-strokes', stroke: border, 'stroke-width': width })}${plain.join('')}</g>` +
    `${openTag('g', { class: 'topology-link-strokes is-cut', stroke: bad, 'stroke-width': width, 'stroke-dasharray': '4 5', opacity: '0.7' })}${cut.join('')}</g>`
  );
}

/** A coordinate with at most two decimals. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Dots for the messages in flight at the frame's time, placed as the animation places them. */
function messageDots(svg: SVGSVGElement, picture: ViewPicture): string {
  const dots: string[] = [];
  const frame = picture.frame;
  const centres = nodeCentres(svg);
  const point = { x: 0, y: 0 };
  const count =
    frame === null ? 0 : Math.min(frame.inFlight.length / inFlightStride, drawnMessagesMax);
  for (let i = 0; frame !== null && i < count; i++) {
    const at = i * inFlightStride;
    const from = centres.get(frame.inFlight[at + 1] as number);
    const to = centres.get(frame.inFlight[at + 2] as number);
    if (from === undefined || to === undefined) continue;
    const sentUs = frame.inFlight[at + 3] as number;
    const dueUs = frame.inFlight[at + 4] as number;
    const progress = progressAt(sentUs, dueUs, frame.timeUs);
    pointOnLink(from.x, from.y, to.x, to.y, progress, from.radius, messageLanePx, point);
    const type = frame.inFlightTypes[i] ?? '';
    const attributes = {
      cx: point.x.toFixed(1),
      cy: point.y.toFixed(1),
      r: String(messageDotRadiusPx),
      fill: picture.messageColours[type] ?? fallbackColour,
    };
    dots.push(openTag('circle', attributes, true));
  }
  return `<g class="messages-in-flight">${dots.join('')}</g>`;
}

interface NodeCentre {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
}

/** Node centres by index, read from the glyphs' `translate(x,y)`, and their drawn radius. */
function nodeCentres(svg: SVGSVGElement): Map<number, NodeCentre> {
  const centres = new Map<number, NodeCentre>();
  for (const glyph of svg.querySelectorAll('[data-node-index]')) {
    const match = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(
      glyph.getAttribute('transform') ?? '',
    );
    if (match === null) continue;
    const body = glyph.querySelector('.node-backing');
    const radius = body === null ? 0 : body.getBoundingClientRect().width / 2;
    centres.set(Number(glyph.getAttribute('data-node-index')), {
      x: Number(match[1]),
      y: Number(match[2]),
      radius,
    });
  }
  return centres;
}

/**
 * Draws a serialised view onto a canvas at `scale` device pixels per CSS pixel and encodes it
 * as PNG.
 */
export async function viewToPng(view: SerializedView, scale: number): Promise<Blob> {
  const side = Math.max(view.width, view.height, 1);
  const factor = Math.min(scale, pngSidePxMax / side);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(view.width * factor));
  canvas.height = Math.max(1, Math.round(view.height * factor));
  await drawView(view, canvas);
  return await new Promise<Blob>((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob === null) reject(new Error('The browser could not encode the PNG.'));
      else resolve(blob);
    }, 'image/png');
  });
}

/**
 * Draws a serialised view over the whole of `canvas`, stretched to its size (the PNG and every
 * frame of an animation are drawn here, so they look alike). The SVG is loaded from a blob URL
 * (allowed by the page's `img-src blob:`).
 */
export async function drawView(view: SerializedView, canvas: HTMLCanvasElement): Promise<void> {
  const url = URL.createObjectURL(new Blob([view.svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('This browser cannot draw on a canvas.');
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** How long an object URL given to a download stays valid (the download starts well before). */
const downloadUrlLifeMs = 30_000;

/** Saves `blob` as a file named `fileName` through a temporary `<a download>`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, downloadUrlLifeMs);
}
