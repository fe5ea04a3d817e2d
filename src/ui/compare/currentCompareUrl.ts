import { useSimStore } from '../state/store.ts';
import { compareUrlFor } from './compareUrl.ts';

/**
 * The compare page for the run on screen (its seed, settings and command log, at the time shown);
 * null before a run is loaded.
 */
export function currentCompareUrl(): string | null {
  const { view, commands, frame } = useSimStore.getState();
  if (view === null) return null;
  const baseUrl = window.location.href.split('#')[0] ?? '';
  return compareUrlFor(baseUrl, { ...view.run, commands }, frame?.timeUs ?? 0);
}
