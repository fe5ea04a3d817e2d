import { useEffect, useState } from 'react';

/** Where app.css lays the page out in three columns (at 1000 px and below it stacks them). */
export const threeColumnQuery = '(min-width: 1001px)';

/**
 * Whether a CSS media query matches, following changes; `fallback` where the browser (or jsdom)
 * has no matchMedia.
 */
export function useMediaQuery(query: string, fallback: boolean): boolean {
  const [matches, setMatches] = useState(() => listFor(query)?.matches ?? fallback);
  useEffect(() => {
    const list = listFor(query);
    if (list === null) return;
    const onChange = (): void => {
      setMatches(list.matches);
    };
    onChange();
    list.addEventListener('change', onChange);
    return () => {
      list.removeEventListener('change', onChange);
    };
  }, [query]);
  return matches;
}

function listFor(query: string): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(query) : null;
}
