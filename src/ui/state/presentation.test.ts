// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyPresentation,
  foldedSidesKey,
  storedFolded,
  steppedScale,
  storedTextScale,
  textScaleKey,
  usePresentationStore,
} from './presentation.ts';

afterEach(() => {
  localStorage.clear();
  usePresentationStore.setState({
    isPresenting: false,
    textScale: 1,
    folded: { left: false, right: false },
  });
});

describe('folded side columns', () => {
  it('fold and unfold one at a time and are kept for the next visit', () => {
    usePresentationStore.getState().toggleSide('left');
    expect(usePresentationStore.getState().folded).toEqual({ left: true, right: false });
    expect(storedFolded()).toEqual({ left: true, right: false });
    usePresentationStore.getState().toggleSide('right');
    usePresentationStore.getState().toggleSide('left');
    expect(storedFolded()).toEqual({ left: false, right: true });
  });

  it('read as both open when nothing sensible was saved', () => {
    for (const saved of ['not json', '7', '{"left":"yes"}', 'null']) {
      localStorage.setItem(foldedSidesKey, saved);
      expect(storedFolded()).toEqual({ left: false, right: false });
    }
  });
});

describe('text size', () => {
  it('steps along the offered sizes and stops at both ends', () => {
    expect(steppedScale(1, 1)).toBe(1.15);
    expect(steppedScale(1, -1)).toBe(0.9);
    expect(steppedScale(0.9, -1)).toBe(0.9);
    expect(steppedScale(1.5, 1)).toBe(1.5);
    expect(steppedScale(1.15, 2)).toBe(1.5);
  });

  it('is kept for the next visit, and an odd saved value reads as the default', () => {
    usePresentationStore.getState().stepTextScale(1);
    usePresentationStore.getState().stepTextScale(1);
    expect(usePresentationStore.getState().textScale).toBe(1.3);
    expect(localStorage.getItem(textScaleKey)).toBe('1.3');
    expect(storedTextScale()).toBe(1.3);
    localStorage.setItem(textScaleKey, '7');
    expect(storedTextScale()).toBe(1);
    localStorage.setItem(textScaleKey, 'big');
    expect(storedTextScale()).toBe(1);
  });
});

describe('applyPresentation', () => {
  it('puts the mode and the size on the document element', () => {
    const root = document.createElement('div');
    usePresentationStore.getState().setPresenting(true);
    usePresentationStore.getState().stepTextScale(1);
    applyPresentation(root, usePresentationStore.getState());
    expect(root.classList.contains('is-presenting')).toBe(true);
    expect(root.style.getPropertyValue('--text-scale')).toBe('1.15');
    usePresentationStore.getState().setPresenting(false);
    applyPresentation(root, usePresentationStore.getState());
    expect(root.classList.contains('is-presenting')).toBe(false);
  });
});
