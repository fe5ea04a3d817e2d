import { create } from 'zustand';
import { immer } from 'zustand/middleware/immer';
import type { TraceEvent } from '../../engine/trace.ts';
import type { Moment, RecordedCommand, RunDescription } from '../../engine/types.ts';
import type { CatalogueEntry, Frame, ScenarioMeta, TopologyMeta } from '../../worker/protocol.ts';
import type { DropQuestion } from './actInPast.ts';

/** Rows the event log keeps (older rows are counted, not kept). */
export const eventLogMax = 5_000;
/** Points kept per metric series. */
export const seriesPointsMax = 5_000;

/** A message for the person: what happened and what to do. */
export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** The loaded scenario and its topology (changes on load, not per frame). */
export interface RunView {
  readonly meta: ScenarioMeta;
  readonly topology: TopologyMeta;
  /** The run as loaded; the live command log is `commands`. */
  readonly run: RunDescription;
}

/** A metric's samples over simulated time. */
export interface Series {
  readonly times: readonly number[];
  readonly values: readonly number[];
}

export type Selection =
  | { readonly kind: 'node'; readonly node: number }
  | { readonly kind: 'link'; readonly from: number; readonly to: number }
  | null;

export interface SimStoreState {
  /** `starting`: no run yet; `crashed`: the worker died and needs a reload. */
  readonly phase: 'starting' | 'loading' | 'ready' | 'crashed';
  readonly catalogue: readonly CatalogueEntry[];
  readonly view: RunView | null;
  /** The latest frame from the worker; replaced, never mutated. */
  readonly frame: Frame | null;
  /** Trace events, oldest first, at most `eventLogMax`. */
  readonly events: readonly TraceEvent[];
  /** Events older than the kept rows. */
  readonly eventsDropped: number;
  /**
   * Metric samples up to the run's frontier (not just up to the time shown), so seeking back and
   * forth within the run needs nothing resent; charts show the part up to the frame's time.
   */
  readonly series: Readonly<Record<string, Series>>;
  /** Simulated time up to which `series` holds every sample (-1 before the first frame). */
  readonly seriesKnownUs: number;
  /** The run's command log as the worker last reported it. */
  readonly commands: readonly RecordedCommand[];
  /** The run's moments up to its frontier, as the worker last reported them. */
  readonly moments: readonly Moment[];
  readonly selection: Selection;
  /** Nodes picked for a partition. */
  readonly partitionDraft: readonly number[];
  readonly pauseOnViolation: boolean;
  readonly notices: readonly Notice[];
  /** Nodes to highlight (e.g. those involved in a violation). */
  readonly highlighted: readonly number[];
  /**
   * The message under the pointer, by trace message id, in the topology or the space-time
   * diagram; both draw it highlighted, so pointing at it in one shows it in the other.
   */
  readonly hoveredMessage: number | null;
  /**
   * The client operation picked in the consistency history: its messages, drawn highlighted in
   * the space-time diagram and the topology, and its nodes, highlighted in the topology.
   */
  readonly trail: MessageTrail | null;
  /**
   * A stretch of time the event log is narrowed to, with why (a point of the inevitability
   * curve: what happened between the fork before and this one); null: every kept event.
   */
  readonly eventWindow: EventWindow | null;
  /**
   * The question asked before a command given in the past drops the run's future (the act-in-
   * the-past dialog shows it while it waits for an answer).
   */
  readonly dropQuestion: DropQuestion | null;
  /** The notice that says what the last act dropped, with Undo, while Undo is possible. */
  readonly undoNoticeId: number | null;
}

/** A set of messages picked together (one client operation's), with what to call them. */
export interface MessageTrail {
  /** What they carried, in words ("c2 read k11 returned 54"). */
  readonly name: string;
  /** Trace message ids. */
  readonly messages: readonly number[];
  /** Node indices they went between. */
  readonly nodes: readonly number[];
  /** The stretch of simulated time they span (µs): the space-time diagram fits it. */
  readonly fromUs: number;
  readonly toUs: number;
}

/** Events after `fromUs` up to and including `toUs`, and what the stretch is. */
export interface EventWindow {
  readonly fromUs: number;
  readonly toUs: number;
  /** Why the log shows only this stretch ("between the forks at 3.277 s and 3.604 s"). */
  readonly label: string;
}

export interface SimStoreActions {
  select(selection: Selection): void;
  togglePartitionNode(node: number): void;
  clearPartitionDraft(): void;
  /** Adds a notice and returns its id. */
  addNotice(tone: Notice['tone'], text: string): number;
  dismissNotice(id: number): void;
  setHighlighted(nodes: readonly number[]): void;
  setHoveredMessage(id: number | null): void;
  /** Picks a trail (its nodes become the highlighted ones), or clears it and them. */
  setTrail(trail: MessageTrail | null): void;
  setEventWindow(window: EventWindow | null): void;
}

export type SimStore = SimStoreState & SimStoreActions;

let nextNoticeId = 1;

export const initialState: SimStoreState = {
  phase: 'starting',
  catalogue: [],
  view: null,
  frame: null,
  events: [],
  eventsDropped: 0,
  series: {},
  seriesKnownUs: -1,
  commands: [],
  moments: [],
  selection: null,
  partitionDraft: [],
  pauseOnViolation: false,
  notices: [],
  highlighted: [],
  hoveredMessage: null,
  trail: null,
  eventWindow: null,
  dropQuestion: null,
  undoNoticeId: null,
};

/**
 * The page's state: a mirror of the worker's frames plus UI-only state. Frames are set as plain
 * object updates (they are large and replaced whole); UI-only state changes through immer drafts.
 */
