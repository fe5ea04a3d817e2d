import { type Side, usePresentationStore } from '../state/presentation.ts';

const names: Readonly<Record<Side, string>> = {
  left: 'scenarios and tour',
  right: 'panels',
};

/**
 * Folds a side column of the three-column page to a narrow rail, or unfolds it, so the topology
 * can take the width (a 1280×720 screen, a projector); the choice is kept for the next visit.
 * The button stays at the top of the rail, with the column's name in its label.
 */
export function SideToggle({ side, controls }: { readonly side: Side; readonly controls: string }) {
  const isFolded = usePresentationStore((state) => state.folded[side]);
  const toggleSide = usePresentationStore((state) => state.toggleSide);
  const pointsLeft = (side === 'left') !== isFolded;
  return (
    <button
      type="button"
      className="side-toggle"
      aria-expanded={!isFolded}
      aria-controls={controls}
      title={`${isFolded ? 'Show' : 'Hide'} the ${names[side]}`}
      onClick={() => {
        toggleSide(side);
      }}
    >
      <span aria-hidden="true">{pointsLeft ? '«' : '»'}</span>
      <span className="visually-hidden">
        {isFolded ? 'Show' : 'Hide'} the {names[side]}
      </span>
    </button>
  );
}
