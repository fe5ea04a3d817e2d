import { create } from 'zustand';
import type { InvariantResult } from '../../engine/invariants.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import type { Notice, Series } from '../state/store.ts';
import type { SideInfo, SideName } from './protocol.ts';

/** Notices the compare page keeps (older ones go). */
export const compareNoticesMax = 6;

/** What the compare page knows of one side. */
export interface SideState {
  /** `starting`: no run yet; `failed`: the side cannot go on (see `error`). */
  readonly status: 'starting' | 'loading' | 'ready' | 'failed';
  readonly error: string | null;
  readonly info: SideInfo | null;
  readonly timeUs: number;
  readonly frontierUs: number;
  readonly traceHash: string;
  readonly invariants: readonly InvariantResult[];
  /** Metric samples up to the side's frontier (charts show those up to `chartUs`). */
  readonly series: Readonly<Record<string, Series>>;
  /** The time charts and the table show: `timeUs` as of their last redraw (a few a second). */
  readonly chartUs: number;
  readonly commands: readonly RecordedCommand[];
  /** The side's share payload now (its run and position), for the page's URL. */
  readonly payload: string;
}

export interface CompareState {
  readonly sides: Readonly<Record<SideName, SideState>>;
  readonly isPlaying: boolean;
  readonly speed: number;
  readonly notices: readonly Notice[];
}

export interface CompareActions {
  updateSide(side: SideName, change: Partial<SideState>): void;
  addNotice(tone: Notice['tone'], text: string): void;
  dismissNotice(id: number): void;
}

/** A side before its page has reported anything. */
export function initialSide(payload: string): SideState {
  return {
    status: 'starting',
    error: null,
    info: null,
    timeUs: 0,
    frontierUs: 0,
    traceHash: '',
    invariants: [],
    series: {},
    chartUs: 0,
    commands: [],
    payload,
  };
}

export const initialCompareState: CompareState = {
  sides: { a: initialSide(''), b: initialSide('') },
  isPlaying: false,
  speed: 1,
  notices: [],
};

let nextNoticeId = 1;

/**
 * The compare page's own state (each side keeps its full state in its own page): what each side
 * reported, playback, and notices such as a command that could not be applied to one side.
 */
export const useCompareStore = create<CompareState & CompareActions>()((set) => ({
  ...initialCompareState,
  updateSide: (side, change) => {
    set((state) => ({ sides: { ...state.sides, [side]: { ...state.sides[side], ...change } } }));
  },
  addNotice: (tone, text) => {
    set((state) => ({
      notices: [...state.notices, { id: nextNoticeId++, tone, text }].slice(-compareNoticesMax),
    }));
  },
  dismissNotice: (id) => {
    set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
  },
}));
