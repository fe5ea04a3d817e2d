import { describe, expect, it } from 'vitest';
import { captionCharsMax, embedUrl, parseEmbedFragment } from './params.ts';

const run = '#/leader-election?run=AbC-_9';

describe('parseEmbedFragment', () => {
  it('reads the window and options, and keeps the run part as a share link', () => {
    const parsed = parseEmbedFragment(
      `${run}&from=1.5&to=4&loop=1&speed=0.5&caption=Two%20leaders`,
    );
    expect(parsed).toEqual({
      ok: true,
      options: {
        runFragment: run,
        fromUs: 1_500_000,
        toUs: 4_000_000,
        loop: true,
        speed: 0.5,
        caption: 'Two leaders',
      },
    });
  });

  it('leaves out what the link does not say', () => {
    const parsed = parseEmbedFragment(run);
    expect(parsed).toEqual({
      ok: true,
      options: {
        runFragment: run,
        fromUs: null,
        toUs: null,
        loop: false,
        speed: null,
        caption: '',
      },
    });
  });

  it('says what is wrong with each bad option, in words, and keeps the run', () => {
    const parsed = parseEmbedFragment(`${run}&from=soon&to=-2&speed=0&loop=maybe`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      '"from" must be a time in seconds, 0 or more (e.g. from=2.5); got "soon".',
      '"to" must be a time in seconds, 0 or more (e.g. to=2.5); got "-2".',
      '"loop" must be 1 or 0; got "maybe".',
      '"speed" must be a number from 0.01 to 1000 (e.g. speed=0.5); got "0".',
    ]);
    expect(parsed.runFragment).toBe(run);
  });

  it('refuses a window that ends before it starts', () => {
    const parsed = parseEmbedFragment(`${run}&from=5&to=3`);
    expect(parsed).toEqual({
      ok: false,
      problems: ['"to" (3 s) must be later than "from" (5 s).'],
      runFragment: run,
    });
  });

  it('cuts a long caption', () => {
    const parsed = parseEmbedFragment(`${run}&caption=${'a'.repeat(500)}`);
    expect(parsed.ok && parsed.options.caption.length).toBe(captionCharsMax);
  });
});

describe('embedUrl', () => {
  it('writes what parseEmbedFragment reads back', () => {
    const url = embedUrl('https://example.org/distsim/embed.html', run, {
      fromUs: 2_500_000,
      toUs: 7_000_000,
      loop: true,
      speed: 0.25,
      caption: 'Breaker opens & closes',
    });
    expect(url).toBe(
      'https://example.org/distsim/embed.html#/leader-election?run=AbC-_9&from=2.5&to=7&loop=1&speed=0.25&caption=Breaker+opens+%26+closes',
    );
    const parsed = parseEmbedFragment(new URL(url).hash);
    expect(parsed).toEqual({
      ok: true,
      options: {
        runFragment: run,
        fromUs: 2_500_000,
        toUs: 7_000_000,
        loop: true,
        speed: 0.25,
        caption: 'Breaker opens & closes',
      },
    });
  });

  it('adds nothing for options left out', () => {
    const span = { fromUs: null, toUs: null, loop: false, speed: null, caption: ' ' };
    expect(embedUrl('e.html', run, span)).toBe(`e.html${run}`);
  });
});
