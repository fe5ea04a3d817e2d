import { useSimStore } from '../state/store.ts';
import { currentCompareUrl } from './currentCompareUrl.ts';

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
        const url = currentCompareUrl();
        if (url !== null) window.location.assign(url);
      }}
    >
      Compare with baseline
    </button>
  );
}
