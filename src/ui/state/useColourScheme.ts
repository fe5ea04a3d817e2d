import { useEffect, useState } from 'react';

/**
 * Whether the system is in dark mode, following changes: for canvases, which read the theme's
 * colours once per scheme rather than on every paint.
 */
export function useColourScheme(): 'light' | 'dark' {
  const [isDark, setIsDark] = useState(() => darkQuery()?.matches === true);
  useEffect(() => {
    const query = darkQuery();
    if (query === null) return;
    const onChange = (): void => {
      setIsDark(query.matches);
    };
    query.addEventListener('change', onChange);
    return () => {
      query.removeEventListener('change', onChange);
    };
  }, []);
  return isDark ? 'dark' : 'light';
}

function darkQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : null;
}
