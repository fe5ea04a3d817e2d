import { create } from 'zustand';

/*
 * How the page is shown, apart from the run: presenter mode (for a lecture: the topology, the
 * instrument, the narration and the tour in large type, everything else hidden) and the text
 * size, which the person chooses once and keeps across visits (localStorage). Both act through
 * the document element (a class and a CSS variable read by app.css), so every part of the page
 * follows without knowing about them.
 */

/** The text sizes offered, as multiples of the page's base size. */
export const textScales: readonly number[] = [0.9, 1, 1.15, 1.3, 1.5];
export const textScaleMin = 0.9;
export const textScaleMax = 1.5;

export const textScaleKey = 'distsim:text-scale';

/** The side columns of the three-column page, each of which can be folded away. */
export type Side = 'left' | 'right';

export const foldedSidesKey = 'distsim:folded-sides';

export interface PresentationState {
  readonly isPresenting: boolean;
  readonly textScale: number;
  /** Side columns folded to a narrow rail, giving the topology their width (kept across visits). */
  readonly folded: Readonly<Record<Side, boolean>>;
  readonly toggleSide: (side: Side) => void;
  readonly setPresenting: (isPresenting: boolean) => void;
  /** Moves the text size `by` steps along `textScales` (clamped). */
  readonly stepTextScale: (by: number) => void;
}

export const usePresentationStore = create<PresentationState>()((set, get) => ({
  isPresenting: false,
  textScale: storedTextScale(),
  folded: storedFolded(),
  toggleSide: (side) => {
    const folded = { ...get().folded, [side]: !get().folded[side] };
    try {
      if (typeof localStorage !== 'undefined') {
        localStorage.setItem(foldedSidesKey, JSON.stringify(folded));
      }
    } catch {
      // As with the text size: the fold holds for this visit only.
    }
    set({ folded });
  },
  setPresenting: (isPresenting) => {
    if (get().isPresenting !== isPresenting) set({ isPresenting });
  },
  stepTextScale: (by) => {
    const textScale = steppedScale(get().textScale, by);
    saveTextScale(textScale);
    set({ textScale });
  },
}));

/** The scale `by` steps from `current` along `textScales`, kept within the list. */
export function steppedScale(current: number, by: number): number {
  let index = textScales.findIndex((scale) => scale >= current - 1e-9);
  if (index < 0) index = textScales.length - 1;
  const next = Math.max(0, Math.min(textScales.length - 1, index + by));
  return textScales[next] ?? 1;
}

/** The saved text size, or 1 when there is none, storage is unavailable or the value is odd. */
export function storedTextScale(): number {
  try {
    if (typeof localStorage === 'undefined') return 1;
    const saved = Number(localStorage.getItem(textScaleKey) ?? '');
    return textScales.some((scale) => scale === saved) ? saved : 1;
  } catch {
    return 1;
  }
}

/** The folded sides saved, both open when there is nothing (or nothing sensible) saved. */
export function storedFolded(): Record<Side, boolean> {
  const open = { left: false, right: false };
  try {
    if (typeof localStorage === 'undefined') return open;
    const saved: unknown = JSON.parse(localStorage.getItem(foldedSidesKey) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return open;
    const { left, right } = saved as Record<string, unknown>;
    return { left: left === true, right: right === true };
  } catch {
    return open;
  }
}

function saveTextScale(scale: number): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(textScaleKey, String(scale));
  } catch {
    // Private mode or a full quota: the size still applies, only for this visit.
  }
}

/** Puts the state on the document element: the class and the variable app.css reads. */
export function applyPresentation(root: HTMLElement, state: PresentationState): void {
  root.classList.toggle('is-presenting', state.isPresenting);
  root.style.setProperty('--text-scale', String(state.textScale));
}
