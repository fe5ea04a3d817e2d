import { describe, expect, it } from 'vitest';
import type { Moment, RunDescription } from '../engine/types.ts';
import { parseEmbedFragment } from './params.ts';
import {
  componentSnippet,
  embedAddresses,
  iframeSnippet,
  runEmbedUrl,
  slideLinksText,
  slidesMarkdown,
  slidesOf,
} from './share.ts';

const appUrl = 'https://example.org/tools/distsim/#/leader-election?run=old';
const run: RunDescription = {
  scenarioId: 'leader-election',
  scenarioVersion: 1,
  seed: 4,
  variant: 'pattern',
  params: {},
  commands: [],
};
const moments: readonly Moment[] = [
  { timeUs: 4_000_000, eventCount: 90, kind: 'leader-lost', text: 'n1 crashed', nodes: [] },
  { timeUs: 500_000, eventCount: 10, kind: 'leader-elected', text: 'n2 leads', nodes: [] },
];
const specs = [
  { id: 'leader-elected', label: 'Leader elected' },
  { id: 'leader-lost', label: 'Leader lost' },
];

describe('share links for the embed', () => {
  it('puts the embed page and the script next to the app', () => {
    expect(embedAddresses(appUrl)).toEqual({
      page: 'https://example.org/tools/distsim/embed.html',
      script: 'https://example.org/tools/distsim/distsim-run.js',
    });
    expect(embedAddresses('http://127.0.0.1:4310/index.html#x').page).toBe(
      'http://127.0.0.1:4310/embed.html',
    );
  });

  it('makes an embed URL the embed reads back as the same window', () => {
    const url = runEmbedUrl(appUrl, run, {
      fromUs: 1_000_000,
      toUs: 3_000_000,
      loop: true,
      speed: 2,
      caption: 'Election',
    });
    expect(
      url.startsWith('https://example.org/tools/distsim/embed.html#/leader-election?run='),
    ).toBe(true);
    const parsed = parseEmbedFragment(new URL(url).hash);
    expect(parsed.ok && parsed.options).toMatchObject({
      fromUs: 1_000_000,
      toUs: 3_000_000,
      loop: true,
      speed: 2,
      caption: 'Election',
    });
  });

  it('writes snippets whose attributes cannot be broken out of', () => {
    const url = 'https://example.org/embed.html#/x?run=a&caption=%22';
    const title = 'A "quoted" <b>title</b> & more';
    expect(iframeSnippet(url, title)).toBe(
      '<iframe src="https://example.org/embed.html#/x?run=a&amp;caption=%22" title="A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt; &amp; more" width="100%" height="420" loading="lazy" style="border: 0"></iframe>',
    );
    expect(componentSnippet(appUrl, url, 'Run').split('\n')).toEqual([
      '<script type="module" src="https://example.org/tools/distsim/distsim-run.js"></script>',
      '<distsim-run src="https://example.org/embed.html#/x?run=a&amp;caption=%22" title="Run"></distsim-run>',
    ]);
  });
});

describe('slides of moments', () => {
  it('makes one looping embed per moment, in time order, around it, captioned with its label', () => {
    const slides = slidesOf(appUrl, run, moments, specs, 0.5);
    expect(slides.map((slide) => slide.label)).toEqual(['Leader elected', 'Leader lost']);
    const windows = slides.map((slide) => {
      const parsed = parseEmbedFragment(new URL(slide.url).hash);
      if (!parsed.ok) throw new Error(parsed.problems.join(' '));
      return parsed.options;
    });
    expect(
      windows.map(({ fromUs, toUs, loop, speed, caption }) => ({
        fromUs,
        toUs,
        loop,
        speed,
        caption,
      })),
    ).toEqual([
      { fromUs: 0, toUs: 2_500_000, loop: true, speed: 0.5, caption: 'Leader elected' },
      { fromUs: 3_000_000, toUs: 6_000_000, loop: true, speed: 0.5, caption: 'Leader lost' },
    ]);
    expect(slideLinksText(slides).split('\n')).toEqual(slides.map((slide) => slide.url));
  });

  it('writes them as a Markdown file with a section per slide', () => {
    const slides = slidesOf(appUrl, run, moments, specs, null);
    const lines = slidesMarkdown('Leader election', slides).split('\n');
    expect(lines[0]).toBe('# Leader election: moments');
    expect(lines).toContain('## 1. Leader elected (t = 0.5 s)');
    expect(lines).toContain('## 2. Leader lost (t = 4 s)');
    expect(lines).toContain('n1 crashed');
    expect(lines).toContain(`<${slides[1]?.url ?? ''}>`);
  });
});
