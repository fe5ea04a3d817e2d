import { useMediaQuery } from './useMediaQuery.ts';

/**
 * Whether the system is in dark mode, following changes: for canvases, which read the theme's
 * colours once per scheme rather than on every paint.
 */
export function useColourScheme(): 'light' | 'dark' {
  return useMediaQuery('(prefers-color-scheme: dark)', false) ? 'dark' : 'light';
}