export const useSimStore = create<SimStore>()(
  immer((set) => ({
    ...initialState,
    select: (selection) => {
      set((draft) => {
        draft.selection = selection;
      });
    },
    togglePartitionNode: (node) => {
      set((draft) => {
        const at = draft.partitionDraft.indexOf(node);
        if (at >= 0) draft.partitionDraft.splice(at, 1);
        else draft.partitionDraft.push(node);
      });
    },
    clearPartitionDraft: () => {
      set((draft) => {
        draft.partitionDraft = [];
      });
    },
    addNotice: (tone, text) => {
      const id = nextNoticeId++;
      set((draft) => {
        draft.notices.push({ id, tone, text });
        if (draft.notices.length > 5) draft.notices.shift();
      });
      return id;
    },
    dismissNotice: (id) => {
      set((draft) => {
        draft.notices = draft.notices.filter((notice) => notice.id !== id);
        if (draft.undoNoticeId === id) draft.undoNoticeId = null;
      });
    },
    setHighlighted: (nodes) => {
      set((draft) => {
        draft.highlighted = [...nodes];
      });
    },
    setHoveredMessage: (id) => {
      set((draft) => {
        draft.hoveredMessage = id;
      });
    },
    setEventWindow: (window) => {
      set((draft) => {
        draft.eventWindow = window === null ? null : { ...window };
      });
    },
    setTrail: (trail) => {
      set((draft) => {
        draft.trail =
          trail === null
            ? null
            : { ...trail, messages: [...trail.messages], nodes: [...trail.nodes] };
        draft.highlighted = trail === null ? [] : [...trail.nodes];
      });
    },
  })),
);

/** Appends new trace events to the capped log. */
export function appendEvents(
  events: readonly TraceEvent[],
  dropped: number,
  incoming: readonly TraceEvent[],
): { events: TraceEvent[]; eventsDropped: number } {
  if (incoming.length === 0) return { events: events as TraceEvent[], eventsDropped: dropped };
  const merged =
    events.length + incoming.length > eventLogMax
      ? [...events.slice(-eventLogMax), ...incoming]
      : [...events, ...incoming];
  const excess = Math.max(0, merged.length - eventLogMax);
  return { events: excess > 0 ? merged.slice(excess) : merged, eventsDropped: dropped + excess };
}

/**
 * The event log after a frame. The frame's trace is authoritative from its first event on (after
 * a seek back it replays events the log already had, after a fork it replaces the old future),
 * and nothing at or past `traceTotal` exists any more.
 */
export function eventsAfterFrame(
  events: readonly TraceEvent[],
  incoming: readonly TraceEvent[],
  traceTotal: number,
): { events: TraceEvent[]; eventsDropped: number } {
  const cut = Math.min(incoming[0]?.index ?? traceTotal, traceTotal);
  let keep = events.length;
  while (keep > 0 && (events[keep - 1]?.index ?? 0) >= cut) keep--;
  // Kept events that stop short of the incoming ones leave a gap (a seek replayed from a
  // checkpoint, or the frame's trace was capped): a view drawn across it would show a stretch
  // with no messages at all, so only the contiguous run up to the newest events is kept.
  if (incoming.length > 0 && keep > 0 && (events[keep - 1]?.index ?? 0) + 1 < cut) keep = 0;
  const base = keep === events.length ? events : events.slice(0, keep);
  const merged = appendEvents(base, 0, incoming).events;
  return { events: merged, eventsDropped: merged[0]?.index ?? traceTotal };
}

/** The series with only the samples at or before `timeUs` (the same object when nothing goes). */
export function seriesUpTo(
  series: Readonly<Record<string, Series>>,
  timeUs: number,
): Readonly<Record<string, Series>> {
  let clipped: Record<string, Series> | null = null;
  for (const [name, entry] of Object.entries(series)) {
    const count = countUpTo(entry.times, timeUs);
    if (count === entry.times.length) continue;
    clipped ??= { ...series };
    clipped[name] = { times: entry.times.slice(0, count), values: entry.values.slice(0, count) };
  }
  return clipped ?? series;
}

/**
 * How many of the ascending `times` are at or before `timeUs` (binary search): also the index of
 * the first one after it.
 */
export function countUpTo(times: readonly number[], timeUs: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] ?? 0) <= timeUs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Appends metric samples ([metric, timeUs, value] triples) to capped series. */
export function appendSamples(
  series: Readonly<Record<string, Series>>,
  names: readonly string[],
  samples: Float64Array,
  afterUs = -1,
): Record<string, Series> {
  if (samples.length === 0) return series;
  const next: Record<string, { times: number[]; values: number[] }> = {};
  for (let i = 0; i + 2 < samples.length; i += 3) {
    const name = names[samples[i] as number];
    // Samples at or before `afterUs` are already held (a replay after a seek repeats them).
    if (name === undefined || (samples[i + 1] as number) <= afterUs) continue;
    let entry = next[name];
    if (entry === undefined) {
      const old = series[name];
      entry = {
        times: old === undefined ? [] : [...old.times],
        values: old === undefined ? [] : [...old.values],
      };
      next[name] = entry;
    }
    entry.times.push(samples[i + 1] as number);
    entry.values.push(samples[i + 2] as number);
  }
  for (const entry of Object.values(next)) {
    const excess = entry.times.length - seriesPointsMax;
    if (excess > 0) {
      entry.times.splice(0, excess);
      entry.values.splice(0, excess);
    }
  }
  return { ...series, ...next };
}
