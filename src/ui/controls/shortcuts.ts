/**
 * Keyboard shortcuts as data: one table drives both the key handler and the help overlay, so
 * the overlay can never list a key that does nothing (or miss one that does something).
 */

export type ShortcutAction =
  | 'togglePlay'
  | 'stepEvent'
  | 'stepInteresting'
  | 'faster'
  | 'slower'
  | 'reset'
  | 'copyLink'
  | 'toggleHelp'
  | 'closeHelp'
  | 'togglePresenter'
  | 'nextSlide'
  | 'previousSlide'
  | 'exitPresenter';

export interface ShortcutDescription {
  readonly action: ShortcutAction;
  /** Keys as the help overlay prints them. */
  readonly keys: readonly string[];
  readonly description: string;
}

export const shortcutList: readonly ShortcutDescription[] = [
  { action: 'togglePlay', keys: ['Space'], description: 'Play or pause' },
  { action: 'stepEvent', keys: ['→'], description: 'Step one event (pauses)' },
  { action: 'stepInteresting', keys: ['Shift', '→'], description: 'Next interesting event' },
  { action: 'faster', keys: ['+'], description: 'Double the speed' },
  { action: 'slower', keys: ['−'], description: 'Halve the speed' },
  { action: 'reset', keys: ['R'], description: 'Reset the run (same seed, faults kept)' },
  { action: 'copyLink', keys: ['L'], description: 'Copy a link to this run' },
  { action: 'toggleHelp', keys: ['?'], description: 'Show or hide this help (also H)' },
  { action: 'closeHelp', keys: ['Esc'], description: 'Close this help' },
  { action: 'togglePresenter', keys: ['P'], description: 'Presenter mode on or off' },
  {
    action: 'nextSlide',
    keys: ['→'],
    description: 'In presenter mode: the tour’s next step (also Page Down)',
  },
  {
    action: 'previousSlide',
    keys: ['←'],
    description: 'In presenter mode: the tour’s previous step (also Page Up)',
  },
  { action: 'exitPresenter', keys: ['Esc'], description: 'Leave presenter mode' },
];

/** Where the key was pressed, as far as shortcuts care. */
export type KeyTarget =
  /** A text field, select or other control that uses letters and arrows itself. */
  | 'editable'
  /** A button or link: Space and Enter belong to it. */
  | 'activatable'
  | 'other';

/** The parts of a keydown that decide the shortcut (a plain object, so tests need no DOM). */
export interface KeyInput {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly target: KeyTarget;
  readonly isHelpOpen: boolean;
  /** Presenter mode: the arrows turn the tour's steps instead of stepping the run. */
  readonly isPresenting?: boolean;
}

/** The action a key press asks for, or null when the page should handle the key itself. */
export function shortcutFor(input: KeyInput): ShortcutAction | null {
  if (input.ctrlKey || input.altKey || input.metaKey) return null;
  if (input.target === 'editable') return null;
  const key = input.key;
  const isPresenting = input.isPresenting === true;
  if (key === 'Escape') {
    if (input.isHelpOpen) return 'closeHelp';
    return isPresenting ? 'exitPresenter' : null;
  }
  if (key === '?' || key === 'h' || key === 'H') return 'toggleHelp';
  // Behind an open modal dialog nothing else may act on the run.
  if (input.isHelpOpen) return null;
  if (key === 'p' || key === 'P') return 'togglePresenter';
  if (isPresenting) {
    if (key === 'ArrowRight' || key === 'PageDown') return 'nextSlide';
    if (key === 'ArrowLeft' || key === 'PageUp') return 'previousSlide';
  }
  if (key === ' ' || key === 'Spacebar') {
    return input.target === 'activatable' ? null : 'togglePlay';
  }
  if (key === 'ArrowRight') return input.shiftKey ? 'stepInteresting' : 'stepEvent';
  if (key === '+' || key === '=') return 'faster';
  if (key === '-' || key === '_' || key === '−') return 'slower';
  if (key === 'r' || key === 'R') return 'reset';
  if (key === 'l' || key === 'L') return 'copyLink';
  return null;
}

/** Roles whose widgets use arrows, letters or Space themselves. */
const editableRoles = new Set([
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'slider',
  'spinbutton',
  'grid',
  'tree',
  'menu',
  'menubar',
  'radiogroup',
  'tablist',
]);

/** Roles that Space or Enter activates. */
const activatableRoles = new Set([
  'button',
  'link',
  'checkbox',
  'switch',
  'radio',
  'tab',
  'option',
  'menuitem',
  'treeitem',
]);

/** The DOM facts `keyTargetOf` reads; a subset of Element, so tests can pass plain objects. */
export interface TargetLike {
  readonly tagName: string;
  readonly isContentEditable?: boolean;
  getAttribute(name: string): string | null;
  closest(selectors: string): TargetLike | null;
}

/** Classifies the focused element for `shortcutFor`. */
export function keyTargetOf(element: TargetLike | null): KeyTarget {
  if (element === null) return 'other';
  const tag = element.tagName.toLowerCase();
  if (tag === 'input' || tag === 'select' || tag === 'textarea') return 'editable';
  if (element.isContentEditable === true) return 'editable';
  const role = element.getAttribute('role');
  if (role !== null && editableRoles.has(role)) return 'editable';
  if (element.closest('[role="slider"],[role="listbox"],[role="grid"],[role="menu"]') !== null) {
    return 'editable';
  }
  if (tag === 'button' || tag === 'a' || tag === 'summary') return 'activatable';
  if (role !== null && activatableRoles.has(role)) return 'activatable';
  return 'other';
}
