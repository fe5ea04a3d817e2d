import { create } from 'zustand';
import type { ParamDraft } from './params.ts';

/**
 * Parameter values typed but not applied yet. Shared between the parameters panel and the
 * toolbar's Reset, because values that need a restart are promised to apply on reset.
 */
interface ParamDraftState {
  readonly drafts: Readonly<Record<string, ParamDraft>>;
  readonly setDraft: (key: string, draft: ParamDraft) => void;
  readonly clearDraft: (key: string) => void;
  readonly clearAll: () => void;
}

export const useParamDraftStore = create<ParamDraftState>()((set) => ({
  drafts: {},
  setDraft: (key, draft) => {
    set((state) => ({ drafts: { ...state.drafts, [key]: draft } }));
  },
  clearDraft: (key) => {
    set((state) => {
      const rest = { ...state.drafts };
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a record keyed by parameter
      delete rest[key];
      return { drafts: rest };
    });
  },
  clearAll: () => {
    set({ drafts: {} });
  },
}));
