import { create } from 'zustand';

/**
 * Whether the help overlay is open. The "?" button in the toolbar, the keyboard shortcut and
 * the overlay itself share it; it is UI-only state that no other part of the page needs.
 */
interface HelpState {
  readonly isOpen: boolean;
  readonly open: () => void;
  readonly close: () => void;
  readonly toggle: () => void;
}

export const useHelpStore = create<HelpState>()((set) => ({
  isOpen: false,
  open: () => {
    set({ isOpen: true });
  },
  close: () => {
    set({ isOpen: false });
  },
  toggle: () => {
    set((state) => ({ isOpen: !state.isOpen }));
  },
}));
