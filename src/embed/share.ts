import type { Moment, MomentSpec, RunDescription } from '../engine/types.ts';
import { fragmentFor } from '../ui/state/controller.ts';
import { embedUrl, formatSeconds, type EmbedWindow } from './params.ts';

/*
 * What the app's Share dialog hands out: embed URLs, the two snippets that frame one, and slide
 * links (one embed per moment). Pure functions of the run, so the dialog only renders them.
 */

/** A slide's window around its moment: a second before it, two after. */
export const slideLeadUs = 1_000_000;
export const slideTailUs = 2_000_000;
/** Height of a framed embed when the page says none (the web component's default too). */
export const snippetHeightPx = 420;

/** The embed page and the web component's script, next to the app's index.html. */
export function embedAddresses(appUrl: string): { readonly page: string; readonly script: string } {
  const base = appUrl.split('#')[0] ?? appUrl;
  return {
    page: new URL('embed.html', base).href,
    script: new URL('distsim-run.js', base).href,
  };
}

/** The embed URL of a run's window; the run's position is the window's start. */
export function runEmbedUrl(appUrl: string, run: RunDescription, span: EmbedWindow): string {
  return embedUrl(embedAddresses(appUrl).page, fragmentFor(run, span.fromUs ?? 0), span);
}

/** Text for an HTML attribute value in double quotes. */
function attribute(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** Markup that frames the embed: `title` names the frame for screen readers. */
export function iframeSnippet(url: string, title: string): string {
  return `<iframe src="${attribute(url)}" title="${attribute(title)}" width="100%" height="${String(snippetHeightPx)}" loading="lazy" style="border: 0"></iframe>`;
}

/** Markup for pages that prefer the web component: its script, then the element. */
export function componentSnippet(appUrl: string, url: string, title: string): string {
  const { script } = embedAddresses(appUrl);
  return [
    `<script type="module" src="${attribute(script)}"></script>`,
    `<distsim-run src="${attribute(url)}" title="${attribute(title)}"></distsim-run>`,
  ].join('\n');
}

/** One slide: a moment and the embed URL that plays around it. */
export interface Slide {
  readonly label: string;
  readonly text: string;
  readonly timeUs: number;
  readonly url: string;
}

/** A slide per picked moment, in time order, captioned with the moment's label. */
export function slidesOf(
  appUrl: string,
  run: RunDescription,
  moments: readonly Moment[],
  specs: readonly MomentSpec[],
  speed: number | null,
): Slide[] {
  const labels = new Map(specs.map((spec) => [spec.id, spec.label]));
  return [...moments]
    .sort((left, right) => left.timeUs - right.timeUs)
    .map((moment) => {
      const label = labels.get(moment.kind) ?? moment.kind;
      const url = runEmbedUrl(appUrl, run, {
        fromUs: Math.max(0, moment.timeUs - slideLeadUs),
        toUs: moment.timeUs + slideTailUs,
        loop: true,
        speed,
        caption: label,
      });
      return { label, text: moment.text, timeUs: moment.timeUs, url };
    });
}

/** The slide links as the clipboard gets them: one URL a line. */
export function slideLinksText(slides: readonly Slide[]): string {
  return slides.map((slide) => slide.url).join('\n');
}

/** A small Markdown file: a heading, then each slide's label, time, sentence and link. */
export function slidesMarkdown(title: string, slides: readonly Slide[]): string {
  const lines = [`# ${title}: moments`, ''];
  slides.forEach((slide, index) => {
    lines.push(`## ${String(index + 1)}. ${slide.label} (t = ${formatSeconds(slide.timeUs)} s)`);
    lines.push('', slide.text, '', `<${slide.url}>`, '');
  });
  return lines.join('\n');
}
