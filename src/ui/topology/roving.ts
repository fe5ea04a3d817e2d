import type { KeyboardEvent } from 'react';

/** The index an arrow, Home or End key moves to among `count` items, or null for other keys. */
export function siblingIndex(key: string, at: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (at + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (at - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * Roving focus inside one SVG group: moves focus to the sibling carrying `attribute` = the next
 * index (arrows wrap around; Home and End go to the ends). Returns whether the key was used; a
 * used key goes no further, so page-wide shortcuts (arrow right steps the run) do not fire too.
 */
export function focusSibling(
  event: KeyboardEvent<SVGGElement>,
  at: number,
  count: number,
  attribute: string,
): boolean {
  const next = siblingIndex(event.key, at, count);
  if (next === null) return false;
  event.preventDefault();
  event.stopPropagation();
  const group = event.currentTarget.parentElement;
  const target = group?.querySelector<SVGGElement>(`[${attribute}="${next}"]`);
  target?.focus();
  return true;
}
