import { useEffect, useEffectEvent } from 'react';
import { usePresentationStore } from '../state/presentation.ts';
import { useHelpStore } from './helpStore.ts';
import { keyTargetOf, shortcutFor, type ShortcutAction } from './shortcuts.ts';

export type ShortcutHandlers = Readonly<Record<ShortcutAction, () => void>>;

/** Actions that make sense to repeat while a key is held down. */
const repeatable = new Set<ShortcutAction>([
  'stepEvent',
  'stepInteresting',
  'faster',
  'slower',
  'nextSlide',
  'previousSlide',
]);

/**
 * Listens for the page's keyboard shortcuts (see `shortcutList`) on the window. Keys typed into
 * fields, keys with Ctrl, Alt or Meta, and Space or Enter on a focused button are left alone.
 */
export function useKeyboardShortcuts(handlers: ShortcutHandlers): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target instanceof Element ? event.target : null;
    const action = shortcutFor({
      key: event.key,
      shiftKey: event.shiftKey,
      ctrlKey: event.ctrlKey,
      altKey: event.altKey,
      metaKey: event.metaKey,
      target: keyTargetOf(target),
      isHelpOpen: useHelpStore.getState().isOpen,
      isPresenting: usePresentationStore.getState().isPresenting,
    });
    if (action === null) return;
    event.preventDefault();
    if (event.repeat && !repeatable.has(action)) return;
    handlers[action]();
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      onKeyDown(event);
    };
    window.addEventListener('keydown', listener);
    return () => {
      window.removeEventListener('keydown', listener);
    };
  }, []);
}
