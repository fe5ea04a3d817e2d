import { describe, expect, it } from 'vitest';
import {
  keyTargetOf,
  shortcutFor,
  shortcutList,
  type KeyInput,
  type ShortcutAction,
  type TargetLike,
} from './shortcuts.ts';

function press(key: string, overrides: Partial<KeyInput> = {}): ShortcutAction | null {
  return shortcutFor({
    key,
    shiftKey: false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    target: 'other',
    isHelpOpen: false,
    ...overrides,
  });
}

describe('shortcutFor', () => {
  it('maps the documented keys', () => {
    expect(press(' ')).toBe('togglePlay');
    expect(press('ArrowRight')).toBe('stepEvent');
    expect(press('ArrowRight', { shiftKey: true })).toBe('stepInteresting');
    expect(press('+', { shiftKey: true })).toBe('faster');
    expect(press('=')).toBe('faster');
    expect(press('-')).toBe('slower');
    expect(press('r')).toBe('reset');
    expect(press('R', { shiftKey: true })).toBe('reset');
    expect(press('l')).toBe('copyLink');
    expect(press('?', { shiftKey: true })).toBe('toggleHelp');
    expect(press('h')).toBe('toggleHelp');
  });

  it('ignores keys typed into fields', () => {
    for (const key of [' ', 'ArrowRight', 'r', 'l', '?', '+', 'Escape']) {
      expect(press(key, { target: 'editable' }), key).toBeNull();
    }
  });

  it('ignores keys with Ctrl, Alt or Meta (browser and system shortcuts)', () => {
    expect(press('r', { ctrlKey: true })).toBeNull();
    expect(press('l', { metaKey: true })).toBeNull();
    expect(press('ArrowRight', { altKey: true })).toBeNull();
    expect(press('+', { ctrlKey: true, shiftKey: true })).toBeNull();
  });

  it('leaves Space to a focused button but still steps with arrows there', () => {
    expect(press(' ', { target: 'activatable' })).toBeNull();
    expect(press('Enter', { target: 'activatable' })).toBeNull();
    expect(press('ArrowRight', { target: 'activatable' })).toBe('stepEvent');
  });

  it('only closes or toggles help while the help is open', () => {
    expect(press('Escape', { isHelpOpen: true })).toBe('closeHelp');
    expect(press('Escape')).toBeNull();
    expect(press('?', { isHelpOpen: true })).toBe('toggleHelp');
    expect(press(' ', { isHelpOpen: true })).toBeNull();
    expect(press('r', { isHelpOpen: true })).toBeNull();
  });

  it('ignores other keys', () => {
    expect(press('x')).toBeNull();
    expect(press('Enter')).toBeNull();
    expect(press('ArrowLeft')).toBeNull();
  });

  it('lists every action in the help table', () => {
    const actions: ShortcutAction[] = [
      'togglePlay',
      'stepEvent',
      'stepInteresting',
      'faster',
      'slower',
      'reset',
      'copyLink',
      'toggleHelp',
      'closeHelp',
      'togglePresenter',
      'nextSlide',
      'previousSlide',
      'exitPresenter',
    ];
    expect(shortcutList.map((shortcut) => shortcut.action).sort()).toEqual([...actions].sort());
  });
});

function element(tagName: string, attributes: Record<string, string> = {}, inside?: string) {
  const target: TargetLike = {
    tagName,
    getAttribute: (name) => attributes[name] ?? null,
    closest: (selectors) => (inside !== undefined && selectors.includes(inside) ? target : null),
  };
  return target;
}

describe('keyTargetOf', () => {
  it('treats fields and widgets with their own keys as editable', () => {
    expect(keyTargetOf(element('INPUT'))).toBe('editable');
    expect(keyTargetOf(element('SELECT'))).toBe('editable');
    expect(keyTargetOf(element('TEXTAREA'))).toBe('editable');
    expect(keyTargetOf(element('DIV', { role: 'slider' }))).toBe('editable');
    expect(keyTargetOf(element('SPAN', {}, '[role="listbox"]'))).toBe('editable');
    expect(keyTargetOf({ ...element('DIV'), isContentEditable: true })).toBe('editable');
  });

  it('treats buttons and links as activatable', () => {
    expect(keyTargetOf(element('BUTTON'))).toBe('activatable');
    expect(keyTargetOf(element('A'))).toBe('activatable');
    expect(keyTargetOf(element('g', { role: 'button' }))).toBe('activatable');
  });

  it('treats the page itself as neither', () => {
    expect(keyTargetOf(null)).toBe('other');
    expect(keyTargetOf(element('BODY'))).toBe('other');
  });
});

describe('presenter mode keys', () => {
  it('P toggles presenter mode, and not while typing or behind the help', () => {
    expect(press('p')).toBe('togglePresenter');
    expect(press('P', { shiftKey: true })).toBe('togglePresenter');
    expect(press('p', { target: 'editable' })).toBeNull();
    expect(press('p', { isHelpOpen: true })).toBeNull();
  });

  it('turns the tour’s steps with the arrows and Page keys only while presenting', () => {
    expect(press('ArrowRight', { isPresenting: true })).toBe('nextSlide');
    expect(press('PageDown', { isPresenting: true })).toBe('nextSlide');
    expect(press('ArrowLeft', { isPresenting: true })).toBe('previousSlide');
    expect(press('PageUp', { isPresenting: true })).toBe('previousSlide');
    expect(press('ArrowRight')).toBe('stepEvent');
    expect(press('PageDown')).toBeNull();
    expect(press(' ', { isPresenting: true })).toBe('togglePlay');
  });

  it('Escape leaves presenter mode, but closes the help first', () => {
    expect(press('Escape', { isPresenting: true })).toBe('exitPresenter');
    expect(press('Escape', { isPresenting: true, isHelpOpen: true })).toBe('closeHelp');
    expect(press('Escape')).toBeNull();
  });
});
