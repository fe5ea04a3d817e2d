import { describe, expect, it } from 'vitest';
import {
  followingView,
  formatSpan,
  panView,
  spanDefaultUs,
  spanMaxFor,
  spanMinUs,
  viewAround,
  windowAt,
  windowKeyCommand,
  zoomView,
} from './viewWindow.ts';

describe('windowAt', () => {
  it('follows the time shown by default', () => {
    expect(windowAt(followingView, 10_000_000)).toEqual({ startUs: 7_000_000, endUs: 10_000_000 });
    expect(windowAt(followingView, 12_500_000)).toEqual({
      startUs: 9_500_000,
      endUs: 12_500_000,
    });
  });

  it('starts at 0 early in a run, with now inside the window', () => {
    expect(windowAt(followingView, 1_000_000)).toEqual({ startUs: 0, endUs: spanDefaultUs });
  });

  it('keeps a pinned end, but never past now (after a seek back)', () => {
    const pinned = { spanUs: 2_000_000, pinnedEndUs: 8_000_000 };
    expect(windowAt(pinned, 10_000_000)).toEqual({ startUs: 6_000_000, endUs: 8_000_000 });
    expect(windowAt(pinned, 5_000_000)).toEqual({ startUs: 3_000_000, endUs: 5_000_000 });
  });
});

describe('viewAround', () => {
  it('shows the stretch whole with 15% room on each side, pinned', () => {
    expect(viewAround(1_000_000, 1_200_000, 10_000_000)).toEqual({
      spanUs: 260_000,
      pinnedEndUs: 1_230_000,
    });
  });

  it('is never narrower than the narrowest span, nor wider than the widest', () => {
    const instant = viewAround(2_000_000, 2_000_000, 10_000_000);
    expect(instant.spanUs).toBe(spanMinUs);
    // An instant sits in the middle of the window; a stretch too long for it shows its end.
    expect(windowAt(instant, 5_000_000)).toEqual({
      startUs: 2_000_000 - spanMinUs / 2,
      endUs: 2_000_000 + spanMinUs / 2,
    });
    expect(viewAround(0, 60_000_000, 20_000_000)).toEqual({
      spanUs: 20_000_000,
      pinnedEndUs: 60_000_000,
    });
  });
});

describe('zoomView', () => {
  it('zooms a following window around now, and it keeps following', () => {
    const zoomed = zoomView(followingView, 0.5, 10_000_000, 20_000_000);
    expect(zoomed).toEqual({ spanUs: 1_500_000, pinnedEndUs: null });
  });

  it('stays between 10 ms and the whole kept history', () => {
    const narrow = zoomView({ spanUs: 15_000, pinnedEndUs: null }, 0.5, 10_000_000, 9_000_000);
    expect(narrow.spanUs).toBe(spanMinUs);
    const wide = zoomView(followingView, 8, 10_000_000, 9_000_000);
    expect(wide.spanUs).toBe(9_000_000);
    expect(spanMaxFor(1_000_000, 10_000_000)).toBe(9_000_000);
    expect(spanMaxFor(0, 1_000_000)).toBe(spanDefaultUs);
  });

  it('keeps the anchor time where it is on screen when the window is pinned', () => {
    const pinned = { spanUs: 2_000_000, pinnedEndUs: 6_000_000 };
    // The anchor at 5.5 s sits 3/4 of the way across [4 s, 6 s], and after halving still does,
    // across [4.75 s, 5.75 s].
    const zoomed = zoomView(pinned, 0.5, 10_000_000, 20_000_000, 5_500_000);
    expect(zoomed).toEqual({ spanUs: 1_000_000, pinnedEndUs: 5_750_000 });
    const window = windowAt(zoomed, 10_000_000);
    expect((5_500_000 - window.startUs) / (window.endUs - window.startUs)).toBeCloseTo(0.75, 9);
  });
});

describe('panView', () => {
  it('pins the window when moved back and follows again when moved up to now', () => {
    const back = panView(followingView, -1_000_000, 10_000_000, 0);
    expect(back).toEqual({ spanUs: spanDefaultUs, pinnedEndUs: 9_000_000 });
    expect(panView(back, 500_000, 10_000_000, 0)).toEqual({
      spanUs: spanDefaultUs,
      pinnedEndUs: 9_500_000,
    });
    expect(panView(back, 2_000_000, 10_000_000, 0).pinnedEndUs).toBeNull();
  });

  it('does not move past the start of the kept history', () => {
    const back = panView(followingView, -50_000_000, 10_000_000, 2_000_000);
    expect(windowAt(back, 10_000_000)).toEqual({ startUs: 2_000_000, endUs: 5_000_000 });
  });
});

describe('formatSpan', () => {
  it('says spans in seconds or milliseconds', () => {
    expect(formatSpan(3_000_000)).toBe('3 s');
    expect(formatSpan(1_500_000)).toBe('1.5 s');
    expect(formatSpan(375_000)).toBe('375 ms');
    expect(formatSpan(10_000)).toBe('10 ms');
  });
});

describe('windowKeyCommand', () => {
  it('zooms and returns to now with + − End, and pans with the arrows only while paused', () => {
    expect(['+', '=', '-', '−', 'End'].map((key) => windowKeyCommand(key, true))).toEqual([
      'zoom-in',
      'zoom-in',
      'zoom-out',
      'zoom-out',
      'follow',
    ]);
    expect(windowKeyCommand('ArrowLeft', false)).toBe('pan-back');
    expect(windowKeyCommand('ArrowRight', false)).toBe('pan-forward');
    expect(windowKeyCommand('ArrowRight', true)).toBeNull();
    expect(windowKeyCommand('a', false)).toBeNull();
  });
});
