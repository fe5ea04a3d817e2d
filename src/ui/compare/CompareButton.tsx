import { useSimStore } from '../state/store.ts';
import { compareUrlFor } from './compareUrl.ts';

/**
 * "Compare with baseline": opens the compare page for the current run (same seed, parameters
 * and command log; side a the pattern, side b the baseline), at the current time.
 */
export function CompareButton() {
  const hasRun = useSimStore((state) => state.view !== null);
  return (
    <button
      type="button"
      disabled={!hasRun}
      title="Run the pattern and its baseline side by side on the same seed and faults"
      onClick={() => {
        const { view, commands, frame } = useSimStore.getState();
        if (view === null) return;
        const baseUrl = window.location.href.split('#')[0] ?? '';
        window.location.assign(
          compareUrlFor(baseUrl, { ...view.run, commands }, frame?.timeUs ?? 0),
        );
      }}
    >
      Compare with baseline
    </button>
  );
}
